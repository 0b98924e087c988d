package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/commands"
)

// TestPubSubQoS sends messages at each QoS and version through the broker
// and checks the subscriber prints them all, in order.
func TestPubSubQoS(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	for _, v := range []string{"311", "mqttv5", "31"} {
		for q := 0; q <= 2; q++ {
			t.Run(fmt.Sprintf("V%s/q%d", v, q), func(t *testing.T) {
				topic := fmt.Sprintf("qos/%s/%d", v, q)
				sub := background(nil, "sub", "-p", b.port, "-V", v, "-t", topic, "-q", fmt.Sprint(q), "-C", "5")
				b.waitSubscribed(t, topic, 1)
				pub := mqtap(nil, "pub", "-p", b.port, "-V", v, "-t", topic, "-q", fmt.Sprint(q), "-m", "m{{seq}}", "--count", "5")
				expectCode(t, pub, 0)
				res := sub.wait(t)
				expectCode(t, res, 0)
				if want := "m1\nm2\nm3\nm4\nm5\n"; res.out != want {
					t.Errorf("sub printed %q, want %q", res.out, want)
				}
			})
		}
	}
}

// TestPubLinesStream checks -l publishes each line as it arrives, before
// stdin ends.
func TestPubLinesStream(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	// [%p]: an empty line is an empty message, which plain output would
	// not show (as mosquitto_sub).
	sub := background(nil, "sub", "-p", b.port, "-t", "lines", "-q", "1", "-C", "3", "-F", "[%p]")
	b.waitSubscribed(t, "lines", 1)
	r, w := ioPipe()
	pub := background(r, "pub", "-p", b.port, "-t", "lines", "-q", "1", "-l")
	// Each line must reach the subscriber while stdin is still open.
	lines := []string{"[first]", "[]", "[third]"}
	for i, line := range lines {
		fmt.Fprintln(w, strings.Trim(line, "[]"))
		sub.waitOutput(t, strings.Join(lines[:i+1], "\n")+"\n")
	}
	w.Close()
	expectCode(t, pub.wait(t), 0)
	res := sub.wait(t)
	expectCode(t, res, 0)
	if res.out != "[first]\n[]\n[third]\n" {
		t.Errorf("sub printed %q", res.out)
	}
}

// TestPubSources covers -f, -s and -n.
func TestPubSources(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	file := t.TempDir() + "/msg"
	writeFile(t, file, "from file")
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"file", "", []string{"-f", file}, "from file"},
		{"stdin", "all\nof it", []string{"-s"}, "all\nof it"},
		{"null", "", []string{"-n"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			topic := "src/" + c.name
			sub := background(nil, "sub", "-p", b.port, "-t", topic, "-C", "1", "-F", "[%p]")
			b.waitSubscribed(t, topic, 1)
			expectCode(t, mqtap(strings.NewReader(c.stdin), append([]string{"pub", "-p", b.port, "-t", topic}, c.args...)...), 0)
			res := sub.wait(t)
			if res.out != "["+c.want+"]\n" {
				t.Errorf("got %q, want [%s]", res.out, c.want)
			}
		})
	}
}

// TestRetained checks -r, and sub's -R and --retained-only.
func TestRetained(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "ret/a", "-m", "kept", "-r", "-q", "1"), 0)
	// mochi acknowledges before it hands the message to live subscribers:
	// a subscriber arriving in between gets it live too, not retained.
	b.waitPublished(t, "ret/a", 1)
	res := mqtap(nil, "sub", "-p", b.port, "-t", "ret/#", "-C", "1", "-F", "%t %p %r")
	expectCode(t, res, 0)
	if res.out != "ret/a kept 1\n" {
		t.Errorf("retained: got %q", res.out)
	}
	res = mqtap(nil, "sub", "-p", b.port, "-t", "ret/#", "-R", "-W", "1")
	expectCode(t, res, commands.ExitTimeout)
	if res.out != "" {
		t.Errorf("-R printed %q", res.out)
	}
	// --retained-only prints the retained message and stops at the first live one.
	sub := background(nil, "sub", "-p", b.port, "-t", "ret/#", "--retained-only", "-v")
	sub.waitOutput(t, "ret/a kept\n")
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "ret/b", "-m", "live"), 0)
	res = sub.wait(t)
	expectCode(t, res, 0)
	if res.out != "ret/a kept\n" {
		t.Errorf("--retained-only printed %q", res.out)
	}
}
