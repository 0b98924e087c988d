package proxy_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
	"github.com/mqtap/mqtap/tap"
)

// syncBuffer is a bytes.Buffer that the tap and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestThroughProxyToBroker: MQTT 3.1.1 and 5.0 clients publish and
// subscribe through the proxy to the embedded mochi broker; the message is
// delivered, and each connection's dissection, in -v form, is exactly what
// the output package (mqtap decode) renders for the bytes the client saw,
// in wire order.
func TestThroughProxyToBroker(t *testing.T) {
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out syncBuffer
	tp, err := tap.New(&out, tap.Options{Format: tap.Tree})
	if err != nil {
		t.Fatal(err)
	}
	addr, p := startProxy(t, b.Listeners()[0].Addr.String(), tp, 0)

	sub := dialClient(t, addr, mqttwire.V5, "sub-5")
	sub.send(&mqttwire.Subscribe{PacketID: 1, Subscriptions: []mqttwire.Subscription{{Filter: "sensors/#", Options: 1}}})
	sub.expect(mqttwire.TypeSuback)

	pub := dialClient(t, addr, mqttwire.V311, "pub-311")
	pub.send(&mqttwire.Publish{Topic: "sensors/t1", QoS: 1, PacketID: 7, Payload: []byte(`{"t":21.5}`)})
	pub.expect(mqttwire.TypePuback)

	msg := sub.expect(mqttwire.TypePublish).(*mqttwire.Publish)
	if msg.Topic != "sensors/t1" || string(msg.Payload) != `{"t":21.5}` {
		t.Fatalf("delivered %q %q", msg.Topic, msg.Payload)
	}
	sub.send(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: msg.PacketID}})
	pub.disconnect()
	sub.disconnect()
	waitUntil(t, "connections to end", func() bool { return p.Active() == 0 })
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}

	shown := parseTree(t, out.String(), b.Listeners()[0].Addr.String())
	for _, c := range []*rawClient{sub, pub} {
		var got []block
		for _, s := range shown {
			if s.label == clientIDOf(t, c) {
				got = append(got, s)
			}
		}
		if len(got) != len(c.wire) {
			t.Fatalf("%s: %d packets shown, client saw %d:\n%s", clientIDOf(t, c), len(got), len(c.wire), out.String())
		}
		conv := output.NewConversation(0)
		for i, w := range c.wire {
			d := conv.Dissect(w.raw)
			want := string(output.AppendTree(nil, d, output.Prefs{}, nil))
			if got[i].tree != want || got[i].fromClient != w.fromClient {
				t.Errorf("%s packet %d (from client %v):\n%s\nwant (from client %v):\n%s", clientIDOf(t, c), i+1, got[i].fromClient, got[i].tree, w.fromClient, want)
			}
		}
	}
}

func clientIDOf(t testing.TB, c *rawClient) string {
	p, _, err := mqttwire.Decode(c.wire[0].raw, c.v)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*mqttwire.Connect).ClientID
}

// block is one packet of -v output: its list line's client id, direction
// and tree.
type block struct {
	label      string
	fromClient bool
	tree       string
}

// parseTree splits tree output into packets. The list line reads
// "No. Time Src → Dst ClientID Length Info"; a packet goes from the client
// when its destination is the server.
func parseTree(t testing.TB, s, server string) []block {
	t.Helper()
	var out []block
	for _, b := range strings.Split(strings.TrimSuffix(s, "\n\n"), "\n\n") {
		head, tree, _ := strings.Cut(b, "\n")
		f := strings.Fields(head)
		if len(f) < 7 || f[3] != "→" {
			t.Fatalf("bad list line %q", head)
		}
		out = append(out, block{label: f[5], tree: tree + "\n", fromClient: f[4] == server})
	}
	return out
}
