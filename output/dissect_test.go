package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// Raw packets, one field per line, with a line tshark prints for them and
// their Info text. The full trees are in testdata/cases (real tshark).
var packetTests = []struct {
	name string
	v    mqttwire.Version
	raw  []byte
	line string
	info string
}{
	{"connect v5", 0, []byte{0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60,
		0, // properties length
		0, 0}, "    Properties\n        Total Length: 0\n", "Connect Command"},
	{"connack v311 refused", 4, []byte{0x20, 2, 0x00, 0x05}, "    Return Code: Connection Refused: not authorized (5)\n", "Connect Ack"},
	{"connack v31", 3, []byte{0x20, 2, 0x00, 0x00}, "    Reserved: Not set\n", "Connect Ack"},
	{"publish qos1 v311", 4, []byte{0x32, 7, 0, 3, 'a', '/', 'b', 0, 1, 'x'}[:9], "    Message Identifier: 1\n", "Publish Message (id=1) [a/b]"},
	{"publish v5 alias", 5, []byte{0x30, 8, 0, 1, 't', 3, 0x23, 0, 1, 'x'}, "        Topic Alias: 1\n", "Publish Message [t]"},
	{"puback v5 reason", 5, []byte{0x40, 3, 0, 1, 0x10}, "    Reason Code: No matching subscribers (16)\n", "Publish Ack (id=1)"},
	{"pubrec v5", 5, []byte{0x50, 3, 0, 2, 0x91}, "    Reason Code: Packet Identifier in use (145)\n", "Publish Received (id=2)"},
	{"pubrel v31", 3, []byte{0x62, 2, 0, 2}, "        .... ...0 = Reserved: 0\n", "Publish Release (id=2)"},
	{"pubcomp v5", 5, []byte{0x70, 3, 0, 2, 0x92}, "    Reason Code: Packet Identifier not found (146)\n", "Publish Complete (id=2)"},
	{"subscribe v5", 5, []byte{0x82, 7, 0, 1, 0, 0, 1, 'a', 0x2e},
		"    Subscription Options: 0x2e, Retain Handling: Do not send msgs at subscription time, Retain As Published, No Local, QoS: Exactly once delivery (Assured Delivery)\n",
		"Subscribe Request (id=1) [a]"},
	{"suback v311 failure", 4, []byte{0x90, 3, 0, 1, 0x80}, "    Granted QoS: Failure (128)\n", "Subscribe Ack (id=1)"},
	{"suback v5", 5, []byte{0x90, 4, 0, 1, 0, 0x87}, "    Reason Code: Not authorized (135)\n", "Subscribe Ack (id=1)"},
	{"unsubscribe v311", 4, []byte{0xa2, 5, 0, 1, 0, 1, 'a'}, "    Topic: a\n", "Unsubscribe Request (id=1)"},
	{"unsuback v5", 5, []byte{0xb0, 4, 0, 1, 0, 0x11}, "    Reason Code: No subscription existed (17)\n", "Unsubscribe Ack (id=1)"},
	{"pingreq", 4, []byte{0xc0, 0}, "    Msg Len: 0\n", "Ping Request"},
	{"pingresp", 4, []byte{0xd0, 0}, "        1101 .... = Message Type: Ping Response (13)\n", "Ping Response"},
	{"disconnect v5", 5, []byte{0xe0, 1, 0x8e}, "    Reason Code: Session taken over (142)\n", "Disconnect Req"},
	{"auth v5", 5, []byte{0xf0, 1, 0x18}, "    Reason Code: Continue authentication (24)\n", "Authentication Exchange"},
	{"unknown version", 0, []byte{0xd0, 0}, "    [Expert Info (Note/Protocol): Unknown version (missing the CONNECT packet?)]\n", "Ping Response"},
	{"topic overrun", 4, []byte{0x30, 5, 1, 0x2c, 'a', 'b', 'c'}, "    Topic Length: 300\n[Malformed Packet: MQTT]\n", "Publish Message[Malformed Packet]"},
	{"reserved type", 4, []byte{0x00, 0}, "MQ Telemetry Transport Protocol, Reserved\n", "Reserved"},
	{"empty", 4, nil, "[Malformed Packet: MQTT]\n", "[Malformed Packet]"},
}

