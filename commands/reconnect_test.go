package commands_test

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/mqttwire"
)

// received counts the payloads an in-process subscriber gets on a topic.
type received struct {
	mu     sync.Mutex
	counts map[string]int
	total  int
}

func countOnBroker(t *testing.T, b *testBroker, topic string, subID int) *received {
	t.Helper()
	r := &received{counts: map[string]int{}}
	err := b.srv.Subscribe(topic, subID, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		r.mu.Lock()
		r.counts[string(pk.Payload)]++
		r.total++
		r.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// waitDistinct waits until n distinct payloads have arrived.
func (r *received) waitDistinct(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		r.mu.Lock()
		got := len(r.counts)
		r.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages arrived", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func numberedLines(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "m%d\n", i)
	}
	return sb.String()
}

// TestPubSurvivesCuts publishes 10k lines through a proxy that cuts the
// connection five times at random points, mid-packet included: every
// message reaches the broker's subscriber, and at QoS 2 exactly once.
func TestPubSurvivesCuts(t *testing.T) {
	const n = 10000
	b := startBroker(t, brokerOptions{})
	cases := []struct {
		name string
		args []string
		qos  int
	}{
		{"qos1 v311", []string{"-q", "1", "-c"}, 1},
		{"qos2 v311", []string{"-q", "2", "-c"}, 2},
		{"qos2 v5", []string{"-q", "2", "-V", "5", "-c", "-x", "60"}, 2},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topic := fmt.Sprintf("cuts/%d", i)
			got := countOnBroker(t, b, topic, i+1)
			proxy := startFaultProxy(t, "127.0.0.1:"+b.port, 5, 300, 12000, uint64(i+1))
			args := append([]string{"pub", "-h", "127.0.0.1", "-p", proxy.port(), "-i", "cuts-" + topic,
				"-t", topic, "-l", "--reconnect-max", "200ms"}, tc.args...)
			res := mqtap(strings.NewReader(numberedLines(n)), args...)
			expectCode(t, res, 0)
			if c := proxy.cut.Load(); c != 5 {
				t.Fatalf("the proxy cut %d connections, want 5; stderr %q", c, res.errOut)
			}
			for _, want := range []string{"mqtap: connection lost", "mqtap: reconnected", "delivery: sent 10000, acknowledged 10000, refused 0, resent "} {
				if !strings.Contains(res.errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, res.errOut)
				}
			}
			got.waitDistinct(t, n)
			got.mu.Lock()
			defer got.mu.Unlock()
			for i := 1; i <= n; i++ {
				c := got.counts[fmt.Sprintf("m%d", i)]
				if c == 0 || (tc.qos == 2 && c != 1) {
					t.Errorf("m%d arrived %d times", i, c)
				}
			}
			t.Logf("%d deliveries for %d messages; %s", got.total, n, lastLine(res.errOut, "delivery:"))
		})
	}
}

func lastLine(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], prefix) {
			return lines[i]
		}
	}
	return ""
}

// TestSubReconnects drops a subscriber's connection under the broker: it
// reconnects and gets every message, by subscribing again (clean session)
// or from the session the broker kept (what was queued while it was away).
func TestSubReconnects(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	cases := []struct {
		name string
		args []string
	}{
		{"clean session resubscribes", []string{"-V", "311"}},
		{"persistent session v5", []string{"-V", "5", "-c", "-x", "60"}},
		{"persistent session v311", []string{"-V", "311", "-c"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topic := fmt.Sprintf("resub/%d", i)
			id := fmt.Sprintf("resub-%d", i)
			sub := background(nil, append([]string{"sub", "-p", b.port, "-i", id, "-t", topic, "-q", "1", "-C", "4",
				"--reconnect", "--reconnect-max", "200ms"}, tc.args...)...)
			b.waitSubscribed(t, topic, 1)
			cl, ok := b.srv.Clients.Get(id)
			if !ok {
				t.Fatal("subscriber not connected")
			}
			cl.Net.Conn.Close() // the network drops, no DISCONNECT
			if tc.args[len(tc.args)-1] == "311" {
				b.waitSubscribed(t, topic, 2) // the new session subscribed again
			}
			// Published at once: the persistent session queues what comes
			// while the subscriber is away.
			for m := 1; m <= 4; m++ {
				expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", topic, "-q", "1", "-m", fmt.Sprintf("m%d", m)), 0)
			}
			res := sub.wait(t)
			expectCode(t, res, 0)
			// (mochi may deliver a message it had to hold back after the
			// ones behind it, so the order is not checked.)
			lines := strings.Split(strings.TrimSuffix(res.out, "\n"), "\n")
			slices.Sort(lines)
			if strings.Join(lines, " ") != "m1 m2 m3 m4" {
				t.Errorf("got %q", res.out)
			}
			if !strings.Contains(res.errOut, "mqtap: reconnected") {
				t.Errorf("stderr %q", res.errOut)
			}
		})
	}
}

// TestReconnectGivesUp: when the broker never comes back, the run ends
// after --reconnect-timeout naming every message it could not deliver.
func TestReconnectGivesUp(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	proxy := startFaultProxy(t, "127.0.0.1:"+b.port, 1, 300, 301, 7)
	proxy.closeAfter.Store(1) // nothing to reconnect to once the first connection is cut
	res := mqtap(strings.NewReader(numberedLines(5000)), "pub", "-h", "127.0.0.1", "-p", proxy.port(), "-t", "gone", "-q", "1", "-l",
		"--reconnect-max", "100ms", "--reconnect-timeout", "500ms")
	expectCode(t, res, commands.ExitConnect)
	for _, want := range []string{"mqtap: connection lost", "gave up after", "messages not acknowledged", "delivery: sent "} {
		if !strings.Contains(res.errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.errOut)
		}
	}
}

// TestSubReconnectsBeforeSuback: the first connection drops after the
// SUBSCRIBE, with no SUBACK. The subscriber reconnects, subscribes again
// (the broker says its session is present, but the subscription was
// never confirmed) and gets the message.
func TestSubReconnectsBeforeSuback(t *testing.T) {
	var conns atomic.Int32
	port := fakeServer(t, func(c net.Conn) {
		first := conns.Add(1) == 1
		if _, err := readPacket(c, mqttwire.V311); err != nil {
			return
		}
		b, _ := mqttwire.Encode(&mqttwire.Connack{AckFlags: 1}, mqttwire.V311) // session present
		c.Write(b)
		p, err := readPacket(c, mqttwire.V311)
		s, ok := p.(*mqttwire.Subscribe)
		if err != nil || !ok || first {
			return // the first connection ends here, before SUBACK
		}
		b, _ = mqttwire.Encode(&mqttwire.Suback{PacketID: s.PacketID, ReasonCodes: []mqttwire.ReasonCode{0}}, mqttwire.V311)
		c.Write(b)
		b, _ = mqttwire.Encode(&mqttwire.Publish{Topic: "a", Payload: []byte("after resubscribe")}, mqttwire.V311)
		c.Write(b)
		io.Copy(io.Discard, c)
	})
	res := mqtap(nil, "sub", "-h", "127.0.0.1", "-p", port, "-t", "a", "-C", "1", "--reconnect", "--reconnect-max", "100ms")
	expectCode(t, res, 0)
	if res.out != "after resubscribe\n" || conns.Load() != 2 {
		t.Errorf("%d connections, output %q, stderr %q", conns.Load(), res.out, res.errOut)
	}
}
