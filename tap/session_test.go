package tap_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
	"github.com/mqtap/mqtap/tap"
)

var (
	clientAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50312}
	serverAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1883}
)

// wirePacket is one PDU and who sent it.
type wirePacket struct {
	fromClient bool
	raw        []byte
}

func encode(t testing.TB, p mqttwire.Packet, v mqttwire.Version) []byte {
	t.Helper()
	b, err := p.Append(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// session5 is an MQTT 5.0 session: a client connects, subscribes,
// publishes at QoS 1 and receives the message back.
func session5(t testing.TB) []wirePacket {
	v := mqttwire.V5
	pub := &mqttwire.Publish{Topic: "sensors/t1", QoS: 1, PacketID: 1, Payload: []byte(`{"t":21.5}`)}
	pub.Properties.AddInt(mqttwire.PropTopicAlias, 3)
	return []wirePacket{
		{true, encode(t, &mqttwire.Connect{ClientID: "dev-1", CleanSession: true, KeepAlive: 30}, v)},
		{false, encode(t, &mqttwire.Connack{}, v)},
		{true, encode(t, &mqttwire.Subscribe{PacketID: 2, Subscriptions: []mqttwire.Subscription{{Filter: "sensors/#", Options: 1}}}, v)},
		{false, encode(t, &mqttwire.Suback{PacketID: 2, ReasonCodes: []mqttwire.ReasonCode{1}}, v)},
		{true, encode(t, pub, v)},
		{false, encode(t, &mqttwire.Puback{Ack: mqttwire.Ack{PacketID: 1}}, v)},
		{false, encode(t, &mqttwire.Publish{Topic: "sensors/t1", Payload: []byte("x")}, v)},
		{true, encode(t, &mqttwire.Pingreq{}, v)},
		{false, encode(t, &mqttwire.Pingresp{}, v)},
		{true, encode(t, &mqttwire.Disconnect{}, v)},
	}
}

// feed gives the session the packets in order, each cut into random reads.
func feed(s *tap.Session, pkts []wirePacket, rng *rand.Rand) {
	for _, p := range pkts {
		b := p.raw
		for len(b) > 0 {
			n := min(1+rng.IntN(8), len(b))
			if p.fromClient {
				s.FromClient(b[:n])
			} else {
				s.FromServer(b[:n])
			}
			b = b[n:]
		}
	}
}

func newTap(t *testing.T, w *bytes.Buffer, opt tap.Options) *tap.Tap {
	t.Helper()
	tp, err := tap.New(w, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// TestTreeMatchesOutput: -v shows, for every PDU, exactly the tree that the
// output package (what `mqtap decode` prints) renders for the same bytes.
func TestTreeMatchesOutput(t *testing.T) {
	pkts := session5(t)
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{Format: tap.Tree})
	s := tp.Open(clientAddr, serverAddr)
	feed(s, pkts, rand.New(rand.NewPCG(3, 4)))
	s.Close()
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n")
	if len(blocks) != len(pkts) {
		t.Fatalf("%d packets shown, want %d:\n%s", len(blocks), len(pkts), out.String())
	}
	conv := output.NewConversation(0)
	for i, p := range pkts {
		d := conv.Dissect(p.raw)
		head, tree, _ := strings.Cut(blocks[i], "\n")
		if want := string(output.AppendTree(nil, d, output.Prefs{}, nil)); tree+"\n" != want {
			t.Errorf("packet %d tree:\n%s\nwant:\n%s", i+1, tree, want)
		}
		if !strings.Contains(head, output.Info(d)) || !strings.Contains(head, "dev-1") {
			t.Errorf("packet %d line %q lacks Info %q or the client id", i+1, head, output.Info(d))
		}
		src := "127.0.0.1:50312 → 127.0.0.1:1883"
		if !p.fromClient {
			src = "127.0.0.1:1883 → 127.0.0.1:50312"
		}
		if !strings.Contains(head, src) {
			t.Errorf("packet %d line %q: want %q", i+1, head, src)
		}
	}
}

func TestSummaryAndFilters(t *testing.T) {
	tests := []struct {
		name   string
		filter tap.Filter
		want   []string // Info of the packets shown, in order
	}{
		{"all", tap.Filter{}, []string{"Connect Command", "Connect Ack", "Subscribe Request (id=2) [sensors/#]", "Subscribe Ack (id=2)", "Publish Message (id=1) [sensors/t1]", "Publish Ack (id=1)", "Publish Message [sensors/t1]", "Ping Request", "Ping Response", "Disconnect Req"}},
		{"type", tap.Filter{Types: []mqttwire.PacketType{mqttwire.TypePublish}}, []string{"Publish Message (id=1) [sensors/t1]", "Publish Message [sensors/t1]"}},
		{"topic", tap.Filter{Topics: []string{"sensors/+"}}, []string{"Subscribe Request (id=2) [sensors/#]", "Publish Message (id=1) [sensors/t1]", "Publish Message [sensors/t1]"}},
		{"topic subscribe", tap.Filter{Topics: []string{"#"}, Types: []mqttwire.PacketType{mqttwire.TypeSubscribe}}, []string{"Subscribe Request (id=2) [sensors/#]"}},
		{"client", tap.Filter{Clients: []string{"dev-*"}, Types: []mqttwire.PacketType{mqttwire.TypeConnect}}, []string{"Connect Command"}},
		{"other client", tap.Filter{Clients: []string{"dev-2"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tp := newTap(t, &out, tap.Options{Filter: tt.filter})
			s := tp.Open(clientAddr, serverAddr)
			feed(s, session5(t), rand.New(rand.NewPCG(5, 6)))
			tp.Close()
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(tt.want) == 0 {
				if out.Len() != 0 {
					t.Fatalf("shown:\n%s", out.String())
				}
				return
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("shown %d, want %d:\n%s", len(lines), len(tt.want), out.String())
			}
			for i, l := range lines {
				if !strings.HasSuffix(l, " "+tt.want[i]) || !strings.Contains(l, " dev-1 ") {
					t.Errorf("line %q: want the client id and Info %q", l, tt.want[i])
				}
			}
		})
	}
}

func TestJSONL(t *testing.T) {
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{Format: tap.JSONL})
	s := tp.Open(clientAddr, serverAddr)
	feed(s, session5(t), rand.New(rand.NewPCG(7, 8)))
	tp.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var first struct {
		Frame    int    `json:"frame"`
		ClientID string `json:"client_id"`
		From     string `json:"from"`
		Client   string `json:"client"`
		Info     string `json:"info"`
		Layers   struct {
			MQTT map[string]any `json:"mqtt"`
		} `json:"layers"`
	}
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &first); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Frame != 1 || first.ClientID != "dev-1" || first.From != "client" || first.Client != "127.0.0.1:50312" || first.Info != "Connect Command" || first.Layers.MQTT["mqtt.clientid"] != "dev-1" {
		t.Errorf("first line: %+v", first)
	}
}

// TestPasswordHidden: the password is not shown unless asked for.
func TestPasswordHidden(t *testing.T) {
	c := connectWithPassword(t)
	for _, show := range []bool{false, true} {
		var out bytes.Buffer
		tp := newTap(t, &out, tap.Options{Format: tap.Tree, ShowSecrets: show})
		tp.Open(clientAddr, serverAddr).FromClient(c)
		tp.Close()
		if got := strings.Contains(out.String(), "s3cret"); got != show {
			t.Errorf("ShowSecrets %v: password shown %v:\n%s", show, got, out.String())
		}
	}
}

// TestAssignedClientID: an empty client id is learned from CONNACK's
// Assigned Client Identifier.
func TestAssignedClientID(t *testing.T) {
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{})
	s := tp.Open(clientAddr, serverAddr)
	s.FromClient(encode(t, &mqttwire.Connect{CleanSession: true}, mqttwire.V5))
	ack := &mqttwire.Connack{}
	ack.Properties.AddString(mqttwire.PropAssignedClientID, "auto-7")
	s.FromServer(encode(t, ack, mqttwire.V5))
	s.FromClient(encode(t, &mqttwire.Pingreq{}, mqttwire.V5))
	tp.Close()
	lines := strings.Split(out.String(), "\n")
	if !strings.Contains(lines[0], ` "" `) || !strings.Contains(lines[2], " auto-7 ") {
		t.Errorf("client ids not shown as learned:\n%s", out.String())
	}
}

// TestCount: Done closes after Count packets and no more are shown.
func TestCount(t *testing.T) {
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{Count: 3})
	feed(tp.Open(clientAddr, serverAddr), session5(t), rand.New(rand.NewPCG(9, 10)))
	select {
	case <-tp.Done():
	default:
		t.Fatal("Done not closed")
	}
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("%d lines shown, want 3", n)
	}
	tp.Close()
}

