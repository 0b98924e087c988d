package mqttwire

import (
	"context"
	"time"
)

// PublishResult is how a QoS 1 or 2 PUBLISH flow ended.
type PublishResult struct {
	PacketID uint16
	QoS      byte
	Sent     time.Time // when the PUBLISH was queued
	Done     time.Time // when the PUBACK or PUBCOMP (or the failure) came
	// Err is nil when the broker accepted the message, an *AckError when
	// it refused it, else why the session ended first.
	Err error
}

// pendingFlow is one packet identifier in use by the client: a PUBLISH
// awaiting PUBACK/PUBREC/PUBCOMP, or a SUBSCRIBE/UNSUBSCRIBE awaiting its
// ack.
type pendingFlow struct {
	kind  PacketType
	qos   byte
	sent  time.Time
	done  func(PublishResult)
	reply chan Packet
	// For a Resumable Conn (conn_resume.go): the message, its place in
	// sending order, whether PUBREC came (so PUBREL is what to resend),
	// and whether it was resumed from an earlier connection.
	pub      *Publish
	order    uint64
	id       uint16
	released bool
	resumed  bool
}

// allocID reserves a free packet identifier; the caller holds mu. The
// window keeps PUBLISH flows far below 65535, so the search ends.
func (c *Conn) allocID(f *pendingFlow) uint16 {
	for {
		c.nextID++
		if c.nextID == 0 {
			c.nextID = 1
		}
		if _, used := c.pending[c.nextID]; !used {
			c.pending[c.nextID] = f
			return c.nextID
		}
	}
}

// Publish sends p. QoS 0 returns once the packet is written (or queued
// behind a write in progress). QoS 1 and 2 first wait (until ctx ends) for
// room in the inflight window, take a packet identifier (p.PacketID is
// set) and return once written; done, if not nil, is called from the read
// goroutine when the flow ends, before the flow's window slot is freed, so
// it must not wait on the Conn. p is encoded before Publish returns and
// may then be reused.
func (c *Conn) Publish(ctx context.Context, p *Publish, done func(PublishResult)) error {
	return c.publish(ctx, p, done, writeNow)
}

// PublishHeld is Publish for a sender that knows more messages follow at
// once: the packet stays queued (up to 64 KiB) for the next Publish, Flush
// or Drain to write together with the others, which saves a system call
// per message.
func (c *Conn) PublishHeld(ctx context.Context, p *Publish, done func(PublishResult)) error {
	return c.publish(ctx, p, done, hold)
}

func (c *Conn) publish(ctx context.Context, p *Publish, done func(PublishResult), mode sendMode) error {
	if err := c.checkLimits(p); err != nil {
		return err
	}
	if p.QoS == 0 {
		return c.enqueue(p, mode, false)
	}
	select {
	case c.window <- struct{}{}:
	default:
		// The window is full: what is held must go out, or no ack will
		// ever come to free it.
		if err := c.Flush(); err != nil {
			return err
		}
		select {
		case c.window <- struct{}{}:
		case <-ctx.Done():
			return &TimeoutError{Waiting: "room in the inflight window"}
		case <-c.done:
			return c.sessionErr()
		}
	}
	f := &pendingFlow{kind: TypePublish, qos: p.QoS, sent: time.Now(), done: done}
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		<-c.window
		return c.sessionErr()
	}
	p.PacketID = c.allocID(f)
	if c.cfg.Resumable {
		c.flowSeq++
		f.order = c.flowSeq
		f.pub = c.keepCopy(p)
	}
	c.mu.Unlock()
	if err := c.enqueue(p, mode, false); err != nil {
		if c.cfg.Resumable && c.Err() != nil {
			// The session ended: the message is in its state, to be sent
			// again by the next connection.
			return nil
		}
		// If the session ended meanwhile, abortFlows already finished the
		// flow and freed its window slot; freeing it again would block.
		c.mu.Lock()
		_, mine := c.pending[p.PacketID]
		delete(c.pending, p.PacketID)
		c.mu.Unlock()
		if mine {
			<-c.window
		}
		return err
	}
	return nil
}

// completeFlow ends the PUBLISH flow an ack names.
func (c *Conn) completeFlow(t PacketType, a *Ack) {
	c.mu.Lock()
	f, ok := c.pending[a.PacketID]
	if ok && f.kind == TypePublish && (t == TypePuback) == (f.qos == 1) {
		delete(c.pending, a.PacketID)
	} else {
		ok = false
	}
	c.mu.Unlock()
	if !ok {
		return // an ack for nothing we sent: nothing to complete
	}
	var err error
	// A PUBREL sent again on resume to a broker that had already
	// completed the flow is answered "Packet Identifier not found": the
	// broker took the message at PUBREC, so it is delivered.
	alreadyDone := f.resumed && f.released && a.ReasonCode == CodePacketIDNotFound
	if c.v == V5 && a.ReasonCode.IsError() && !alreadyDone {
		reason, _ := a.Properties.String(PropReasonString)
		err = &AckError{Packet: t, PacketID: a.PacketID, Code: a.ReasonCode, Reason: reason}
	}
	c.finish(a.PacketID, f, err)
	c.promoteFromReader()
}

