package commands_test

import (
	"bytes"
	"encoding/hex"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/mqttwire"
)

// tapWait bounds every wait in the broker and proxy command tests.
const tapWait = 15 * time.Second

// lockedBuffer is written by a run while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tapCLI is a broker or proxy command running in-process.
type tapCLI struct {
	out, errOut lockedBuffer
	code        chan int
}

func startTapCLI(args ...string) *tapCLI {
	r := &tapCLI{code: make(chan int, 1)}
	go func() {
		stdio := commands.Stdio{In: strings.NewReader(""), Out: &r.out, Err: &r.errOut}
		r.code <- commands.Run(append([]string{"mqtap"}, args...), stdio, commands.BuildInfo{})
	}()
	return r
}

var listeningRE = regexp.MustCompile(`listening on \w+://(127\.0\.0\.1:\d+)`)

// addr waits for the run to say where it listens.
func (r *tapCLI) addr(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(tapWait)
	for {
		if m := listeningRE.FindStringSubmatch(r.errOut.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-r.code:
			t.Fatalf("exited %d before listening: %s", code, r.errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("never listened: %q", r.errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wait waits for the run to end (-c reached) and checks its exit code.
func (r *tapCLI) wait(t *testing.T) string {
	t.Helper()
	select {
	case code := <-r.code:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, r.errOut.String())
		}
	case <-time.After(tapWait):
		t.Fatalf("did not stop; output so far:\n%s", r.out.String())
	}
	return r.out.String()
}

// wireClient is a device-style client: packets as bytes, kept in the order
// they crossed the wire.
type wireClient struct {
	t    *testing.T
	nc   net.Conn
	r    *mqttwire.Reader
	v    mqttwire.Version
	wire [][]byte
}

func dialWire(t *testing.T, addr string, v mqttwire.Version, id string) *wireClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(tapWait))
	c := &wireClient{t: t, nc: nc, r: mqttwire.NewReader(nc, 0), v: v}
	c.r.Version = v
	c.send(&mqttwire.Connect{ProtocolLevel: byte(v), ClientID: id, CleanSession: true, KeepAlive: 60})
	c.expect(mqttwire.TypeConnack)
	return c
}

func (c *wireClient) send(p mqttwire.Packet) {
	c.t.Helper()
	b, err := p.Append(nil, c.v)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
	c.wire = append(c.wire, b)
}

func (c *wireClient) expect(typ mqttwire.PacketType) mqttwire.Packet {
	c.t.Helper()
	p, raw, err := c.r.Next()
	if err != nil || p.Type() != typ {
		c.t.Fatalf("want %v, got %v (%v)", typ, p, err)
	}
	c.wire = append(c.wire, raw)
	return p
}

// TestProxyCommand: clients publish and subscribe through `mqtap proxy -v`
// to a broker; the message is delivered, and each connection's trees are
// exactly what `mqtap decode` prints for the same bytes.
func TestProxyCommand(t *testing.T) {
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const shown = 10 // the packets below
	run := startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", b.Listeners()[0].Addr.String(), "-v", "-c", "10", "--duration", "30s")
	addr := run.addr(t)

	sub := dialWire(t, addr, mqttwire.V5, "sub-v5")
	sub.send(&mqttwire.Subscribe{PacketID: 1, Subscriptions: []mqttwire.Subscription{{Filter: "sensors/#", Options: 1}}})
	sub.expect(mqttwire.TypeSuback)
	pub := dialWire(t, addr, mqttwire.V311, "pub-311")
	pub.send(&mqttwire.Publish{Topic: "sensors/t1", QoS: 1, PacketID: 7, Payload: []byte("21.5")})
	pub.expect(mqttwire.TypePuback)
	msg := sub.expect(mqttwire.TypePublish).(*mqttwire.Publish)
	if msg.Topic != "sensors/t1" || string(msg.Payload) != "21.5" {
		t.Fatalf("delivered %q %q", msg.Topic, msg.Payload)
	}
	sub.send(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: msg.PacketID}})
	if n := len(sub.wire) + len(pub.wire); n != shown {
		t.Fatalf("test sends %d packets, -c says %d", n, shown)
	}
	out := run.wait(t)

	for _, c := range []*wireClient{sub, pub} {
		id := map[*wireClient]string{sub: "sub-v5", pub: "pub-311"}[c]
		var trees []string
		for _, blk := range strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n") {
			head, tree, _ := strings.Cut(blk, "\n")
			if strings.Contains(head, " "+id+" ") {
				trees = append(trees, tree+"\n\n")
			}
		}
		var all []byte
		for _, w := range c.wire {
			all = append(all, w...)
		}
		var dec, decErr bytes.Buffer
		code := commands.Run([]string{"mqtap", "decode", hex.EncodeToString(all)}, commands.Stdio{In: strings.NewReader(""), Out: &dec, Err: &decErr}, commands.BuildInfo{})
		if code != 0 {
			t.Fatalf("decode: exit %d: %s", code, decErr.String())
		}
		if got := strings.Join(trees, ""); got != dec.String() {
			t.Errorf("%s: proxy showed\n%s\nmqtap decode prints\n%s", id, got, dec.String())
		}
	}
}