func connectWithPassword(t testing.TB) []byte {
	return encode(t, &mqttwire.Connect{ClientID: "d", UsernameFlag: true, Username: "u", PasswordFlag: true, Password: []byte("s3cret")}, mqttwire.V311)
}

// TestStageOrder: bytes are shown in the order they were staged, whoever
// flushes: a proxy stages before forwarding and flushes after, so the
// answer to a packet can be flushed first by the other direction.
func TestStageOrder(t *testing.T) {
	pkts := session5(t)
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{Format: tap.Tree})
	s := tp.Open(clientAddr, serverAddr)
	connect := s.Stage(pkts[0].fromClient, pkts[0].raw) // CONNECT, staged, its write not yet returned
	connack := s.Stage(pkts[1].fromClient, pkts[1].raw) // its CONNACK, read meanwhile
	s.Sent(connack, len(pkts[1].raw))
	s.Flush()
	if out.Len() != 0 {
		t.Fatalf("the CONNACK was shown while its CONNECT was being sent:\n%s", out.String())
	}
	s.Sent(connect, len(pkts[0].raw))
	s.Flush()
	tp.Close()
	conv := output.NewConversation(0)
	want := ""
	for _, p := range pkts[:2] {
		want += string(output.AppendTree(nil, conv.Dissect(p.raw), output.Prefs{}, nil))
	}
	var got string
	for _, blk := range strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n") {
		_, tree, _ := strings.Cut(blk, "\n")
		got += tree + "\n"
	}
	if got != want {
		t.Errorf("shown:\n%s\nwant:\n%s", got, want)
	}
}

// A write that fails part way shows only what it sent: a server's
// DISCONNECT written as the client's connection closes never crossed it.
func TestStageSentPart(t *testing.T) {
	pkts := session5(t)
	var out bytes.Buffer
	tp := newTap(t, &out, tap.Options{Format: tap.Summary})
	s := tp.Open(clientAddr, serverAddr)
	s.Sent(s.Stage(true, pkts[0].raw), len(pkts[0].raw))
	disc := encode(t, &mqttwire.Disconnect{}, mqttwire.V5)
	s.Sent(s.Stage(false, disc), 0)
	s.Flush()
	tp.Close()
	if got := out.String(); !strings.Contains(got, "Connect Command") || strings.Contains(got, "Disconnect") {
		t.Errorf("shown:\n%s\nwant the CONNECT only", got)
	}
}
