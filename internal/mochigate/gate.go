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
	return &conn{Conn: c, g: g}, true
}

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
	return c.Conn.Close()
}
