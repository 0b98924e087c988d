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

// short drops the op and address a *net.OpError repeats, since DialError
// already says them.
func short(err error) error {
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
