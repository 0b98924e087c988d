package commands_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/output"
)

// TestSubFormats checks -F fields, -v, -N, -T and --output modes against
// one retained v5 message with properties.
func TestSubFormats(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-V", "5", "-t", "fmt/a", "-m", `{"x":1}`, "-r", "-q", "1",
		"--content-type", "application/json", "--user-property", "k=v,w", "-D", "publish", "user-property", "k2", "v2",
		"--response-topic", "re/ply", "--correlation-data", "corr", "--message-expiry", "300", "--payload-format", "1"), 0)
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "fmt/skip", "-m", "skipped", "-r"), 0)
	// A subscriber arriving before mochi has stored a message would get
	// it live, with the retain flag cleared (see TestRetained).
	b.waitPublished(t, "fmt/a", 1)
	b.waitPublished(t, "fmt/skip", 1)
	sub := func(args ...string) string {
		t.Helper()
		res := mqtap(nil, append([]string{"sub", "-p", b.port, "-V", "5", "-t", "fmt/a", "-q", "1", "-C", "1"}, args...)...)
		expectCode(t, res, 0)
		return res.out
	}
	cases := []struct{ format, want string }{
		{"%t|%p|%q|%r|%l", `fmt/a|{"x":1}|1|1|7`},
		{"%x %X", "7b2278223a317d 7B2278223A317D"},
		// -D properties come before the flags' ones.
		{"%C;%R;%D;%F;%P", "application/json;re/ply;corr;1;k2:v2 k:v,w"},
		{`[%10t][%-6l]\t%%@@`, "[     fmt/a][7     ]\t%@"},
		{"%m", "1"},
	}
	for _, c := range cases {
		if got := sub("-F", c.format); got != c.want+"\n" {
			t.Errorf("-F %q: got %q, want %q", c.format, got, c.want)
		}
	}
	// The broker lowers the expiry by the time the message waited.
	if got := sub("-F", "%E"); !regexp.MustCompile(`^(300|29\d)\n$`).MatchString(got) {
		t.Errorf("%%E: %q", got)
	}
	if got := sub("-F", "%I %U @Y"); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} \d+\.\d{9} \d{4}\n$`).MatchString(got) {
		t.Errorf("time fields: %q", got)
	}
	if got := sub("-F", "%j"); !regexp.MustCompile(`^\{"tst":"[^"]+","topic":"fmt/a","qos":1,"retain":1,"payloadlen":7,"mid":\d+,"payload":"\{\\"x\\":1\}"\}\n$`).MatchString(got) {
		t.Errorf("%%j: %q", got)
	}
	if got := sub("-F", "%J"); !strings.HasSuffix(got, `"payload":{"x":1}}`+"\n") {
		t.Errorf("%%J: %q", got)
	}
	if got := sub("-v"); got != "fmt/a {\"x\":1}\n" {
		t.Errorf("-v: %q", got)
	}
	if got := sub("-N"); got != `{"x":1}` {
		t.Errorf("-N: %q", got)
	}
	var m struct {
		Topic      string
		QoS        int
		Retain     bool
		Payload    string
		Properties []struct{ Name, Key string }
	}
	if err := json.Unmarshal([]byte(sub("--output", "jsonl")), &m); err != nil || m.Topic != "fmt/a" || m.Payload != `{"x":1}` || !m.Retain || len(m.Properties) < 5 {
		t.Errorf("jsonl: %+v (%v)", m, err)
	}
	if got := sub("--output", "json"); !strings.HasPrefix(got, "{\n  \"time\": ") {
		t.Errorf("json: %q", got)
	}
	if got := sub("--output", "hex"); got != "fmt/a\n00000000  7b 22 78 22 3a 31 7d                              |{\"x\":1}|\n" {
		t.Errorf("hex: %q", got)
	}
	if got := sub("--output", "dissect"); !strings.Contains(got, "MQ Telemetry Transport Protocol, Publish Message") || !strings.Contains(got, "Topic: fmt/a") {
		t.Errorf("dissect: %q", got)
	}
	// -T filters a topic out without counting it toward -C.
	res := mqtap(nil, "sub", "-p", b.port, "-t", "fmt/#", "-T", "fmt/skip", "-C", "1", "-v")
	expectCode(t, res, 0)
	if res.out != "fmt/a {\"x\":1}\n" {
		t.Errorf("-T: %q", res.out)
	}
}

