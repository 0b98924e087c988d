package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
)

// Options are everything Dial needs beyond the endpoint.
type Options struct {
	TLS TLSOptions
	// Dialer, if set, opens the TCP connection (tests use it); default
	// net.Dialer.
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Dial opens the connection to e; ctx bounds every step (DNS, TCP, TLS,
// WebSocket upgrade). Failures are *DialError values saying which step
// failed.
func Dial(ctx context.Context, e Endpoint, o Options) (net.Conn, error) {
	addr := e.Addr()
	var tcfg *tls.Config
	if e.Scheme.Secure() {
		var err error
		if tcfg, err = o.TLS.Config(e.Host); err != nil {
			return nil, &DialError{Stage: StageConfig, Addr: addr, Err: err}
		}
	}
	dial := o.Dialer
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	if e.Scheme == WS || e.Scheme == WSS {
		return dialWebSocket(ctx, e, tcfg, dial)
	}
	nc, err := dialTCP(ctx, dial, addr)
	if err != nil {
		return nil, err
	}
	if tcfg == nil {
		return nc, nil
	}
	tc := tls.Client(nc, tcfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, &DialError{Stage: StageTLS, Addr: addr, Err: err}
	}
	return tc, nil
}

// dialTCP connects, telling a name that does not resolve from a port that
// refuses.
func dialTCP(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), addr string) (net.Conn, error) {
	nc, err := dial(ctx, "tcp", addr)
	if err != nil {
		stage := StageConnect
		var de *net.DNSError
		if errors.As(err, &de) {
			stage = StageResolve
		}
		return nil, &DialError{Stage: stage, Addr: addr, Err: err}
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		// MQTT packets are small and latency-bound; mqtap batches its own
		// writes, so Nagle's algorithm would only add delay.
		tc.SetNoDelay(true)
	}
	return nc, nil
}