func (c *Conn) finish(id uint16, f *pendingFlow, err error) {
	// The callback runs before the slot is freed, so that once Drain sees
	// an empty window every callback has returned.
	if f.done != nil {
		f.done(PublishResult{PacketID: id, QoS: f.qos, Sent: f.sent, Done: time.Now(), Err: err})
	}
	<-c.window
	if len(c.window) == 0 {
		select { // wake Drain; a stale signal only makes it look again
		case c.idle <- struct{}{}:
		default:
		}
	}
}

// receivePubrec continues an outgoing QoS 2 flow with PUBREL, unless the
// 5.0 reason code refuses the message, which ends the flow there (MQTT 5.0
// §4.3.3).
func (c *Conn) receivePubrec(p *Pubrec) error {
	c.mu.Lock()
	f, known := c.pending[p.PacketID]
	// A message sent again on resume that the broker already holds under
	// this id may be answered "Packet Identifier in use" (mochi does): it
	// has the message, so the flow goes on to PUBREL.
	held := known && f.resumed && p.ReasonCode == CodePacketIDInUse
	c.mu.Unlock()
	if c.v == V5 && p.ReasonCode.IsError() && !held {
		c.completeFlow(TypePubrec, &p.Ack)
		return nil
	}
	rel := &Pubrel{Ack{PacketID: p.PacketID}}
	c.mu.Lock()
	if f, known = c.pending[p.PacketID]; known {
		f.released = true
	}
	c.mu.Unlock()
	if !known && c.v == V5 {
		rel.ReasonCode = CodePacketIDNotFound
	}
	if c.cfg.OnPublish == nil {
		// A pure publisher's read goroutine writes itself (see
		// promoteFromReader): hold the PUBREL for readLoop's flush, so a
		// burst of PUBRECs is answered in one write, with no wake-up of
		// the writer goroutine per message.
		return c.enqueue(rel, hold, false)
	}
	return c.sendFromReader(rel)
}

// reply hands a SUBACK or UNSUBACK to the call waiting for it.
func (c *Conn) reply(id uint16, p Packet) {
	c.mu.Lock()
	f, ok := c.pending[id]
	if ok && f.reply != nil {
		delete(c.pending, id)
	}
	c.mu.Unlock()
	if ok && f.reply != nil {
		f.reply <- p
	}
}

// abortFlows completes every waiting flow with err when the session ends.
func (c *Conn) abortFlows(err error) {
	c.mu.Lock()
	flows := c.pending
	c.pending = make(map[uint16]*pendingFlow)
	pings := c.pings
	c.pings = nil
	c.ended = true
	if c.cfg.Resumable && c.err != nil {
		// A lost session: keep its messages for the next connection.
		c.stashLocked(flows)
		flows = nil
	}
	c.mu.Unlock()
	for id, f := range flows {
		if f.kind == TypePublish {
			c.finish(id, f, err)
		}
	}
	for _, p := range pings {
		if p.ch != nil {
			close(p.ch)
		}
	}
}

// request sends a SUBSCRIBE or UNSUBSCRIBE under a fresh packet identifier
// and waits for its ack.
func (c *Conn) request(ctx context.Context, kind PacketType, p Packet, setID func(uint16), want string) (Packet, error) {
	f := &pendingFlow{kind: kind, reply: make(chan Packet, 1)}
	c.mu.Lock()
	id := c.allocID(f)
	c.mu.Unlock()
	setID(id)
	if err := c.send(p); err != nil {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return nil, err
	}
	start := time.Now()
	select {
	case ack := <-f.reply:
		return ack, nil
	case <-c.done:
		return nil, c.sessionErr()
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		if ctx.Err() == context.DeadlineExceeded {
			return nil, &TimeoutError{Waiting: want, After: time.Since(start)}
		}
		return nil, ctx.Err()
	}
}

// Subscribe sends p (its PacketID is assigned) and waits for the SUBACK.
// Per-filter refusals are in the SUBACK's reason codes, not an error.
func (c *Conn) Subscribe(ctx context.Context, p *Subscribe) (*Suback, error) {
	ack, err := c.request(ctx, TypeSubscribe, p, func(id uint16) { p.PacketID = id }, "SUBACK")
	if err != nil {
		return nil, err
	}
	return ack.(*Suback), nil
}

// Unsubscribe sends p (its PacketID is assigned) and waits for the UNSUBACK.
func (c *Conn) Unsubscribe(ctx context.Context, p *Unsubscribe) (*Unsuback, error) {
	ack, err := c.request(ctx, TypeUnsubscribe, p, func(id uint16) { p.PacketID = id }, "UNSUBACK")
	if err != nil {
		return nil, err
	}
	return ack.(*Unsuback), nil
}

// Inflight is the number of QoS 1/2 PUBLISH flows not yet complete.
func (c *Conn) Inflight() int { return len(c.window) }

// Drain waits until every QoS 1/2 PUBLISH flow has completed, the session
// has ended or ctx ends.
func (c *Conn) Drain(ctx context.Context) error {
	if err := c.Flush(); err != nil {
		return err
	}
	start := time.Now()
	for len(c.window) > 0 || c.backlogLen() > 0 {
		select {
		case <-c.idle:
		case <-c.done:
			if len(c.window) == 0 && c.backlogLen() == 0 {
				return nil
			}
			return c.sessionErr()
		case <-ctx.Done():
			return &TimeoutError{Waiting: "acknowledgements", After: time.Since(start)}
		}
	}
	return nil
}
