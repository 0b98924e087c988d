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

type chunk struct {
	fromClient bool
	t          time.Time
	buf        *[]byte
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// stageQueue is the session's staged chunks.
type stageQueue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	chunks   []chunk
	head     int
	bytes    int
	flushing bool
}

// Stage copies bytes about to be forwarded, placing them in the
// conversation; Flush shows them.
func (s *Session) Stage(fromClient bool, b []byte) {
	if s == nil || len(b) == 0 {
		return
	}
	q := &s.queue
	q.mu.Lock()
	for q.bytes > maxStaged {
		if !q.flushing {
			q.mu.Unlock()
			s.Flush()
			q.mu.Lock()
			continue
		}
		q.cond.Wait()
	}
	buf := chunkPool.Get().(*[]byte)
	*buf = append((*buf)[:0], b...)
	q.chunks = append(q.chunks, chunk{fromClient: fromClient, t: time.Now(), buf: buf})
	q.bytes += len(b)
	q.mu.Unlock()
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
	for q.head < len(q.chunks) {
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
	q.chunks, q.head = q.chunks[:0], 0
	q.flushing = false
	q.cond.Broadcast()
	q.mu.Unlock()
}
