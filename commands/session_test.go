package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
)

// TestCredentials checks accepted and refused logins for both versions,
// and that -v never shows the password unless asked.
func TestCredentials(t *testing.T) {
	b := startBroker(t, brokerOptions{users: map[string]string{"alice": "s3cret"}})
	for _, v := range []string{"311", "5"} {
		t.Run("V"+v, func(t *testing.T) {
			res := mqtap(nil, "connect", "-p", b.port, "-V", v, "-u", "alice", "-P", "s3cret")
			expectCode(t, res, 0)
			if strings.Contains(res.out, "s3cret") || !strings.Contains(res.out, "Password: <hidden>") {
				t.Errorf("password not hidden:\n%s", res.out)
			}
			res = mqtap(nil, "connect", "-p", b.port, "-V", v, "-u", "alice", "-P", "s3cret", "--show-secrets", "-q")
			expectCode(t, res, 0)
			res = mqtap(nil, "connect", "-p", b.port, "-V", v, "-u", "alice", "-P", "s3cret", "--show-secrets")
			if !strings.Contains(res.out, "Password: s3cret") {
				t.Errorf("--show-secrets did not show the password:\n%s", res.out)
			}
			res = mqtap(nil, "pub", "-p", b.port, "-V", v, "-u", "alice", "-P", "wrong", "-t", "a", "-m", "x")
			expectCode(t, res, commands.ExitRefused)
			if !strings.HasPrefix(res.errOut, "mqtap: connect localhost:") || !strings.Contains(res.errOut, ": broker refused the connection: ") {
				t.Errorf("refusal message: %q", res.errOut)
			}
		})
	}
}

// TestEnvAndPasswordFile reads the connection from MQTT_* variables and
// the password from a file.
func TestEnvAndPasswordFile(t *testing.T) {
	b := startBroker(t, brokerOptions{users: map[string]string{"bob": "pw-from-file"}})
	file := t.TempDir() + "/pw"
	writeFile(t, file, "pw-from-file\nignored\n")
	t.Setenv("MQTT_HOST", "127.0.0.1")
	t.Setenv("MQTT_PORT", b.port)
	t.Setenv("MQTT_USERNAME", "bob")
	t.Setenv("MQTT_PASSWORD_FILE", file)
	expectCode(t, mqtap(nil, "connect", "-q"), 0)
	t.Setenv("MQTT_PASSWORD", "wrong") // -P beats the file
	expectCode(t, mqtap(nil, "connect", "-q"), commands.ExitRefused)
}

// TestURLFlag connects with -L, taking credentials and topic from the URL.
func TestURLFlag(t *testing.T) {
	b := startBroker(t, brokerOptions{users: map[string]string{"u": "p"}})
	sub := background(nil, "sub", "-L", "mqtt://u:p@127.0.0.1:"+b.port+"/url/topic", "-C", "1")
	b.waitSubscribed(t, "url/topic", 1)
	expectCode(t, mqtap(nil, "pub", "-L", "mqtt://u:p@127.0.0.1:"+b.port+"/url/topic", "-m", "via url"), 0)
	res := sub.wait(t)
	expectCode(t, res, 0)
	if res.out != "via url\n" {
		t.Errorf("got %q", res.out)
	}
}

// TestWill checks the will reaches a subscriber when the connection drops
// without DISCONNECT, and that the dropped client exits 5.
func TestWill(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	for _, v := range []string{"311", "5"} {
		t.Run("V"+v, func(t *testing.T) {
			willTopic := "will/" + v
			watcher := background(nil, "sub", "-p", b.port, "-t", willTopic, "-q", "1", "-C", "1", "-F", "%t %p %q")
			b.waitSubscribed(t, willTopic, 1)
			id := "will-client-" + v
			victim := background(nil, "sub", "-p", b.port, "-V", v, "-i", id, "-t", "nothing/"+v,
				"--will-topic", willTopic, "--will-payload", "gone", "--will-qos", "1", "--reconnect=false")
			b.waitSubscribed(t, "nothing/"+v, 1)
			cl, ok := b.srv.Clients.Get(id)
			if !ok {
				t.Fatal("victim not connected")
			}
			// Drop the connection under the broker, without DISCONNECT. (mochi's
			// cl.Stop can end the read loop without an error, and then it
			// sends no will: that made this test flaky.)
			cl.Net.Conn.Close()
			res := watcher.wait(t)
			expectCode(t, res, 0)
			if res.out != willTopic+" gone 1\n" {
				t.Errorf("will: got %q", res.out)
			}
			expectCode(t, victim.wait(t), commands.ExitProtocol)
		})
	}
}

