package commands_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/commands"
)

// checkArgs runs the battery quickly against a test broker.
func checkArgs(port string, extra ...string) []string {
	return append([]string{"check", "-h", "127.0.0.1", "-p", port, "--timeout", "5s", "--max-payload", "65536"}, extra...)
}

func TestCheckPassesAgainstMochi(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "report.xml"), filepath.Join(dir, "report.json")
	r := mqtap(nil, checkArgs(b.port, "--junit", junit, "--json", js)...)
	if r.code != commands.ExitOK {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.out, r.errOut)
	}
	for _, want := range []string{"pubsub/qos2", "PASS", "mqtt5/topic-alias", "SKIP", "0 failed"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "\x1b[") {
		t.Error("colour on a non-terminal")
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests int `xml:"tests,attr"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil || doc.Tests == 0 {
		t.Errorf("JUnit report: %v, %d tests", err, doc.Tests)
	}
	if raw, err := os.ReadFile(js); err != nil || !strings.Contains(string(raw), `"capabilities"`) {
		t.Errorf("JSON report: %v", err)
	}
}

// mochi announces no Topic Alias Maximum: requiring aliases fails the run.
func TestCheckRequireFailsWithExit8(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	r := mqtap(nil, checkArgs(b.port, "--only", "mqtt5", "--require", "topicalias")...)
	if r.code != commands.ExitCheckFailed {
		t.Fatalf("exit %d, want 8\n%s%s", r.code, r.out, r.errOut)
	}
	if !strings.Contains(r.out, "required capability topicalias not offered") || !strings.Contains(r.errOut, "mqtap: 1 of ") {
		t.Errorf("output:\n%s%s", r.out, r.errOut)
	}
}

func TestCheckConnectionExitCodes(t *testing.T) {
	b := startBroker(t, brokerOptions{users: map[string]string{"ci": "secret"}})
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"unreachable", checkArgs(freePort(t)), commands.ExitConnect},
		{"refused", checkArgs(b.port, "-u", "ci", "-P", "wrong"), commands.ExitRefused},
		{"accepted", checkArgs(b.port, "-u", "ci", "-P", "secret", "--expect-auth", "--only", "connect"), commands.ExitOK},
		{"unknown check", checkArgs(b.port, "--only", "nosuch"), commands.ExitUsage},
		{"unknown capability", checkArgs(b.port, "--require", "qos3"), commands.ExitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mqtap(nil, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tc.code, r.out, r.errOut)
			}
			if tc.code != commands.ExitOK && !strings.HasPrefix(r.errOut, "mqtap: ") {
				t.Errorf("stderr %q", r.errOut)
			}
		})
	}
}

func TestCheckList(t *testing.T) {
	r := mqtap(nil, "check", "--list")
	if r.code != 0 || !strings.Contains(r.out, "pubsub/ordering") || !strings.Contains(r.out, "VERIFIES") {
		t.Errorf("exit %d:\n%s%s", r.code, r.out, r.errOut)
	}
}
