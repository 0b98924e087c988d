package broker

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mqtap/mqtap/internal/mochigate"
	"github.com/mqtap/mqtap/tap"
)

// tappedListener is a mochi listener over a net.Listener that is already
// open; each accepted connection (after TLS, or after the WebSocket
// upgrade) goes through the tap before the broker reads it.
type tappedListener struct {
	id, kind string
	config   string // the address asked for (Listener.Config)
	ln       net.Listener
	tap      *tap.Tap
	gate     *mochigate.Gate
	log      *slog.Logger
	http     *http.Server // for kind ws
	closed   atomic.Bool
	conns    sync.WaitGroup
}

var _ listeners.Listener = (*tappedListener)(nil)

// NewListener is a mochi listener over ln, which is already open (and,
// for kind tls, already a TLS listener); kind ws upgrades every request
// to a WebSocket. Connections pass through t (nil taps nothing) and g,
// which must be shut before the server is closed.
func NewListener(id, kind string, ln net.Listener, t *tap.Tap, g *mochigate.Gate) listeners.Listener {
	return &tappedListener{id: id, kind: kind, ln: ln, tap: t, gate: g}
}

func (l *tappedListener) ID() string       { return l.id }
func (l *tappedListener) Address() string  { return l.ln.Addr().String() }
func (l *tappedListener) Protocol() string { return l.kind }

// Init keeps the logger (the socket was opened by Start) and makes the
// HTTP server of a WebSocket listener here, before Serve and Close can
// run concurrently.
func (l *tappedListener) Init(log *slog.Logger) error {
	l.log = log
	if l.kind == "ws" {
		l.http = &http.Server{ReadHeaderTimeout: 10 * time.Second}
	}
	return nil
}

// Serve accepts until Close.
func (l *tappedListener) Serve(establish listeners.EstablishFn) {
	if l.kind == "ws" {
		l.serveWebSocket(establish)
		return
	}
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		l.conns.Add(1)
		go func() {
			defer l.conns.Done()
			l.establish(establish, c)
		}()
	}
}

// establish runs the broker's side of one connection; it returns when the
// client is gone.
func (l *tappedListener) establish(establish listeners.EstablishFn, c net.Conn) {
	c, ok := l.gate.Admit(c)
	if !ok {
		return // the broker is closing
	}
	var nc net.Conn = c
	var tc *tap.Conn
	if l.tap != nil {
		tc = l.tap.Accepted(c)
		nc = tc
	}
	if err := establish(l.id, nc); err != nil && l.log != nil {
		l.log.Debug("client ended", "error", err)
	}
	nc.Close()
}

// Close stops accepting and has the broker disconnect this listener's
// clients.
func (l *tappedListener) Close(closeClients listeners.CloseFn) {
	if !l.closed.CompareAndSwap(false, true) {
		return
	}
	closeClients(l.id)
	if l.http != nil {
		l.http.Close() // also closes upgraded connections' listener side
	}
	l.ln.Close()
}

// wait waits for the connections to end, at most d.
func (l *tappedListener) wait(d time.Duration) {
	done := make(chan struct{})
	go func() {
		l.conns.Wait()
		close(done)
	}()
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
