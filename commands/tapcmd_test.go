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

// TestTapCommandUsage: bad flags are usage errors (exit 2), reported as
// one line on stderr and nothing on stdout.
func TestTapCommandUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		msg  string // what the line must say, when the test cares
	}{
		{[]string{"broker", "--listen", "0.0.0.0:0"}, "can be reached from other hosts"}, // anonymous beyond loopback
		{[]string{"broker", "--tls-listen", "127.0.0.1:0"}, ""},
		{[]string{"broker", "--output", "xml"}, ""},
		{[]string{"broker", "--type", "publsh"}, ""},
		{[]string{"broker", "--output", "none", "-c", "3"}, ""},
		{[]string{"proxy"}, "mqtap: no upstream: give --upstream HOST:PORT\n"},
		{[]string{"proxy", "-u", "nohostport"}, ""},
		{[]string{"proxy", "-u", "127.0.0.1:1", "--topic", "a/#/b"}, ""},
		// A listen address that is not HOST:PORT is named as such, before
		// the check for other hosts and whatever --allow-anonymous says.
		{[]string{"broker", "--listen", "bogus"}, "mqtap: --listen bogus: missing port"},
		{[]string{"broker", "--listen", "bogus", "--allow-anonymous"}, "mqtap: --listen bogus: missing port"},
		{[]string{"broker", "--ws-listen", "127.0.0.1:99999"}, "mqtap: --ws-listen 127.0.0.1:99999: port 99999 out of range"},
		{[]string{"broker", "--listen", "127.0.0.1:nosuchport"}, "mqtap: --listen 127.0.0.1:nosuchport: unknown port"},
		{[]string{"proxy", "--listen", "bogus", "-u", "127.0.0.1:1"}, "mqtap: --listen bogus: missing port"},
		{[]string{"proxy", "--listen-tls", "127.0.0.1", "-u", "127.0.0.1:1"}, "mqtap: --listen-tls 127.0.0.1: missing port"},
		// --write names itself, and is checked before anything listens.
		{[]string{"broker", "--listen", "127.0.0.1:0", "--write", "/nonexistent/x.pcap"}, "mqtap: --write /nonexistent/x.pcap: no such file or directory\n"},
		{[]string{"proxy", "--listen", "127.0.0.1:0", "-u", "127.0.0.1:1", "--write", "/nonexistent/x.pcap"}, "mqtap: --write /nonexistent/x.pcap: no such file or directory\n"},
		// pub, sub and connect say the same, before connecting (port 1 is
		// closed: reaching it would exit 3).
		{[]string{"pub", "-p", "1", "-t", "a", "-m", "b", "--write", "/nonexistent/x.pcap"}, "mqtap: --write /nonexistent/x.pcap: no such file or directory\n"},
		{[]string{"sub", "-p", "1", "-t", "a", "--write", "/nonexistent/x.pcap"}, "mqtap: --write /nonexistent/x.pcap: no such file or directory\n"},
		{[]string{"connect", "-p", "1", "--write", "/nonexistent/x.pcap"}, "mqtap: --write /nonexistent/x.pcap: no such file or directory\n"},
	} {
		var out, errOut bytes.Buffer
		code := commands.Run(append([]string{"mqtap"}, tt.args...), commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
		if code != commands.ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, code, commands.ExitUsage, errOut.String())
		}
		if out.Len() != 0 {
			t.Errorf("%v: stdout %q, want nothing", tt.args, out.String())
		}
		line := errOut.String()
		if !strings.HasPrefix(line, "mqtap: ") || strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
			t.Errorf("%v: stderr %q, want one line starting mqtap: ", tt.args, line)
		}
		if !strings.Contains(line, tt.msg) {
			t.Errorf("%v: stderr %q, want %q", tt.args, line, tt.msg)
		}
	}
}

// TestTapListenBusy: every listener flag of broker and proxy reports a
// port in use as one line naming the flag and the address, exit 2 (the
// value cannot be used); --write is checked before that.
func TestTapListenBusy(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().String()
	cert, key := selfSigned(t, t.TempDir())
	for _, tt := range []struct {
		cmd, flag string
		extra     []string
	}{
		{"broker", "listen", nil},
		{"broker", "ws-listen", nil},
		{"broker", "tls-listen", []string{"--cert", cert, "--key", key}},
		{"proxy", "listen", []string{"-u", "127.0.0.1:1"}},
		{"proxy", "listen-tls", []string{"-u", "127.0.0.1:1", "--cert", cert, "--key", key}},
	} {
		// A free listener first, opened before the busy one fails.
		args := append([]string{"mqtap", tt.cmd, "--listen", "127.0.0.1:0", "--" + tt.flag, taken}, tt.extra...)
		var out, errOut bytes.Buffer
		code := commands.Run(args, commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
		if want := "mqtap: --" + tt.flag + " " + taken + ": address already in use\n"; code != commands.ExitUsage || errOut.String() != want {
			t.Errorf("%v: exit %d, stderr %q; want exit %d, %q", args[1:], code, errOut.String(), commands.ExitUsage, want)
		}
		errOut.Reset()
		code = commands.Run(append(args, "--write", "/nonexistent/x.pcap"), commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
		if code != commands.ExitUsage || !strings.HasPrefix(errOut.String(), "mqtap: --write ") {
			t.Errorf("%v --write /nonexistent/x.pcap: exit %d, %q; want --write named first", args[1:], code, errOut.String())
		}
	}
}

// TestTapAnnounceAsWritten: a listener on 0.0.0.0 is announced as
// 0.0.0.0 (Go reports [::]), with the port it got for port 0.
func TestTapAnnounceAsWritten(t *testing.T) {
	re := regexp.MustCompile(`listening on mqtt://0\.0\.0\.0:([1-9]\d*)[ \n,]`)
	for _, args := range [][]string{
		{"broker", "--listen", "0.0.0.0:0", "--allow-anonymous", "--duration", "200ms"},
		{"proxy", "--listen", "0.0.0.0:0", "-u", "127.0.0.1:1", "--duration", "200ms"},
	} {
		var out, errOut bytes.Buffer
		code := commands.Run(append([]string{"mqtap"}, args...), commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
		if code != 0 || !re.MatchString(errOut.String()) || strings.Contains(errOut.String(), "[::]") {
			t.Errorf("%v: exit %d, stderr %q; want it announced on 0.0.0.0 and its port", args, code, errOut.String())
		}
	}
}

// TestProxyUpstreamDown: a proxy whose upstream cannot be reached at
// start says so once, on stderr, and goes on; once a broker comes up
// there, clients get through.
func TestProxyUpstreamDown(t *testing.T) {
	upstream := "127.0.0.1:" + freePort(t)
	run := startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "--duration", "30s", "-c", "2")
	addr := run.addr(t)
	want := "mqtap: warning: upstream " + upstream + " not reachable now (connection refused); clients will be dropped until it is\n"
	deadline := time.Now().Add(tapWait)
	for !strings.Contains(run.errOut.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr %q lacks %q", run.errOut.String(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b, err := broker.Start(broker.Config{Listen: []string{upstream}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dialWire(t, addr, mqttwire.V311, "late")
	run.wait(t)
	if n := strings.Count(run.errOut.String(), "warning:"); n != 1 {
		t.Errorf("%d warnings:\n%s", n, run.errOut.String())
	}

	// With the upstream up, no warning.
	run = startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "--duration", "30s", "-c", "2")
	dialWire(t, run.addr(t), mqttwire.V311, "up")
	run.wait(t)
	if strings.Contains(run.errOut.String(), "warning") {
		t.Errorf("upstream up, yet:\n%s", run.errOut.String())
	}
}
