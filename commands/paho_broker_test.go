package commands_test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// pahoPackets is how many packets the paho session below exchanges.
const pahoPackets = 28

// pahoSession is a run of `mqtap broker --write --output jsonl` with two
// Eclipse Paho clients: what it showed and recorded.
type pahoSession struct {
	port  string // the broker's
	pcap  string
	shown []tapJSON
}

// tapJSON is one line of a tap's --output jsonl.
type tapJSON struct {
	Frame    int     `json:"frame"`
	Conn     int     `json:"conn"`
	Client   string  `json:"client"`
	Server   string  `json:"server"`
	ClientID *string `json:"client_id"`
	From     string  `json:"from"`
	Length   int     `json:"length"`
	Info     string  `json:"info"`
	Layers   map[string]json.RawMessage
}

// pahoClient connects a Paho client (MQTT 3.1.1, clean session, no
// reconnecting) to addr.
func pahoClient(t *testing.T, addr, id string) paho.Client {
	t.Helper()
	opts := paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID(id).
		SetProtocolVersion(4).SetCleanSession(true).SetKeepAlive(60 * time.Second).
		SetAutoReconnect(false).SetConnectRetry(false).
		SetConnectTimeout(tapWait).SetWriteTimeout(tapWait)
	c := paho.NewClient(opts)
	pahoWait(t, c.Connect(), id+" connect")
	t.Cleanup(func() {
		if c.IsConnected() {
			c.Disconnect(0)
		}
	})
	return c
}

// pahoWait waits, bounded, for a Paho token and fails on its error.
func pahoWait(t *testing.T, tok paho.Token, what string) {
	t.Helper()
	if !tok.WaitTimeout(tapWait) {
		t.Fatalf("%s: no answer within %v", what, tapWait)
	}
	if err := tok.Error(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// pahoReceive waits for the next message a subscription handler passed on.
func pahoReceive(t *testing.T, ch <-chan paho.Message, topic, payload string, qos byte, retained bool) {
	t.Helper()
	select {
	case m := <-ch:
		if m.Topic() != topic || string(m.Payload()) != payload || m.Qos() != qos || m.Retained() != retained {
			t.Fatalf("paho received %q %q QoS %d retained %v; want %q %q QoS %d retained %v",
				m.Topic(), m.Payload(), m.Qos(), m.Retained(), topic, payload, qos, retained)
		}
	case <-time.After(tapWait):
		t.Fatalf("paho did not receive %q on %q within %v", payload, topic, tapWait)
	}
}

// runPahoSession: a Paho device publishes at QoS 0, 1 and 2 and retains
// a state message; a Paho subscriber receives each, then subscribes to the
// state and gets the retained message; both disconnect. The broker stops
// after showing the pahoPackets packets.
func runPahoSession(t *testing.T) pahoSession {
	t.Helper()
	pcap := filepath.Join(t.TempDir(), "paho.pcap")
	run := startTapCLI("broker", "--listen", "127.0.0.1:0", "--write", pcap, "--output", "jsonl",
		"-c", strconv.Itoa(pahoPackets), "--duration", "60s")
	addr := run.addr(t)

	msgs := make(chan paho.Message, 10)
	handler := func(_ paho.Client, m paho.Message) { msgs <- m }
	sub := pahoClient(t, addr, "paho-sub")
	tok := sub.Subscribe("dev/#", 2, handler)
	pahoWait(t, tok, "subscribe dev/#")
	if got := tok.(*paho.SubscribeToken).Result()["dev/#"]; got != 2 {
		t.Fatalf("SUBACK for dev/#: return code %#x, want QoS 2", got)
	}
	dev := pahoClient(t, addr, "paho-dev")
	for qos, topic := range []string{"dev/q0", "dev/q1", "dev/q2"} {
		pahoWait(t, dev.Publish(topic, byte(qos), false, "m"+strconv.Itoa(qos)), "publish to "+topic)
		pahoReceive(t, msgs, topic, "m"+strconv.Itoa(qos), byte(qos), false)
	}
	pahoWait(t, dev.Publish("state/dev", 1, true, "online"), "publish retained")
	dev.Disconnect(250)
	// mochi refuses a SUBSCRIBE whose packet id is that of a message it
	// is still delivering to the client (ErrPacketIdentifierInUse, though
	// the two directions' ids are independent): let the QoS 2 delivery to
	// the subscriber end first. 12 packets of the device's, 11 of the
	// subscriber's.
	waitShown(t, run, 23, "QoS 2 delivery to paho-sub")
	tok = sub.Subscribe("state/#", 1, handler)
	pahoWait(t, tok, "subscribe state/#")
	if got := tok.(*paho.SubscribeToken).Result()["state/#"]; got != 1 {
		t.Fatalf("SUBACK for state/#: return code %#x, want QoS 1", got)
	}
	pahoReceive(t, msgs, "state/dev", "online", 1, true)
	// Paho acknowledges after the handler returns, and a Disconnect can
	// overtake that PUBACK: wait for it.
	waitShown(t, run, pahoPackets-1, "paho-sub's PUBACK of the retained message")
	sub.Disconnect(250)

	out := run.wait(t)
	s := pahoSession{port: portOf(t, addr), pcap: pcap}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var j tapJSON
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatalf("broker output line %q: %v", l, err)
		}
		s.shown = append(s.shown, j)
	}
	return s
}

