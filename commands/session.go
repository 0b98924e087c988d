package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
	"github.com/urfave/cli/v2"
)

// packetLog receives the session's events and shows or stores them as the
// flags ask: -d trace lines, -v dissections, a --write capture. Events
// come from the session's reader and writer goroutines; the mutex keeps
// their output whole and in order.
type packetLog struct {
	mu       sync.Mutex
	clientID string
	trace    *tracer // -d
	sinks    []func(mqttwire.Event)
}

func (l *packetLog) event(e mqttwire.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.trace != nil {
		l.trace.event(l.clientID, e)
	}
	for _, s := range l.sinks {
		s(e)
	}
}

// active reports whether any event consumer is set, so the session can
// skip building events nobody reads.
func (l *packetLog) active() bool { return l.trace != nil || len(l.sinks) > 0 }

// sessionOptions is what a command adds to the connection flags.
type sessionOptions struct {
	maxInflight int
	onPublish   func(*mqttwire.Publish)
	onIdle      func()
	log         *packetLog
	// resumable keeps QoS 1/2 messages until acknowledged, so that a lost
	// session can be resumed; resume is the state of the one before.
	resumable bool
	resume    *mqttwire.SessionState
}

// openSession dials and connects, bounded by --connect-timeout.
func openSession(ctx context.Context, s *connSettings, o sessionOptions) (*mqttwire.Conn, *mqttwire.Connack, error) {
	cctx, cancel := context.WithTimeout(ctx, s.connectTimeout)
	defer cancel()
	s.warnPassword()
	nc, err := transport.Dial(cctx, s.endpoint, s.dial)
	if err != nil {
		return nil, nil, err
	}
	cfg := mqttwire.ConnConfig{MaxInflight: o.maxInflight, OnPublish: o.onPublish, OnReadIdle: o.onIdle, WriteTimeout: s.timeout,
		Resumable: o.resumable}
	if o.log != nil && o.log.active() {
		cfg.OnEvent = o.log.event
	}
	conn := mqttwire.NewConn(nc, cfg)
	if o.resume != nil {
		conn.ResumeFrom(o.resume)
	}
	ack, err := conn.Connect(cctx, s.connect)
	var alert *net.OpError
	if errors.As(err, &alert) && alert.Op == "remote error" { // a TLS alert from the server
		// In TLS 1.3 the server judges our certificate after the client's
		// handshake is done, so its refusal arrives with the first read.
		return nil, ack, &transport.DialError{Stage: transport.StageTLS, Addr: s.endpoint.Addr(), Err: err}
	}
	var closed *mqttwire.ClosedError
	if errors.As(err, &closed) && s.endpoint.Scheme.Secure() && s.dial.TLS.CertFile == "" {
		// An OpenSSL server refusing a TLS 1.3 client for want of a
		// certificate just closes the connection after the handshake.
		return nil, ack, &transport.DialError{Stage: transport.StageTLS, Addr: s.endpoint.Addr(),
			Err: fmt.Errorf("%w (does the server require a client certificate? see --cert)", err)}
	}
	if err != nil {
		return nil, ack, fmt.Errorf("connect %s: %w", s.endpoint.Addr(), err)
	}
	return conn, ack, nil
}

// closeSession sends DISCONNECT with the -D disconnect properties.
func closeSession(ctx context.Context, conn *mqttwire.Conn, s *connSettings) error {
	dctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	d := &mqttwire.Disconnect{}
	d.Properties.List = s.props.get(cmdDisconnect).List
	if err := conn.Disconnect(dctx, d); err != nil {
		return fmt.Errorf("disconnect: %w", err)
	}
	return nil
}

// contextWithTimeout bounds one wait of a command.
func contextWithTimeout(c *cli.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Context, d)
}