// TestSubscriptionOptions checks the v5 options and -U, -E.
func TestSubscriptionOptions(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "opt/r", "-m", "old", "-r"), 0)
	// pub's QoS 0 PUBLISH may still be unread when the subscriber's
	// SUBSCRIBE is handled; it would then arrive live.
	b.waitPublished(t, "opt/r", 1)
	// Retain handling 2: no retained messages at subscribe time.
	res := mqtap(nil, "sub", "-p", b.port, "-V", "5", "-t", "opt/r", "--retain-handling", "2", "-W", "1")
	expectCode(t, res, 6)
	if res.out != "" {
		t.Errorf("--retain-handling 2 printed %q", res.out)
	}
	// -E exits once subscribed; -U unsubscribes first.
	expectCode(t, mqtap(nil, "sub", "-p", b.port, "-t", "opt/e", "-U", "opt/old", "-E"), 0)
	// --retain-as-published keeps the flag on a live message (mochi
	// forwards it); without it brokers clear it.
	sub := background(nil, "sub", "-p", b.port, "-V", "5", "-t", "opt/rap", "--retain-as-published", "-C", "1", "-F", "%r")
	b.waitSubscribed(t, "opt/rap", 1)
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "opt/rap", "-m", "x", "-r"), 0)
	if res := sub.wait(t); res.out != "1\n" {
		t.Errorf("--retain-as-published: %q", res.out)
	}
}

// TestPubVerbose checks pub -v prints a packet-list line and tree for
// every packet.
func TestPubVerbose(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	res := mqtap(nil, "pub", "-p", b.port, "-h", "127.0.0.1", "-t", "v", "-m", "hi", "-q", "1", "-v")
	expectCode(t, res, 0)
	lines := regexp.MustCompile(`(?m)^ *\d+ +\d+\.\d+ +127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+ +MQTT \d+ (.*)$`).FindAllStringSubmatch(res.out, -1)
	var infos []string
	for _, l := range lines {
		infos = append(infos, l[1])
	}
	want := []string{"Connect Command", "Connect Ack", "Publish Message (id=1) [v]", "Publish Ack (id=1)", "Disconnect Req"}
	if strings.Join(infos, "|") != strings.Join(want, "|") {
		t.Errorf("packet list: %q\n%s", infos, res.out)
	}
}

// TestTemplates checks the template functions render per message.
func TestTemplates(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	t.Setenv("MQTAP_TEST_VAR", "from-env")
	sub := background(nil, "sub", "-p", b.port, "-t", "tpl", "-C", "3")
	b.waitSubscribed(t, "tpl", 1)
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "tpl", "--count", "3", "--rate", "1000/s",
		"-m", `{{seq}} {{now}} {{rand 18 25}} {{uuid}} {{env "MQTAP_TEST_VAR"}}`), 0)
	res := sub.wait(t)
	re := regexp.MustCompile(`^(\d) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (1[89]|2[0-5]) [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} from-env$`)
	lines := strings.Split(strings.TrimSuffix(res.out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %q", res.out)
	}
	for i, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil || m[1] != string(rune('1'+i)) {
			t.Errorf("message %d: %q", i+1, l)
		}
	}
}

// TestSubPretty checks --pretty indents JSON payloads and leaves others.
func TestSubPretty(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "p/json", "-m", `{"a":[1,2]}`, "-r"), 0)
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "p/text", "-m", "plain", "-r"), 0)
	b.waitPublished(t, "p/json", 1)
	b.waitPublished(t, "p/text", 1)
	res := mqtap(nil, "sub", "-p", b.port, "-t", "p/json", "-C", "1", "--pretty")
	want, _ := output.PrettyJSON([]byte(`{"a":[1,2]}`), false)
	if strings.TrimSuffix(res.out, "\n") != strings.TrimSuffix(string(want), "\n") || res.out == `{"a":[1,2]}`+"\n" {
		t.Errorf("--pretty JSON: %q, want %q", res.out, want)
	}
	res = mqtap(nil, "sub", "-p", b.port, "-t", "p/text", "-C", "1", "--pretty")
	if res.out != "plain\n" {
		t.Errorf("--pretty text: %q", res.out)
	}
}

// TestSubEmptyMessage checks what mosquitto_sub prints for an empty
// message: nothing, or "topic (null)" with -v.
func TestSubEmptyMessage(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	for i, c := range []struct {
		args []string
		want string
	}{
		{nil, "after\n"},
		{[]string{"-v"}, "e/x (null)\ne/x after\n"},
		{[]string{"-v", "-N"}, "e/x after"},
	} {
		sub := background(nil, append([]string{"sub", "-p", b.port, "-t", "e/x", "-C", "2"}, c.args...)...)
		b.waitSubscribed(t, "e/x", i+1)
		expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "e/x", "-n", "-q", "1"), 0)
		// mochi acknowledges a QoS 1 message before it hands it to the
		// subscribers: the next publisher could overtake it.
		b.waitPublished(t, "e/x", 2*i+1)
		expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "e/x", "-m", "after", "-q", "1"), 0)
		if res := sub.wait(t); res.out != c.want {
			t.Errorf("sub %v: %q, want %q", c.args, res.out, c.want)
		}
	}
}
