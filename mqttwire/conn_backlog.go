package mqttwire

import (
	"context"
	"time"
)

// The backlog lets a publisher run ahead of the inflight window without
// waiting on it message by message. QoS 1/2 messages beyond the window
// wait here, encoded later under their packet identifier; when an ack frees
// a slot, the read goroutine sends the next one itself, as a single-
// threaded client's event loop would, so a steady stream costs no
// goroutine switch per message. The publisher only waits when the backlog
// is full, and is woken when it is half empty.

// MaxBacklog bounds the messages waiting for the window.
const MaxBacklog = 1024

type backlogged struct {
	p    Publish
	done func(PublishResult)
}

// PublishQueued is PublishHeld for QoS 1 and 2 messages that may wait in
// the backlog when the window is full: it returns at once unless the
// backlog is full (then it waits until ctx ends). p is copied and may be
// reused; its PacketID is not set (done receives it). Messages go out in
// the order they were given.
func (c *Conn) PublishQueued(ctx context.Context, p *Publish, done func(PublishResult)) error {
	if p.QoS == 0 {
		return c.PublishHeld(ctx, p, done)
	}
	if err := c.checkLimits(p); err != nil {
		return err
	}
	for {
		c.mu.Lock()
		if c.ended {
			c.mu.Unlock()
			return c.sessionErr()
		}
		if len(c.backlog) < MaxBacklog {
			q := backlogged{p: *p, done: done}
			// The caller may reuse its buffers: keep our own (a string
			// cannot change, so the topic is shared).
			q.p.Payload = append([]byte(nil), p.Payload...)
			q.p.Properties.List = append([]Property(nil), p.Properties.List...)
			c.backlog = append(c.backlog, q)
			c.mu.Unlock()
			if err := c.promote(hold); err != nil && !(c.cfg.Resumable && c.Err() != nil) {
				return err
			}
			return nil
		}
		c.mu.Unlock()
		// Full: what is held must go out, or no ack will come to make room.
		if err := c.Flush(); err != nil {
			return err
		}
		select {
		case <-c.backlogRoom:
		case <-ctx.Done():
			return &TimeoutError{Waiting: "room in the inflight window"}
		case <-c.done:
			return c.sessionErr()
		}
	}
}

// promote moves backlogged messages into free window slots and sends them,
// in order (promoteMu keeps two goroutines from interleaving).
func (c *Conn) promote(mode sendMode) error {
	c.promoteMu.Lock()
	defer c.promoteMu.Unlock()
	for {
		c.mu.Lock()
		if len(c.backlog) == 0 {
			c.mu.Unlock()
			return nil
		}
		select {
		case c.window <- struct{}{}:
		default:
			c.mu.Unlock()
			return nil
		}
		q := c.backlog[0]
		c.backlog[0] = backlogged{}
		c.backlog = c.backlog[1:]
		if len(c.backlog) == MaxBacklog/2 {
			select {
			case c.backlogRoom <- struct{}{}:
			default:
			}
		}
		f := &pendingFlow{kind: TypePublish, qos: q.p.QoS, sent: time.Now(), done: q.done}
		q.p.PacketID = c.allocID(f)
		if c.cfg.Resumable {
			c.flowSeq++
			f.order = c.flowSeq
			f.pub = &q.p // already our own copy
			if q.p.Topic == "" {
				cp := q.p // the alias goes out alone; the copy names the topic
				f.pub = &cp
			}
			c.noteAlias(f.pub)
		}
		c.mu.Unlock()
		if err := c.enqueue(&q.p, mode, false); err != nil {
			if c.cfg.Resumable && c.Err() != nil {
				return err // the flow is in the session's state
			}
			c.mu.Lock()
			delete(c.pending, q.p.PacketID)
			c.mu.Unlock()
			c.finish(q.p.PacketID, f, err)
			return err
		}
	}
}

// promoteFromReader is promote on the read goroutine after an ack. A pure
// publisher (no OnPublish) lets it write itself: with no messages coming
// in, the server cannot be blocked writing to us while we write to it. It
// holds the messages until readLoop has handled every ack already read,
// so a burst of acks is answered in one write.
func (c *Conn) promoteFromReader() {
	mode := writeBackground
	if c.cfg.OnPublish == nil {
		mode = hold
	}
	_ = c.promote(mode) // a failed send ends the session, which reports it
}

// Backlog is the number of messages waiting for the window; PublishQueued
// waits when it reaches MaxBacklog.
func (c *Conn) Backlog() int { return c.backlogLen() }

func (c *Conn) backlogLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.backlog)
}
