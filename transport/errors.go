package transport

import (
	"errors"
	"net"
	"os"
)

// Stage is the step of opening a connection that failed.
type Stage string

// The steps of Dial, in order.
const (
	StageBind      Stage = "bind to"
	StageResolve   Stage = "resolve"
	StageConnect   Stage = "connect"
	StageTLS       Stage = "TLS handshake with"
	StageWebSocket Stage = "WebSocket upgrade at"
	StageConfig    Stage = "configure TLS for"
)

// DialError is a connection that could not be opened. Callers test for it
// with errors.As; Stage says which step failed.
type DialError struct {
	Stage Stage
	Addr  string
	Err   error
}

func (e *DialError) Error() string {
	return string(e.Stage) + " " + e.Addr + ": " + short(e.Err).Error()
}

func (e *DialError) Unwrap() error { return e.Err }

// proxyError is a failure to reach the broker through the SOCKS5 proxy.
// It names the proxy, and short keeps it whole, so that a refusal or an
// unknown name is not taken for the broker's.
type proxyError struct {
	proxy string // host:port
	err   error
}

func (e *proxyError) Error() string { return "SOCKS5 proxy " + e.proxy + ": " + short(e.err).Error() }

func (e *proxyError) Unwrap() error { return e.err }

// short drops the op and address a *net.OpError repeats, since DialError
// already says them.
func short(err error) error {
	var pe *proxyError
	if errors.As(err, &pe) {
		return pe
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		var de *net.DNSError
		if errors.As(oe.Err, &de) {
			return errors.New(de.Err)
		}
		var se *os.SyscallError
		if errors.As(oe.Err, &se) {
			return se.Err
		}
		return oe.Err
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return errors.New(de.Err)
	}
	return err
}
