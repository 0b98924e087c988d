package mqttwire

import (
	"cmp"
	"slices"
	"time"
)

// Resuming a session across network connections (MQTT 3.1.1 §4.4, 5.0
// §4.4). With ConnConfig.Resumable, a Conn keeps a copy of every QoS 1/2
// message it takes until the broker acknowledges it; when the connection
// is lost, the messages not yet acknowledged and those still waiting for
// the window are kept in a SessionState instead of being failed. A new
// Conn given that state (ResumeFrom, before Connect) sends the unfinished
// flows again under their packet identifiers, PUBLISH with DUP set or
// PUBREL for those the broker already took with PUBREC, and then the
// waiting messages, so nothing the caller handed over is lost.

// SessionState is what one connection of a session hands to the next.
type SessionState struct {
	flows   []*pendingFlow // unfinished outgoing PUBLISH flows, oldest first
	backlog []backlogged   // messages not sent yet, in order
	inQoS2  map[uint16]bool
	nextID  uint16
	aliases map[uint32]string // topic alias → topic, as last sent
}

// Unacked is the number of messages sent but not acknowledged: they are
// sent again on resume.
func (s *SessionState) Unacked() int {
	if s == nil {
		return 0
	}
	return len(s.flows)
}

// Queued is the number of messages taken but not sent yet.
func (s *SessionState) Queued() int {
	if s == nil {
		return 0
	}
	return len(s.backlog)
}

// Abandon ends every message of s with err, calling their done
// callbacks, for a session that will not be resumed.
func (s *SessionState) Abandon(err error) {
	if s == nil {
		return
	}
	now := time.Now()
	for _, f := range s.flows {
		if f.done != nil {
			f.done(PublishResult{PacketID: f.id, QoS: f.qos, Sent: f.sent, Done: now, Err: err})
		}
	}
	for _, q := range s.backlog {
		if q.done != nil {
			q.done(PublishResult{QoS: q.p.QoS, Done: now, Err: err})
		}
	}
	s.flows, s.backlog = nil, nil
}

// TakeState returns, once the session has ended, what a new connection
// needs to resume it; nil for a Conn that is not Resumable or that ended
// cleanly. It waits for the session's goroutines.
func (c *Conn) TakeState() *SessionState {
	<-c.done
	c.failOnce.Do(func() {}) // returns once fail has stashed the state
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.state
	c.state = nil
	return st
}

// ResumeFrom has Connect resume st: call it before Connect.
func (c *Conn) ResumeFrom(st *SessionState) { c.resume = st }

// Resent is the number of flows this Conn sent again on resume.
func (c *Conn) Resent() int { return c.resent }

// stashLocked moves the unfinished flows and the backlog into c.state;
// the caller holds mu and has taken flows out of c.pending.
func (c *Conn) stashLocked(flows map[uint16]*pendingFlow) {
	if c.resume != nil {
		// Connect failed before resuming: hand the state on untouched.
		c.state, c.resume = c.resume, nil
		return
	}
	st := &SessionState{backlog: c.backlog, inQoS2: c.inQoS2, nextID: c.nextID, aliases: c.aliasTopics}
	c.backlog = nil
	for id, f := range flows {
		if f.kind == TypePublish {
			f.id = id
			st.flows = append(st.flows, f)
		}
	}
	slices.SortFunc(st.flows, func(a, b *pendingFlow) int { return cmp.Compare(a.order, b.order) })
	c.state = st
}

// keepCopy is the copy of p that a Resumable Conn keeps until the flow
// ends: its own payload, and the topic named even when p sends only a
// topic alias (aliases do not outlive the connection).
func (c *Conn) keepCopy(p *Publish) *Publish {
	q := *p
	q.Payload = append([]byte(nil), p.Payload...)
	q.Properties.List = append([]Property(nil), p.Properties.List...)
	c.noteAlias(&q)
	return &q
}

// noteAlias records the topic of an aliased PUBLISH, or fills in the
// topic of one that sends the alias alone; the caller holds mu.
func (c *Conn) noteAlias(q *Publish) {
	a, ok := q.Properties.Int(PropTopicAlias)
	if !ok {
		return
	}
	if q.Topic != "" {
		if c.aliasTopics == nil {
			c.aliasTopics = make(map[uint32]string)
		}
		c.aliasTopics[a] = q.Topic
		return
	}
	q.Topic = c.aliasTopics[a]
}

// restoreLocked registers the flows of c.resume under their packet
// identifiers and takes their window slots, before the session's
// goroutines start; it returns the packets to send again. The caller
// holds mu.
func (c *Conn) restoreLocked(present bool) []Packet {
	st := c.resume
	c.resume = nil
	c.nextID = st.nextID
	if present {
		// The broker kept its QoS 2 flows to us: it will send PUBREL for
		// the ids we acknowledged with PUBREC, and a message sent again
		// for one of them must not be delivered twice.
		c.inQoS2 = st.inQoS2
	}
	out := make([]Packet, 0, len(st.flows))
	for _, f := range st.flows {
		c.window <- struct{}{}
		f.resumed = true
		c.pending[f.id] = f
		if f.released {
			out = append(out, &Pubrel{Ack{PacketID: f.id}})
			continue
		}
		q := *f.pub
		q.Dup, q.PacketID = true, f.id
		// Send the topic itself: the broker's alias mapping ended with
		// the old connection.
		q.Properties.List = slices.DeleteFunc(slices.Clone(q.Properties.List),
			func(p Property) bool { return p.ID == PropTopicAlias })
		out = append(out, &q)
	}
	// A waiting message that sends its alias alone names its topic
	// again: the alias it relies on ended with the old connection, and
	// the first one to go out sets it up anew.
	c.aliasTopics = st.aliases
	for i := range st.backlog {
		if q := &st.backlog[i].p; q.Topic == "" {
			c.noteAlias(q)
		}
	}
	c.backlog = append(st.backlog, c.backlog...)
	c.resent = len(out)
	return out
}
