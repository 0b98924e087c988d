package commands

import (
	"strings"
	"testing"
)

// A mistyped flag gets one line naming it and exit 2 from every command,
// including those that take mosquitto's multi-word -D (they parse their
// flags in a copy of themselves, which must carry the quiet usage errors).
func TestUnknownFlagIsOneLine(t *testing.T) {
	for _, cmd := range []string{"pub", "sub", "connect", "check", "decode", "broker", "proxy"} {
		t.Run(cmd, func(t *testing.T) {
			out, errOut, code := runMqtap(t, cmd, "--bogus")
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if want := "mqtap: flag provided but not defined: -bogus\n"; errOut != want {
				t.Errorf("stderr %q, want %q", errOut, want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing (no help dump)", firstLine(out))
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Runs in one process may overlap (the tests do it all the time): building
// an app must not change what another run's flag parsing sees. urfave/cli
// keeps the help and version flags in package variables, compared by
// pointer when a command adds its help flag; replacing them per app let a
// pub run add a second help flag ("flag redefined: help").
func TestConcurrentRuns(t *testing.T) {
	const runs = 32
	codes := make(chan string, runs)
	for range runs {
		go func() {
			// Port 1 refuses: each run parses all its flags, then fails
			// to connect (exit 3).
			_, errOut, code := runMqtap(t, "pub", "-h", "127.0.0.1", "-p", "1", "-t", "x", "-m", "y", "--connect-timeout", "5s")
			if code != ExitConnect {
				codes <- errOut
				return
			}
			codes <- ""
		}()
	}
	for range runs {
		if errOut := <-codes; errOut != "" {
			t.Errorf("a run did not end with exit %d: %q", ExitConnect, errOut)
		}
	}
}
