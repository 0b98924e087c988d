package broker

import (
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mqtap/mqtap/internal/mochigate"
	"github.com/mqtap/mqtap/tap"
)

// Config says where the broker listens and who may connect.
type Config struct {
	Listen    []string // plain TCP addresses
	TLSListen []string // TLS addresses; TLS must be set
	WSListen  []string // WebSocket addresses (any path)
	TLS       *tls.Config
	// Users maps user names to passwords; nil lets anyone connect.
	Users map[string]string
	// Tap sees every connection; nil taps nothing.
	Tap *tap.Tap
	// Logger receives mochi's own log; nil discards it.
	Logger *slog.Logger
}

// Listener is one address the broker accepts connections on.
type Listener struct {
	Kind   string // tcp, tls or ws
	Config string // the address as Config gave it ("0.0.0.0:0")
	Addr   net.Addr
}

// ListenError is a listener that could not be opened: the address is
// malformed, taken, not local, or needs privileges.
type ListenError struct {
	Kind string // tcp, tls or ws
	Addr string // as Config gave it
	Err  error  // from net.Listen
}

func (e *ListenError) Error() string { return "listen " + e.Addr + ": " + listenReason(e.Err).Error() }

func (e *ListenError) Unwrap() error { return e.Err }

// listenReason drops what a *net.OpError repeats (the operation and the
// address) and the system call's name.
func listenReason(err error) error {
	var de *net.DNSError
	if errors.As(err, &de) {
		return errors.New(de.Err)
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// Broker is a running broker.
type Broker struct {
	srv       *mqtt.Server
	gate      *mochigate.Gate
	listeners []*tappedListener
}

// closeWait bounds how long Close waits for connections to finish.
const closeWait = 5 * time.Second

// Start opens every listener (so a busy port fails here, and port 0 is
// resolved) and starts serving.
func Start(cfg Config) (*Broker, error) {
	if len(cfg.TLSListen) > 0 && cfg.TLS == nil {
		return nil, errors.New("TLS listener without a certificate")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv := mqtt.New(&mqtt.Options{Logger: logger})
	if err := srv.AddHook(&authHook{users: cfg.Users}, nil); err != nil {
		return nil, err
	}
	b := &Broker{srv: srv, gate: mochigate.New()}
	add := func(kind string, addrs []string, tcfg *tls.Config) error {
		for _, a := range addrs {
			ln, err := net.Listen("tcp", a)
			if err != nil {
				return &ListenError{Kind: kind, Addr: a, Err: err}
			}
			if tcfg != nil {
				ln = tls.NewListener(ln, tcfg)
			}
			l := NewListener(kind+strconv.Itoa(len(b.listeners)), kind, ln, cfg.Tap, b.gate).(*tappedListener)
			l.config = a
			b.listeners = append(b.listeners, l)
			if err := srv.AddListener(l); err != nil {
				ln.Close()
				return err
			}
		}
		return nil
	}
	err := add("tcp", cfg.Listen, nil)
	if err == nil {
		err = add("tls", cfg.TLSListen, cfg.TLS)
	}
	if err == nil {
		err = add("ws", cfg.WSListen, nil)
	}
	if err == nil {
		err = srv.Serve()
	}
	if err != nil {
		for _, l := range b.listeners {
			l.ln.Close()
		}
		return nil, err
	}
	return b, nil
}

// Listeners are the addresses the broker accepts on.
func (b *Broker) Listeners() []Listener {
	out := make([]Listener, len(b.listeners))
	for i, l := range b.listeners {
		out[i] = Listener{Kind: l.kind, Config: l.config, Addr: l.ln.Addr()}
	}
	return out
}

// Close disconnects every client, stops the listeners and waits (a few
// seconds at most) for the connections to end, so that their taps have
// seen everything.
func (b *Broker) Close() error {
	deadline := time.Now().Add(closeWait)
	err := b.gate.CloseServer(b.srv.Close, closeWait)
	for _, l := range b.listeners {
		l.wait(time.Until(deadline))
	}
	return err
}
