package mqttwire

import (
	"time"
)

// Outgoing bytes collect in wbuf. Whoever finds no write in progress
// writes them itself, and goes on writing what others add meanwhile, so
// a publisher's packet normally reaches the socket without a goroutine
// switch and packets queued during a write leave together in the next
// one. The read goroutine never writes itself: it must keep reading even
// when the socket is full (the server may be blocked writing to us), so
// its acks are written by the writer goroutine, or by a publisher already
// writing.

// maxQueued bounds the bytes waiting to be written: a producer faster than
// the network waits here instead of growing memory without limit.
const maxQueued = 1 << 20

// deadlineGrain is how often the network deadlines are moved: a deadline
// is set deadlineGrain later than its timeout and kept for deadlineGrain,
// so every read and write still gets at least its full timeout.
const deadlineGrain = 100 * time.Millisecond

// holdLimit is how much Hold lets accumulate before writing anyway.
const holdLimit = 64 << 10

// sendMode says what enqueue does after queuing a packet.
type sendMode byte

const (
	writeNow        sendMode = iota // write unless a write is in progress
	writeBackground                 // leave it to the writer goroutine
	hold                            // leave it for a later write (see Hold)
	queueOnly                       // only queue it, whatever the size (see Connect)
)

// send queues p and writes it (the read goroutine uses sendFromReader).
func (c *Conn) send(p Packet) error { return c.enqueue(p, writeNow, false) }

// sendFromReader queues p for the writer goroutine.
func (c *Conn) sendFromReader(p Packet) error { return c.enqueue(p, writeBackground, false) }

// enqueue encodes p into the outgoing buffer; the caller may reuse p
// afterwards. last marks the session as closing in the same step, so that
// the server closing the connection after our DISCONNECT can never be
// seen before we know we asked for it.
func (c *Conn) enqueue(p Packet, mode sendMode, last bool) error {
	c.wmu.Lock()
	for len(c.wbuf) > maxQueued && c.writing && c.werr == nil {
		c.roomWaiters++
		c.wcond.Wait()
		c.roomWaiters--
	}
	if c.werr != nil {
		c.wmu.Unlock()
		return c.sessionErr()
	}
	if c.closing {
		c.wmu.Unlock()
		return errClosing
	}
	start := len(c.wbuf)
	buf, err := p.Append(c.wbuf, c.v)
	if err != nil {
		c.wbuf = buf[:start]
		c.wmu.Unlock()
		return err
	}
	c.wbuf = buf
	c.closing = last
	if c.cfg.OnEvent != nil {
		// Reported under the lock so that events come in wire order.
		c.emit(Event{Dir: Out, Raw: append([]byte(nil), buf[start:]...), Packet: p})
	}
	switch {
	case mode == queueOnly, mode == hold && len(c.wbuf) < holdLimit:
		c.wmu.Unlock()
		return nil
	case c.writing:
		// The active writer takes it in its next round.
		c.wmu.Unlock()
		return nil
	case mode == writeBackground:
		c.wcond.Broadcast() // wake the writer goroutine
		c.wmu.Unlock()
		return nil
	}
	return c.writeLocked()
}

// writeLocked writes the buffer until it is empty, then releases wmu. The
// caller holds wmu and no write is in progress.
func (c *Conn) writeLocked() error {
	c.writing = true
	var failed bool // our own write failed (the session may end for other reasons meanwhile)
	for len(c.wbuf) > 0 && c.werr == nil {
		out := c.wbuf
		c.wbuf, c.wspare = c.wspare[:0], out
		if c.roomWaiters > 0 {
			c.wcond.Broadcast() // room for producers held back by maxQueued
		}
		c.wmu.Unlock()
		now := time.Now().UnixNano()
		if now-c.wdeadlineSet >= int64(deadlineGrain) {
			// As for reads (see readLoop): never shorter than
			// WriteTimeout, and no timer update per write.
			c.nc.SetWriteDeadline(time.Unix(0, now).Add(c.cfg.WriteTimeout + deadlineGrain))
			c.wdeadlineSet = now
		}
		_, err := c.nc.Write(out)
		if err != nil {
			c.fail(c.ioErr(err, "while writing"))
			c.wmu.Lock()
			failed = true
			break
		}
		c.lastSend.Store(time.Now().UnixNano())
		c.wmu.Lock()
	}
	c.writing = false
	if c.closing || c.werr != nil || c.roomWaiters > 0 {
		// Wake waiters only when it matters: a wake per write would cost
		// two futex calls per packet.
		c.wcond.Broadcast()
	}
	c.wmu.Unlock()
	if failed {
		return c.sessionErr()
	}
	return nil
}

// Flush writes whatever Hold left queued.
func (c *Conn) Flush() error {
	c.wmu.Lock()
	if c.writing || len(c.wbuf) == 0 || c.werr != nil {
		c.wmu.Unlock()
		return nil
	}
	return c.writeLocked()
}

// writeLoop writes what the read goroutine queued (and anything else no
// one is writing). It ends when the session ends, or when Disconnect has
// asked it to and nothing is left to write.
func (c *Conn) writeLoop() {
	defer c.wg.Done()
	c.wmu.Lock()
	defer func() {
		c.writerExited = true
		c.wcond.Broadcast()
		c.wmu.Unlock()
	}()
	for {
		for (len(c.wbuf) == 0 || c.writing) && !c.closing && c.werr == nil {
			c.wcond.Wait()
		}
		switch {
		case c.werr != nil:
			return
		case len(c.wbuf) == 0 && !c.writing:
			return // closing, and everything is written
		case c.writing:
			c.wcond.Wait() // closing: let the active writer finish
			continue
		}
		c.writeLocked()
		c.wmu.Lock()
	}
}
