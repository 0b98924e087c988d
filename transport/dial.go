package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/url"
	"syscall"
)

// Options are everything Dial needs beyond the endpoint.
type Options struct {
	TLS TLSOptions
	// Dialer, if set, opens the TCP connection (tests use it); default
	// net.Dialer.
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// LocalAddr binds the outgoing socket to this host or IP, as
	// mosquitto's -A.
	LocalAddr string
	// Unix, if set, is a Unix domain socket to connect to instead of the
	// endpoint's host and port (mosquitto's --unix); TLS and WebSocket
	// still run over it when the scheme asks.
	Unix string
	// Proxy, if set, is a SOCKS5 proxy (see ParseProxyURL) that reaches
	// the endpoint's host and port.
	Proxy *url.URL
}

type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// dialer is the function that opens the byte stream the MQTT session,
// its TLS or its WebSocket runs over.
func (o Options) dialer(ctx context.Context) (dialFunc, error) {
	dial := o.Dialer
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
		if o.LocalAddr != "" {
			ips, err := net.DefaultResolver.LookupIPAddr(ctx, o.LocalAddr)
			if err != nil {
				return nil, &DialError{Stage: StageBind, Addr: o.LocalAddr, Err: err}
			}
			d.LocalAddr = &net.TCPAddr{IP: ips[0].IP, Zone: ips[0].Zone}
			dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := d.DialContext(ctx, network, addr)
				if errors.Is(err, syscall.EADDRNOTAVAIL) {
					// -A named an address this host does not have.
					return nil, &DialError{Stage: StageBind, Addr: o.LocalAddr, Err: syscall.EADDRNOTAVAIL}
				}
				return c, err
			}
		}
	}
	switch {
	case o.Unix != "":
		path := o.Unix
		return func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx, "unix", path) }, nil
	case o.Proxy != nil:
		forward := dial
		return func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dialSOCKS5(ctx, forward, o.Proxy, addr)
		}, nil
	}
	return dial, nil
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
	dial, err := o.dialer(ctx)
	if err != nil {
		return nil, err
	}
	if e.Scheme == WS || e.Scheme == WSS {
		return dialWebSocket(ctx, e, tcfg, dial)
	}
	where := addr
	if o.Unix != "" {
		where = o.Unix
	}
	nc, err := dialTCP(ctx, dial, addr, where)
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
// refuses; errors name where (the address, or the Unix socket).
func dialTCP(ctx context.Context, dial dialFunc, addr, where string) (net.Conn, error) {
	nc, err := dial(ctx, "tcp", addr)
	var bindErr *DialError
	if errors.As(err, &bindErr) {
		return nil, err // the dialer's own (-A)
	}
	if err != nil {
		stage := StageConnect
		var de *net.DNSError
		var pe *proxyError
		if !errors.As(err, &pe) && errors.As(err, &de) {
			stage = StageResolve // the broker's name, not the proxy's
		}
		return nil, &DialError{Stage: stage, Addr: where, Err: err}
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		// MQTT packets are small and latency-bound; mqtap batches its own
		// writes, so Nagle's algorithm would only add delay.
		tc.SetNoDelay(true)
	}
	return nc, nil
}
