package tap

import (
	"sync"
	"time"
)

// A proxy must forward first and dissect afterwards, yet show the packets
// of both directions in the order they crossed it: a CONNACK must not be
// shown (and dissected without the version its CONNECT teaches) before
// the CONNECT it answers. So each direction stages a copy of its bytes
// before forwarding them, which fixes their place in the conversation at
// the cost of a copy, and processes the staged bytes after forwarding.
// Whichever direction flushes first processes everything staged so far,
// in order.

// maxStaged bounds the bytes staged but not yet shown; past it, staging
// waits for the output, which slows the connection rather than dropping
// anything or growing without bound.
const maxStaged = 8 << 20

// maxHeldStaged bounds the bytes staged behind a chunk whose write has not
// returned (Stage).
const maxHeldStaged = 64 << 20

type chunk struct {
	fromClient bool
	t          time.Time
	buf        *[]byte
	seq        uint64 // the chunk's Ticket
	held       bool   // staged, not yet Sent
}

// Ticket names a staged chunk, for Sent.
type Ticket uint64

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// stageQueue is the session's staged chunks.
type stageQueue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	chunks   []chunk
	head     int
	bytes    int
	flushing bool
	seq      uint64 // chunks staged so far
}

// Stage copies bytes about to be forwarded, placing them in the
// conversation, and returns a Ticket for Sent. Until Sent, the chunk holds
// back everything staged after it: its place is fixed, but whether (and how
// much of) it crossed the connection is not known yet. Flush shows what is
// staged and sent, in order.
func (s *Session) Stage(fromClient bool, b []byte) Ticket {
	if s == nil || len(b) == 0 {
		return 0
	}
	q := &s.queue
	q.mu.Lock()
	// Past maxStaged, wait for the output. Behind a chunk still being sent,
	// wait only past maxHeldStaged: that write may be waiting on a peer that
	// first wants these bytes read, so the bound is raised until it ends.
	for q.bytes > maxStaged {
		held := q.headHeld()
		if held && q.bytes <= maxHeldStaged {
			break
		}
		if !held && !q.flushing {
			q.mu.Unlock()
			s.Flush()
			q.mu.Lock()
			continue
		}
		q.cond.Wait() // a flush or a Sent broadcasts
	}
	buf := chunkPool.Get().(*[]byte)
	*buf = append((*buf)[:0], b...)
	q.seq++
	q.chunks = append(q.chunks, chunk{fromClient: fromClient, t: time.Now(), buf: buf, seq: q.seq, held: true})
	q.bytes += len(b)
	q.mu.Unlock()
	return Ticket(q.seq)
}

// Sent says how many bytes of a staged chunk crossed the connection:
// those past n did not (a server's DISCONNECT written to a client that has
// just gone), so they are neither shown nor written to the pcap. It
// releases the chunk; Flush then shows it.
func (s *Session) Sent(t Ticket, n int) {
	if s == nil || t == 0 {
		return
	}
	q := &s.queue
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := q.head; i < len(q.chunks); i++ {
		if c := &q.chunks[i]; c.seq == uint64(t) {
			if n < len(*c.buf) {
				q.bytes -= len(*c.buf) - n
				*c.buf = (*c.buf)[:max(n, 0)]
			}
			c.held = false
			q.cond.Broadcast()
			return
		}
	}
}

// headHeld reports whether the next chunk to show is still being sent;
// q.mu is held.
func (q *stageQueue) headHeld() bool {
	return q.head < len(q.chunks) && q.chunks[q.head].held
}

// Flush shows everything staged, unless another goroutine is already
// doing so (it will show these bytes too).
func (s *Session) Flush() { s.flush(false) }

// flush shows the staged chunks; with wait, it waits for another
// goroutine's flush to end and then flushes anything left itself, so that
// Close cannot overtake bytes still being shown.
func (s *Session) flush(wait bool) {
	if s == nil {
		return
	}
	q := &s.queue
	q.mu.Lock()
	for q.flushing {
		if !wait {
			q.mu.Unlock()
			return
		}
		q.cond.Wait()
	}
	q.flushing = true
	for q.head < len(q.chunks) && !q.headHeld() {
		c := q.chunks[q.head]
		q.chunks[q.head] = chunk{}
		q.head++
		q.mu.Unlock()
		s.feed(c.fromClient, c.t, *c.buf)
		n := len(*c.buf)
		if cap(*c.buf) <= 64<<10 {
			chunkPool.Put(c.buf)
		}
		q.mu.Lock()
		q.bytes -= n
		q.cond.Broadcast()
	}
	if q.head == len(q.chunks) { // all shown: reuse the slice from the start
		q.chunks, q.head = q.chunks[:0], 0
	}
	q.flushing = false
	q.cond.Broadcast()
	q.mu.Unlock()
}
