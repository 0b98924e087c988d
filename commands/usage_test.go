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
