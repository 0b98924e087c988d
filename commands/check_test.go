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
		{"no check left", checkArgs(b.port, "--only", "pubsub", "--skip", "pubsub"), commands.ExitUsage},
		{"payload beyond MQTT", checkArgs(b.port, "--max-payload", "268435456"), commands.ExitUsage},
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

// A broker that loses messages fails the check about them, end to end:
// table, report and exit status 8.
func TestCheckBrokenBrokerExit8(t *testing.T) {
	// The ACL refuses QoS 1 round trip's messages: mochi acknowledges
	// them (3.1.1 has no refusal code for a PUBACK) and drops them.
	b := startBroker(t, brokerOptions{denyWrite: func(_, topic string) bool { return strings.Contains(topic, "/pubsub/qos1/") }})
	junit := filepath.Join(t.TempDir(), "report.xml")
	r := mqtap(nil, checkArgs(b.port, "-V", "311", "--only", "pubsub", "--junit", junit)...)
	if r.code != commands.ExitCheckFailed {
		t.Fatalf("exit %d, want 8\n%s%s", r.code, r.out, r.errOut)
	}
	if !strings.Contains(r.out, "pubsub/qos1") || !strings.Contains(r.errOut, "mqtap: 1 of 4 checks failed") {
		t.Errorf("output:\n%s%s", r.out, r.errOut)
	}
	raw, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(raw), `<testcase name="pubsub/qos1"`) || !strings.Contains(string(raw), "<failure") {
		t.Errorf("JUnit report (%v):\n%s", err, raw)
	}
}

// A broker that cannot be used at all still gets report files, with the
// reason, so that a CI job's report step has something to show.
func TestCheckReportsWhenBrokerUnusable(t *testing.T) {
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "report.xml"), filepath.Join(dir, "report.json")
	r := mqtap(nil, checkArgs(freePort(t), "--junit", junit, "--json", js)...)
	if r.code != commands.ExitConnect {
		t.Fatalf("exit %d, want 3\n%s%s", r.code, r.out, r.errOut)
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil || doc.Tests != 1 || doc.Failures != 1 ||
		!strings.Contains(string(raw), "connect/broker") || !strings.Contains(string(raw), "connection refused") {
		t.Errorf("JUnit report (%v, %+v):\n%s", err, doc, raw)
	}
	if raw, err := os.ReadFile(js); err != nil || !strings.Contains(string(raw), `"fail": 1`) {
		t.Errorf("JSON report (%v):\n%s", err, raw)
	}
}

// A report path that cannot be written is a bad flag, said before any
// check runs, and leaves no file behind.
func TestCheckUnwritableReport(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	junit := filepath.Join(t.TempDir(), "report.xml")
	r := mqtap(nil, checkArgs(b.port, "--junit", junit, "--json", filepath.Join(t.TempDir(), "missing", "report.json"))...)
	if r.code != commands.ExitUsage || !strings.HasPrefix(r.errOut, "mqtap: --json: open ") || r.out != "" {
		t.Errorf("exit %d:\n%s%s", r.code, r.out, r.errOut)
	}
	if _, err := os.Stat(junit); err == nil {
		t.Error("the JUnit report, opened first, was left behind")
	}
}

// Naming a benchmark in --only runs it without --bench.
func TestCheckOnlyBenchRunsIt(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	r := mqtap(nil, checkArgs(b.port, "--only", "bench/qos0")...)
	if r.code != commands.ExitOK || !strings.Contains(r.out, "bench/qos0") || !strings.Contains(r.out, "msgs/s") {
		t.Errorf("exit %d:\n%s%s", r.code, r.out, r.errOut)
	}
}
