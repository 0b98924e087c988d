package proxy

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/mqtap/mqtap/tap"
)

// Config is what a Proxy needs.
type Config struct {
	// Dial opens the upstream connection for a client (any transport:
	// TCP, TLS, WebSocket).
	Dial func(ctx context.Context) (net.Conn, error)
	// Tap sees the traffic; nil forwards without looking.
	Tap *tap.Tap
	// DialTimeout bounds opening the upstream (default 10s).
	DialTimeout time.Duration
	// CloseGrace is how long one side may go on sending after the other
	// has closed its half (default 10s); then both are closed.
	CloseGrace time.Duration
	// OnError, if set, is told why a connection could not be proxied or
	// ended abnormally (refused upstream, reset). It may be called
	// concurrently.
	OnError func(client net.Addr, err error)
}

// Proxy accepts clients and forwards each to its own upstream connection.
type Proxy struct {
	cfg Config

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*pair]struct{}
	closed    bool
	wg        sync.WaitGroup
}

// ErrClosed is returned by Serve once Close was called.
var ErrClosed = errors.New("proxy closed")

// New returns a proxy.
func New(cfg Config) *Proxy {
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 10 * time.Second
	}
	if cfg.CloseGrace <= 0 {
		cfg.CloseGrace = 10 * time.Second
	}
	return &Proxy{cfg: cfg, listeners: map[net.Listener]struct{}{}, conns: map[*pair]struct{}{}}
}

// Serve accepts connections on ln until ln fails or the proxy is closed,
// which returns ErrClosed. Serve may run on several listeners at once.
func (p *Proxy) Serve(ln net.Listener) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		ln.Close()
		return ErrClosed
	}
	p.listeners[ln] = struct{}{}
	p.mu.Unlock()
	var tempDelay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			p.mu.Lock()
			closed := p.closed
			p.mu.Unlock()
			if closed {
				return ErrClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Out of file descriptors and the like: back off, as net/http does.
				tempDelay = min(max(2*tempDelay, 5*time.Millisecond), time.Second)
				time.Sleep(tempDelay)
				continue
			}
			return err
		}
		tempDelay = 0
		if !p.add(c) {
			c.Close()
			return ErrClosed
		}
	}
}

// add starts proxying c unless the proxy is closing.
func (p *Proxy) add(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	pr := &pair{proxy: p, client: c}
	p.conns[pr] = struct{}{}
	p.wg.Add(1)
	go pr.run()
	return true
}

func (p *Proxy) remove(pr *pair) {
	p.mu.Lock()
	delete(p.conns, pr)
	p.mu.Unlock()
	p.wg.Done()
}

// Close stops the listeners, closes every connection and waits for their
// goroutines to end.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for ln := range p.listeners {
		ln.Close()
	}
	conns := make([]*pair, 0, len(p.conns))
	for pr := range p.conns {
		conns = append(conns, pr)
	}
	p.mu.Unlock()
	for _, pr := range conns {
		pr.abort()
	}
	p.wg.Wait()
	return nil
}

// Probe opens one upstream connection, as a client's would be (within
// DialTimeout), and closes it at once: it tells whether the upstream can
// be reached now. The upstream sees a connection that sends nothing.
func (p *Proxy) Probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DialTimeout)
	defer cancel()
	c, err := p.cfg.Dial(ctx)
	if err != nil {
		return err
	}
	c.Close()
	return nil
}

// Active is the number of connections being proxied.
func (p *Proxy) Active() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}