func TestPacketTypes(t *testing.T) {
	for _, tc := range packetTests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewConversation(tc.v).Dissect(tc.raw)
			var b bytes.Buffer
			if err := WriteTree(&b, d, Prefs{}, nil); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.line) {
				t.Errorf("tree lacks %q:\n%s", tc.line, b.String())
			}
			if got := Info(d); got != tc.info {
				t.Errorf("Info = %q, want %q", got, tc.info)
			}
		})
	}
}

// TestVersionLearned: CONNECT's level shapes the PDUs after it, in both
// directions of the conversation.
func TestVersionLearned(t *testing.T) {
	c := NewConversation(0)
	c.Dissect([]byte{0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0})
	if c.Version != mqttwire.V311 {
		t.Fatalf("version %v", c.Version)
	}
	c.Dissect([]byte{0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0, 0, 0})
	d := c.Dissect([]byte{0x20, 3, 0, 0, 0})
	if d.Version != mqttwire.V5 || !strings.Contains(string(AppendTree(nil, d, Prefs{}, nil)), "Reason Code: Success (0)") {
		t.Errorf("CONNACK after a v5 CONNECT:\n%s", AppendTree(nil, d, Prefs{}, nil))
	}
}

// FuzzDissect: any bytes under any version dissect without panic, and
// every output form is produced.
func FuzzDissect(f *testing.F) {
	for _, tc := range packetTests {
		f.Add(tc.raw, byte(tc.v))
	}
	f.Add([]byte{0x30, 0x0e, 0, 1, 't', 8, 0x7f, 1, 3, 0, 1, 'a', 3, 'x', 'p'}, byte(5))
	f.Add([]byte{0x10, 0x14, 0, 4, 'M', 'Q', 'T', 'T', 5, 0xf6, 0, 60, 3, 0x26, 0, 9}, byte(0))
	f.Fuzz(func(t *testing.T, raw []byte, v byte) {
		c := NewConversation(mqttwire.Version(v))
		for _, text := range []bool{false, true} {
			d := c.Dissect(raw)
			out := AppendTree(nil, d, Prefs{ShowMsgAsText: text}, NewPalette(text))
			if !bytes.Contains(out, []byte(protocolName)) {
				t.Fatalf("no section title: %q", out)
			}
			_ = Info(d)
			layers := &JSONObject{Members: JSONLayers(d, Prefs{ShowMsgAsText: text})}
			if !json.Valid(layers.AppendCompact(nil)) {
				t.Fatalf("invalid JSON layers: %s", layers.AppendCompact(nil))
			}
		}
	})
}

var benchSink []byte

func benchmarkTree(b *testing.B, v mqttwire.Version, connect, raw []byte) {
	c := NewConversation(v)
	if connect != nil {
		c.Dissect(connect)
	}
	var d Dissection
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		c.DissectInto(&d, raw)
		buf = AppendTree(buf[:0], &d, Prefs{}, nil)
	}
	benchSink = buf
}

// BenchmarkWriteTree: dissect and render, the per-PDU work of decoding a
// capture.
func BenchmarkWriteTree(b *testing.B) {
	v5connect := []byte{0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 0}
	publish := []byte{0x32, 0, 0, 8, 's', 'e', 'n', 's', 'o', 'r', '/', '1', 0, 7,
		23, 0x01, 1, 0x03, 0, 16, 'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', '/', 'j', 's', 'o', 'n', 0x23, 0, 1}
	publish = append(publish, []byte(`{"temperature":21.5,"unit":"C"}`)...)
	publish[1] = byte(len(publish) - 2)
	connect := []byte{0x10, 0, 0, 4, 'M', 'Q', 'T', 'T', 4, 0xee, 0, 60, 0, 6, 'c', 'l', 'i', 'e', 'n', 't',
		0, 3, 'w', '/', 't', 0, 3, 'b', 'y', 'e', 0, 4, 'u', 's', 'e', 'r', 0, 4, 'p', 'a', 's', 's'}
	connect[1] = byte(len(connect) - 2)
	b.Run("publish-v5", func(b *testing.B) { benchmarkTree(b, 0, v5connect, publish) })
	b.Run("connect-v311", func(b *testing.B) { benchmarkTree(b, 0, nil, connect) })
}