var infoIDRE = regexp.MustCompile(` \(id=\d+\)`)

// TestPahoAgainstBroker: Eclipse Paho clients against `mqtap broker`:
// messages are delivered (QoS 0, 1, 2 and retained); every packet of the
// exchanges is shown, with its paho client id, once; and `mqtap decode`
// reads the pcap without a malformed packet, listing the same packets per
// connection, in the same order.
func TestPahoAgainstBroker(t *testing.T) {
	s := runPahoSession(t)
	if len(s.shown) != pahoPackets {
		t.Fatalf("broker showed %d packets, want %d", len(s.shown), pahoPackets)
	}
	const c, b = "client ", "server "
	want := map[string][]string{
		"paho-dev": {
			c + "Connect Command", b + "Connect Ack",
			c + "Publish Message [dev/q0]",
			c + "Publish Message [dev/q1]", b + "Publish Ack",
			c + "Publish Message [dev/q2]", b + "Publish Received", c + "Publish Release", b + "Publish Complete",
			c + "Publish Message [state/dev]", b + "Publish Ack",
			c + "Disconnect Req",
		},
		"paho-sub": {
			c + "Connect Command", b + "Connect Ack",
			c + "Subscribe Request [dev/#]", b + "Subscribe Ack",
			b + "Publish Message [dev/q0]",
			b + "Publish Message [dev/q1]", c + "Publish Ack",
			b + "Publish Message [dev/q2]", c + "Publish Received", b + "Publish Release", c + "Publish Complete",
			c + "Subscribe Request [state/#]", b + "Subscribe Ack",
			b + "Publish Message [state/dev]", c + "Publish Ack",
			c + "Disconnect Req",
		},
	}
	got := map[string][]string{}
	conns := map[string]int{}
	var shown []tapPDU
	for _, j := range s.shown {
		if j.ClientID == nil {
			t.Errorf("frame %d (%s) has no client id", j.Frame, j.Info)
			continue
		}
		id := *j.ClientID
		if n, ok := conns[id]; ok && n != j.Conn {
			t.Errorf("client id %s on connections %d and %d", id, n, j.Conn)
		}
		conns[id] = j.Conn
		if j.Layers["mqtt"] == nil {
			t.Errorf("frame %d (%s) has no mqtt layer", j.Frame, j.Info)
		}
		got[id] = append(got[id], j.From+" "+infoIDRE.ReplaceAllString(j.Info, ""))
		p := tapPDU{no: j.Frame, src: portOf(t, j.Client), dst: portOf(t, j.Server), label: id, length: j.Length, info: j.Info}
		if j.From == "server" {
			p.src, p.dst = p.dst, p.src
		}
		shown = append(shown, p)
	}
	for id, w := range want {
		g := slices.Clone(got[id])
		w = slices.Clone(w)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("%s: broker showed\n  %s\nwant (in any order)\n  %s", id, strings.Join(got[id], "\n  "), strings.Join(want[id], "\n  "))
		}
	}
	if len(got) != len(want) {
		t.Errorf("client ids shown: %v", slices.Sorted(maps.Keys(got)))
	}

	decoded := decodeCapture(t, s.pcap, s.port)
	if len(decoded) != pahoPackets {
		t.Errorf("mqtap decode lists %d MQTT packets, want %d", len(decoded), pahoPackets)
	}
	compareWithCapture(t, shown, decoded, s.port, false)
}
