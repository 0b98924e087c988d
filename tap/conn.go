package tap

import (
	"net"
	"sync"
)

// Conn is a server's end of an accepted connection, tapped: what the
// server reads came from the client, what it writes goes to it.
type Conn struct {
	net.Conn
	s    *Session
	once sync.Once
}

// Accepted wraps a connection a server accepted so that the tap sees its
// bytes; the session ends when the Conn is closed.
func (t *Tap) Accepted(nc net.Conn) *Conn {
	return &Conn{Conn: nc, s: t.Open(nc.RemoteAddr(), nc.LocalAddr())}
}

// Session is the connection's tap session.
func (c *Conn) Session() *Session { return c.s }

func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.s.FromClient(p[:n])
	}
	return n, err
}

// Write stages the bytes before sending them, as the proxy does: once
// sent, the client's answer can be read (and shown) at once, and it must
// not be shown before what it answers. What a failed write did not send
// is not shown: a write racing the connection's close may fail.
func (c *Conn) Write(p []byte) (int, error) {
	t := c.s.Stage(false, p)
	n, err := c.Conn.Write(p)
	c.s.Sent(t, n)
	c.s.Flush()
	return n, err
}

// Close closes the connection and ends the session.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.s.Close)
	return err
}
