// Package mochigate closes a mochi-mqtt server without racing the
// connections it is still taking in.
//
// mochi (v2.7.9) counts live clients with a sync.WaitGroup: each
// connection's goroutine calls Add when it starts, and Server.Close calls
// Wait. A connection accepted just before Close can call Add while Close
// is already waiting, which the race detector reports and which can let
// Close return before that client is torn down. A Gate admits connections
// until it is shut and, when shut, waits until every admitted connection
// has been used once: mochi only reads or writes a connection after its
// Add, so from then on Close is safe.
package mochigate

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Gate admits connections until Shut.
type Gate struct {
	mu      sync.Mutex
	shut    bool
	pending int           // admitted, not yet used
	drained chan struct{} // closed when shut and pending reaches 0
	open    map[*conn]struct{}
}

// New returns an open gate.
func New() *Gate { return &Gate{drained: make(chan struct{})} }

// Admit wraps c for the server, or closes it and reports false once the
// gate is shut.
func (g *Gate) Admit(c net.Conn) (net.Conn, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		c.Close()
		return nil, false
	}
	g.pending++
	gc := &conn{Conn: c, g: g}
	if g.open == nil {
		g.open = map[*conn]struct{}{}
	}
	g.open[gc] = struct{}{}
	return gc, true
}

func (g *Gate) closed(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.open, c)
}

// CloseServer shuts the gate (waiting at most d) and runs close, mochi's
// Server.Close. That can wait forever for a client mochi lost track of:
// in v2.7.9, when a session is taken over while the client before it is
// still leaving, the leaving one can delete the new one from the client
// list, and Close never stops it. So when close has not returned after d,
// the connections the gate admitted that are still open are closed, which
// ends their clients, and close is waited for another d.
func (g *Gate) CloseServer(close func() error, d time.Duration) error {
	g.Shut(d)
	done := make(chan error, 1)
	go func() { done <- close() }()
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
	}
	g.mu.Lock()
	left := make([]*conn, 0, len(g.open))
	for c := range g.open {
		left = append(left, c)
	}
	g.mu.Unlock()
	for _, c := range left {
		c.Close()
	}
	t.Reset(max(d, 0))
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errCloseTimeout
	}
}

// errCloseTimeout: the server did not close even with its connections gone.
var errCloseTimeout = errors.New("the broker did not stop")

func (g *Gate) used() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pending--
	if g.shut && g.pending == 0 {
		close(g.drained)
	}
}

// Shut refuses new connections and waits, at most d, until every admitted
// one has been used. It reports whether they all were.
func (g *Gate) Shut(d time.Duration) bool {
	g.mu.Lock()
	if !g.shut {
		g.shut = true
		if g.pending == 0 {
			close(g.drained)
		}
	}
	g.mu.Unlock()
	select {
	case <-g.drained:
		return true
	default:
	}
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-g.drained:
		return true
	case <-t.C:
		return false
	}
}

// Listener admits what ln accepts; connections that arrive after Shut are
// closed at once and never reach the server.
func (g *Gate) Listener(ln net.Listener) net.Listener { return &listener{Listener: ln, g: g} }

type listener struct {
	net.Listener
	g *Gate
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if gc, ok := l.g.Admit(c); ok {
			return gc, nil
		}
	}
}

// conn tells its gate when it is first read, written or closed.
type conn struct {
	net.Conn
	g    *Gate
	once sync.Once
}

func (c *conn) mark() { c.once.Do(c.g.used) }

func (c *conn) Read(p []byte) (int, error) {
	c.mark()
	return c.Conn.Read(p)
}

func (c *conn) Write(p []byte) (int, error) {
	c.mark()
	return c.Conn.Write(p)
}

func (c *conn) Close() error {
	c.mark()
	c.g.closed(c)
	return c.Conn.Close()
}