// TestBrokerCommand: a device against `mqtap broker --write`: its packets
// are shown with its client id, and `mqtap decode` reads the pcap without
// a malformed packet.
func TestBrokerCommand(t *testing.T) {
	pcap := filepath.Join(t.TempDir(), "session.pcap")
	run := startTapCLI("broker", "--listen", "127.0.0.1:0", "-w", pcap, "-c", "6", "--duration", "30s")
	addr := run.addr(t)
	d := dialWire(t, addr, mqttwire.V311, "thermo-42")
	d.send(&mqttwire.Publish{Topic: "home/temp", QoS: 1, PacketID: 1, Payload: []byte("21.5")})
	d.expect(mqttwire.TypePuback)
	d.send(&mqttwire.Pingreq{})
	d.expect(mqttwire.TypePingresp)
	out := run.wait(t)
	want := []string{"Connect Command", "Connect Ack", "Publish Message (id=1) [home/temp]", "Publish Ack (id=1)", "Ping Request", "Ping Response"}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("shown:\n%s", out)
	}
	for i, l := range lines {
		if !strings.Contains(l, " thermo-42 ") || !strings.HasSuffix(l, " "+want[i]) {
			t.Errorf("line %q: want thermo-42 and %q", l, want[i])
		}
	}
	port := addr[strings.LastIndex(addr, ":")+1:]
	var dec, decErr bytes.Buffer
	code := commands.Run([]string{"mqtap", "decode", "-d", "tcp.port==" + port + ",mqtt", pcap}, commands.Stdio{In: strings.NewReader(""), Out: &dec, Err: &decErr}, commands.BuildInfo{})
	if code != 0 {
		t.Fatalf("decode: exit %d: %s\n%s", code, decErr.String(), dec.String())
	}
	for _, info := range want {
		if !strings.Contains(dec.String(), info) {
			t.Errorf("decoded pcap lacks %q:\n%s", info, dec.String())
		}
	}
}

// TestTapCommandUsage: bad flags are usage errors (exit 2).
func TestTapCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"broker", "--listen", "0.0.0.0:0"}, // anonymous beyond loopback
		{"broker", "--tls-listen", "127.0.0.1:0"},
		{"broker", "--output", "xml"},
		{"broker", "--type", "publsh"},
		{"broker", "--output", "none", "-c", "3"},
		{"proxy"}, // no --upstream
		{"proxy", "-u", "nohostport"},
		{"proxy", "-u", "127.0.0.1:1", "--topic", "a/#/b"},
	} {
		var out, errOut bytes.Buffer
		code := commands.Run(append([]string{"mqtap"}, args...), commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
		if code != commands.ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, commands.ExitUsage, errOut.String())
		}
	}
}
