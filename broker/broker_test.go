package broker_test

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/dissect"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
)

const waitFor = 10 * time.Second

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

// device is a constrained client as firmware writes them: fixed bytes,
// one write per packet, reading only what it needs.
type device struct {
	t  *testing.T
	nc net.Conn
	r  *mqttwire.Reader
}

func dialDevice(t *testing.T, addr string) *device {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(waitFor))
	return &device{t: t, nc: nc, r: mqttwire.NewReader(nc, 0)}
}

func (d *device) send(raw []byte) {
	d.t.Helper()
	if _, err := d.nc.Write(raw); err != nil {
		d.t.Fatal(err)
	}
}

func (d *device) expect(first byte) []byte {
	d.t.Helper()
	raw, err := d.r.ReadPacket()
	if err != nil {
		d.t.Fatalf("waiting for %#x: %v", first, err)
	}
	if raw[0] != first {
		d.t.Fatalf("got %x, want a packet starting %#x", raw, first)
	}
	return raw
}

// Fixed packets a device sends (MQTT 3.1.1).
var (
	// CONNECT, client id "thermo-42", keepalive 60, clean session.
	devConnect = []byte{0x10, 21, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 9, 't', 'h', 'e', 'r', 'm', 'o', '-', '4', '2'}
	// PUBLISH QoS 1, topic "home/temp", packet id 1, payload "21.5".
	devPublish = []byte{0x32, 17, 0, 9, 'h', 'o', 'm', 'e', '/', 't', 'e', 'm', 'p', 0, 1, '2', '1', '.', '5'}
	devPing    = []byte{0xc0, 0}
	devDiscon  = []byte{0xe0, 0}
)

// TestDeviceThroughBroker: a device's packets, both ways, appear in the
// output with its client id and in the pcap, which the decode pipeline
// reads without a malformed packet.
func TestDeviceThroughBroker(t *testing.T) {
	var out syncBuffer
	var pcap syncBuffer
	tp, err := tap.New(&out, tap.Options{Pcap: &pcap})
	if err != nil {
		t.Fatal(err)
	}
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}, Tap: tp})
	if err != nil {
		t.Fatal(err)
	}
	addr := b.Listeners()[0].Addr.String()

	d := dialDevice(t, addr)
	d.send(devConnect)
	d.expect(0x20) // CONNACK
	d.send(devPublish)
	d.expect(0x40) // PUBACK
	d.send(devPing)
	d.expect(0xd0) // PINGRESP
	d.send(devDiscon)
	if _, err := d.r.ReadPacket(); err == nil {
		t.Fatal("broker did not close after DISCONNECT")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}

	wantInfo := []string{"Connect Command", "Connect Ack", "Publish Message (id=1) [home/temp]", "Publish Ack (id=1)", "Ping Request", "Ping Response", "Disconnect Req"}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(wantInfo) {
		t.Fatalf("shown:\n%s\nwant %d packets", out.String(), len(wantInfo))
	}
	for i, l := range lines {
		if !strings.Contains(l, " thermo-42 ") || !strings.HasSuffix(l, " "+wantInfo[i]) {
			t.Errorf("line %q: want client id thermo-42 and %q", l, wantInfo[i])
		}
	}

	var decoded strings.Builder
	st, err := dissect.Capture(&decoded, strings.NewReader(pcap.String()), dissect.Options{Heuristic: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.PDUs != len(wantInfo) || st.Malformed != 0 {
		t.Fatalf("pcap: %d PDUs, %d malformed; want %d, none:\n%s", st.PDUs, st.Malformed, len(wantInfo), decoded.String())
	}
	for _, info := range wantInfo {
		if !strings.Contains(decoded.String(), info) {
			t.Errorf("pcap decode lacks %q:\n%s", info, decoded.String())
		}
	}
}

// TestUsers: with a users file only those users get in.
func TestUsers(t *testing.T) {
	users, err := broker.ReadUsers(strings.NewReader("# test users\nalice:pw:with:colons\n\nbob:hunter2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if users["alice"] != "pw:with:colons" || users["bob"] != "hunter2" {
		t.Fatalf("users %v", users)
	}
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}, Users: users})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, tt := range []struct {
		user, pw string
		ok       bool
	}{{"bob", "hunter2", true}, {"bob", "wrong", false}, {"", "", false}} {
		expectLogin(t, b, tt.user, tt.pw, tt.ok)
	}
	for _, bad := range []string{"", "nocolon\n", "carol:$7$101$abc\n", "  :pw\n"} {
		if _, err := broker.ReadUsers(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadUsers(%q) accepted", bad)
		}
	}
}

// expectLogin connects as user with pw (none when empty) and wants the
// CONNACK to accept or refuse it.
func expectLogin(t *testing.T, b *broker.Broker, user, pw string, ok bool) {
	t.Helper()
	c := &mqttwire.Connect{ClientID: "u", CleanSession: true, UsernameFlag: user != "", Username: user, PasswordFlag: pw != "", Password: []byte(pw)}
	raw, _ := c.Append(nil, mqttwire.V311)
	d := dialDevice(t, b.Listeners()[0].Addr.String())
	d.send(raw)
	ack := d.expect(0x20)
	if got := ack[3] == 0; got != ok {
		t.Errorf("user %q password %q: accepted %v (CONNACK %x)", user, pw, got, ack)
	}
}

// TestUsersWhitespace: a password is the rest of its line, spaces at
// either end included (only the line end goes, CRLF too); blanks around
// the user name go, as in mosquitto.
func TestUsersWhitespace(t *testing.T) {
	users, err := broker.ReadUsers(strings.NewReader("  # comment\n \t\ncarol: two words \r\n dave :pw\r\nerin:\ttab\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"carol": " two words ", "dave": "pw", "erin": "\ttab"}
	if len(users) != len(want) {
		t.Fatalf("users %q, want %q", users, want)
	}
	for u, pw := range want {
		if got, ok := users[u]; !ok || got != pw {
			t.Errorf("user %q: password %q, want %q", u, got, pw)
		}
	}
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}, Users: users})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, tt := range []struct {
		user, pw string
		ok       bool
	}{{"carol", " two words ", true}, {"carol", "two words", false}, {"carol", " two words", false}, {"dave", "pw", true}, {"dave", "pw ", false}, {"erin", "\ttab", true}} {
		expectLogin(t, b, tt.user, tt.pw, tt.ok)
	}
}
