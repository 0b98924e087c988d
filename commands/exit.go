package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
	"github.com/urfave/cli/v2"
)

// Exit codes (DESIGN.md). Every failure leaves through Run with one of these.
const (
	ExitOK          = 0
	ExitFailure     = 1 // unexpected runtime failure
	ExitUsage       = 2 // bad flag, bad value, missing argument
	ExitConnect     = 3 // DNS, refused, TLS handshake, WebSocket upgrade
	ExitRefused     = 4 // the broker refused the connection (CONNACK)
	ExitProtocol    = 5 // malformed or unexpected packet, server DISCONNECT
	ExitTimeout     = 6 // no CONNACK, no ack, -W expired
	ExitDecode      = 7 // input could not be decoded
	ExitCheckFailed = 8 // one or more check tests failed
)

// ExitError carries an exit code chosen by a command.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// exitf returns an error that leaves with the given code.
func exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// withCode wraps err so that it leaves with code (nil stays nil).
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// usageError is a bad flag or argument.
func usageError(format string, args ...any) error { return exitf(ExitUsage, format, args...) }

// silentError is an error --quiet asked not to print; it still sets the
// exit code.
type silentError struct{ error }

func (e silentError) Unwrap() error { return e.error }

// quietErrors makes the action's errors silent under --quiet, as
// mosquitto_pub and mosquitto_sub's --quiet ("don't print error
// messages"). Errors in the flags themselves are still printed.
func quietErrors(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		err := action(c)
		if err != nil && c.Bool(flagQuiet) {
			return silentError{err}
		}
		return err
	}
}

// ExitCode maps an error to the exit code of DESIGN.md's table.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ce cli.ExitCoder
	if errors.As(err, &ce) {
		return ce.ExitCode()
	}
	var dialErr *transport.DialError
	if errors.As(err, &dialErr) {
		return ExitConnect
	}
	var refused *mqttwire.ConnackError
	if errors.As(err, &refused) {
		return ExitRefused
	}
	var timeout *mqttwire.TimeoutError
	if errors.As(err, &timeout) {
		return ExitTimeout
	}
	var me *mqttwire.MalformedError
	var pe *mqttwire.ProtocolError
	var de *mqttwire.DisconnectError
	var closed *mqttwire.ClosedError
	var tl *mqttwire.TooLargeError
	if errors.As(err, &me) || errors.As(err, &pe) || errors.As(err, &de) || errors.As(err, &closed) || errors.As(err, &tl) {
		return ExitProtocol
	}
	// A message refused before sending for breaking a CONNACK limit: the
	// code the broker's DISCONNECT for it would have given.
	var le *mqttwire.LimitError
	if errors.As(err, &le) {
		return ExitProtocol
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return ExitTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ExitTimeout
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return ExitConnect
	}
	if isUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

// isUsage recognises urfave/cli's own parse errors, which are plain errors.
func isUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"flag provided but not defined", "invalid value", "flag needs an argument", "Required flag", "Required flags"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Run runs mqtap with args (args[0] is the program name) and returns the
// exit code. Errors are printed once, as one line starting with "mqtap: ".
func Run(args []string, stdio Stdio, build BuildInfo) int {
	parseMu.Lock()
	var once sync.Once
	release := func() { once.Do(parseMu.Unlock) }
	parseDone = release
	defer release()
	app := NewApp(stdio, build)
	args = hoistFlags(args, app.Commands)
	setupFor(app, args)
	err := app.Run(args)
	if err == nil {
		return ExitOK
	}
	var silent silentError
	if errors.As(err, &silent) {
		return ExitCode(err)
	}
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	fmt.Fprintf(stdio.Err, "mqtap: %s\n", msg)
	return ExitCode(err)
}

// Runs in one process overlap in the tests. urfave/cli v2 keeps the help
// and version flags in package variables that every app's commands share,
// and writes to a flag while parsing with it, so the part of a run that
// builds the app and parses its arguments (and prints any --help) holds
// parseMu; a command's action releases it through parseDone (see
// skipFlagActions), and Run at the latest when it returns.
var (
	parseMu   sync.Mutex
	parseDone func() // set while parseMu is held, by the run holding it
)