// TestConnectCommand checks the handshake dissection, the broker's
// announcements (5.0) and --ping.
func TestConnectCommand(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	res := mqtap(nil, "connect", "-p", b.port, "-V", "5", "--ping", "2", "-x", "30", "-D", "connect", "user-property", "k", "v")
	expectCode(t, res, 0)
	for _, want := range []string{
		"MQ Telemetry Transport Protocol, Connect Command", "MQ Telemetry Transport Protocol, Connect Ack",
		"Broker announced:", "Receive Maximum: ", "PINGRESP 2: time=", "2 pings: min ",
		"Session Expiry Interval", "Key: k", "Disconnect Req",
	} {
		if !strings.Contains(res.out, want) {
			t.Errorf("connect output lacks %q:\n%s", want, res.out)
		}
	}
	// With -c, an MQTT 5 session outlives the connection unless -x says.
	res = mqtap(nil, "connect", "-p", b.port, "-V", "5", "-c", "-i", "keeper")
	expectCode(t, res, 0)
	if !strings.Contains(res.out, "Session Expiry Interval: 4294967295") && !strings.Contains(res.out, "Value: 4294967295") {
		t.Errorf("-c without -x: no infinite session expiry:\n%s", res.out)
	}
	res = mqtap(nil, "connect", "-p", b.port, "-q")
	expectCode(t, res, 0)
	if lines := strings.Count(res.out, "\n"); lines != 1 || !strings.Contains(res.out, "accepted MQTT 3.1.1") {
		t.Errorf("-q: %q", res.out)
	}
}

// TestDebugTrace checks -d prints one mosquitto-style line per packet.
func TestDebugTrace(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	res := mqtap(nil, "pub", "-p", b.port, "-i", "tracer", "-t", "d", "-m", "hello", "-q", "2", "-d")
	expectCode(t, res, 0)
	want := []string{
		"Client tracer sending CONNECT", "Client tracer received CONNACK (0)",
		"Client tracer sending PUBLISH (d0, q2, r0, m1, 'd', ... (5 bytes))",
		"Client tracer received PUBREC (Mid: 1)", "Client tracer sending PUBREL (m1)",
		"Client tracer received PUBCOMP (Mid: 1, RC:0)", "Client tracer sending DISCONNECT",
	}
	got := strings.Split(strings.TrimSpace(res.errOut), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("-d trace:\n%s\nwant:\n%s", res.errOut, strings.Join(want, "\n"))
	}
}

// TestUsageErrors checks bad flags exit 2 with one line.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"pub", "-t", "a"},                                                  // nothing to publish
		{"pub", "-t", "a/#", "-m", "x"},                                     // wildcard topic
		{"pub", "-t", "a", "-m", "x", "-q", "3"},                            // QoS
		{"pub", "-t", "a", "-m", "x", "-V", "7"},                            // version
		{"pub", "-t", "a", "-m", "{{nope}}"},                                // template
		{"pub", "-t", "a", "-m", "x", "-D", "publish", "content-type", "t"}, // -D before 5
		{"pub", "-t", "a", "-m", "x", "-V", "5", "-D", "connect", "topic-alias", "3"},
		{"sub"},                               // no topic
		{"sub", "-t", "a/#/b"},                // bad filter
		{"sub", "-t", "a", "-F", "%Q"},        // unknown field
		{"sub", "-t", "a", "--output", "xml"}, // bad output
		{"connect", "--rate"},                 // unknown flag
	} {
		res := mqtap(nil, args...)
		if res.code != commands.ExitUsage || strings.Count(res.errOut, "\n") < 1 || !strings.HasPrefix(res.errOut, "mqtap: ") {
			t.Errorf("%v: exit %d, stderr %q", args, res.code, res.errOut)
		}
	}
}

var _ = time.Second
