package mqttwire

import (
	"errors"
	"io"
	"os"
	"time"
)

var errClosing = errors.New("session is disconnecting")

// ioErr turns a network error into the session's error types.
func (c *Conn) ioErr(err error, while string) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		if while == "while writing" {
			return &TimeoutError{Waiting: "the network to take a write", After: c.cfg.WriteTimeout}
		}
		return &TimeoutError{Waiting: "any packet from the server", After: c.readTimeout()}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err):
		return &ClosedError{While: while, Err: err}
	}
	return err
}

// readTimeout bounds the wait for the next packet: with a keepalive the
// server answers our PINGREQ within keepalive + PingTimeout, so silence
// for longer means it is gone. Without a keepalive there is no bound.
func (c *Conn) readTimeout() time.Duration {
	if c.keepAlive <= 0 {
		return 0
	}
	return c.keepAlive + c.pingTimeout() + time.Second
}

// readLoop reads and dispatches packets until the session ends.
func (c *Conn) readLoop() {
	defer c.wg.Done()
	r := NewReader(c.br, c.cfg.MaxPacket)
	r.Version = c.v
	timeout := c.readTimeout()
	var deadlineSet int64 // unix nanoseconds of the last SetReadDeadline
	for {
		if !c.wholePacketBuffered() {
			// About to wait for the network: write what the acks just
			// read let us send (promoteFromReader holds it so that a burst
			// of acks is answered in one write), and let the caller flush.
			if c.cfg.OnPublish == nil {
				if err := c.Flush(); err != nil {
					return // the session has ended; fail reported why
				}
			}
			if c.cfg.OnReadIdle != nil {
				c.cfg.OnReadIdle()
			}
			if timeout > 0 {
				// The deadline is refreshed at most every deadlineGrain
				// and set that much later, so the wait is never shorter
				// than timeout and a busy stream costs no timer update
				// per packet.
				if now := time.Now().UnixNano(); now-deadlineSet >= int64(deadlineGrain) {
					c.nc.SetReadDeadline(time.Unix(0, now).Add(timeout + deadlineGrain))
					deadlineSet = now
				}
			}
		}
		raw, err := r.ReadPacket()
		if err != nil {
			c.readFailed(err)
			return
		}
		c.lastRecv.Store(time.Now().UnixNano())
		p, _, derr := Decode(raw, c.v)
		if p != nil || derr != nil {
			c.emit(Event{Dir: In, Raw: raw, Packet: p, Err: derr})
		}
		if derr != nil {
			c.fail(derr)
			return
		}
		if err := c.dispatch(p); err != nil && !errors.Is(err, errClosing) {
			// (An ack refused because DISCONNECT is queued is simply not
			// sent: the broker keeps the message for a persistent session.)
			c.fail(err)
			return
		}
	}
}

func (c *Conn) readFailed(err error) {
	c.wmu.Lock()
	closing := c.closing
	c.wmu.Unlock()
	select {
	case <-c.done:
		return // we closed the connection
	default:
	}
	if closing && (errors.Is(err, io.EOF) || isReset(err)) {
		// The server closing after our DISCONNECT is the normal end.
		c.fail(nil)
		return
	}
	var tl *TooLargeError
	if errors.As(err, &tl) {
		c.fail(err)
		return
	}
	c.fail(c.ioErr(err, "while the session was open"))
}

// dispatch acts on one packet from the server.
func (c *Conn) dispatch(p Packet) error {
	switch p := p.(type) {
	case *Publish:
		return c.receivePublish(p)
	case *Pubrel:
		err := c.sendFromReader(&Pubcomp{Ack{PacketID: p.PacketID}})
		c.mu.Lock()
		delete(c.inQoS2, p.PacketID)
		c.mu.Unlock()
		c.signalSettled()
		return err
	case *Puback:
		c.completeFlow(TypePuback, &p.Ack)
	case *Pubrec:
		return c.receivePubrec(p)
	case *Pubcomp:
		c.completeFlow(TypePubcomp, &p.Ack)
	case *Suback:
		c.reply(p.PacketID, p)
	case *Unsuback:
		c.reply(p.PacketID, p)
	case *Pingresp:
		c.pong()
	case *Disconnect:
		reason, _ := p.Properties.String(PropReasonString)
		return &DisconnectError{Code: p.ReasonCode, Reason: reason, Packet: p}
	default:
		return &ProtocolError{Packet: p.Type(), Field: FieldFixedHeader, Code: CodeProtocolError,
			Reason: "a server must not send " + p.Type().String()}
	}
	return nil
}

// receivePublish hands a message to OnPublish and acknowledges it: QoS 1
// with PUBACK; QoS 2 with PUBREC, delivering a retransmission of an id
// still awaiting PUBREL only once (MQTT 5.0 §4.3.3, method B). Once
// Disconnect has begun, messages are neither delivered nor acknowledged:
// the broker keeps them for a persistent session.
func (c *Conn) receivePublish(p *Publish) error {
	c.mu.Lock()
	if c.draining {
		c.mu.Unlock()
		return nil
	}
	c.delivering++
	seen := false
	if p.QoS == 2 {
		seen = c.inQoS2[p.PacketID]
		c.inQoS2[p.PacketID] = true
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.delivering--
		c.mu.Unlock()
		c.signalSettled()
	}()
	if !seen && c.cfg.OnPublish != nil {
		c.cfg.OnPublish(p)
	}
	switch p.QoS {
	case 1:
		return c.sendFromReader(&Puback{Ack{PacketID: p.PacketID}})
	case 2:
		return c.sendFromReader(&Pubrec{Ack{PacketID: p.PacketID}})
	}
	return nil
}

// wholePacketBuffered reports whether the read buffer holds a complete
// packet, i.e. whether the next read can finish without the network.
func (c *Conn) wholePacketBuffered() bool {
	n := c.br.Buffered()
	if n == 0 {
		return false
	}
	hdr, _ := c.br.Peek(min(n, 5))
	size, ok, err := PacketLen(hdr)
	return err != nil || (ok && size <= n)
}
