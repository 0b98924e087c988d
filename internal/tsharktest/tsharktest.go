// Package tsharktest runs the real tshark for the interop tests, which
// compare mqtap with what tshark 4.0 prints.
package tsharktest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Run runs tshark with args in UTC (tshark prints times in the local zone)
// and returns its standard output. The test fails, never skips, when
// tshark is missing or fails: an interop run that compares nothing must not
// pass.
func Run(t testing.TB, args ...string) []byte {
	t.Helper()
	out, _ := run(t, args)
	return out
}

// RunClean is Run for a capture tshark must read without complaint: each
// line tshark writes on standard error, other than its warning about
// running as root, is a test error.
func RunClean(t testing.TB, args ...string) []byte {
	t.Helper()
	out, errOut := run(t, args)
	for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if l != "" && !strings.HasPrefix(l, "Running as user") {
			t.Errorf("tshark %v complained: %s", args, l)
		}
	}
	return out
}

func run(t testing.TB, args []string) (stdout []byte, stderr string) {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Fatalf("tshark is required for the interop tests: %v", err)
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %v: %v: %s", args, err, errOut.String())
	}
	return out.Bytes(), errOut.String()
}
