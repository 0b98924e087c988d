package output

import (
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

const malformedBlock = "[Malformed Packet: MQTT]\n" +
	"    [Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]\n" +
	"        [Malformed Packet (Exception occurred)]\n" +
	"        [Severity level: Error]\n" +
	"        [Group: Malformed]\n"

const unknownVersion = "    [Expert Info (Note/Protocol): Unknown version (missing the CONNECT packet?)]\n" +
	"        [Unknown version (missing the CONNECT packet?)]\n" +
	"        [Severity level: Note]\n" +
	"        [Group: Protocol]\n"

const publishHeader = "    Header Flags: 0x30, Message Type: Publish Message, QoS Level: At most once delivery (Fire and Forget)\n" +
	"        0011 .... = Message Type: Publish Message (3)\n" +
	"        .... 0... = DUP Flag: Not set\n" +
	"        .... .00. = QoS Level: At most once delivery (Fire and Forget) (0)\n" +
	"        .... ...0 = Retain: Not set\n"

// TestRemainingLengthAsTshark: remaining lengths the protocol forbids, as
// tshark 4.0 shows them (its trees for these bytes, framed by TCP, with no
// CONNECT before). It reads up to 10 bytes and goes on; when the bytes run
// out first, its exception leaves the section its bare title.
func TestRemainingLengthAsTshark(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  []byte
		tree string
		json string
	}{
		{"runs past the PDU", []byte{0x30, 0xff, 0xff, 0xff, 0xff},
			"MQ Telemetry Transport Protocol\n" + malformedBlock,
			`{"mqtt":"MQ Telemetry Transport Protocol","_ws.malformed":{"_ws.expert":{"_ws.malformed.expert":"","_ws.expert.message":"Malformed Packet (Exception occurred)","_ws.expert.severity":"8388608","_ws.expert.group":"117440512"},"_ws.malformed":"Malformed Packet"}}`},
		{"cut after its first byte", []byte{0x32, 0x80},
			"MQ Telemetry Transport Protocol\n" + malformedBlock, ""},
		{"five bytes, publish without a topic", []byte{0x30, 0x80, 0x80, 0x80, 0x80, 0x00},
			"MQ Telemetry Transport Protocol, Publish Message\n" + unknownVersion + publishHeader +
				"    Msg Len: 0\n" + malformedBlock, ""},
		{"six bytes, ping request", []byte{0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
			"MQ Telemetry Transport Protocol, Ping Request\n" + unknownVersion +
				"    Header Flags: 0xc0, Message Type: Ping Request\n" +
				"        1100 .... = Message Type: Ping Request (12)\n" +
				"        .... 0000 = Reserved: 0\n" +
				"    Msg Len: 0\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewConversation(0).Dissect(tc.raw)
			if got := string(AppendTree(nil, d, Prefs{}, nil)); got != tc.tree {
				t.Errorf("tree:\n%s\nwant:\n%s", got, tc.tree)
			}
			if tc.json != "" {
				o := &JSONObject{Members: JSONLayers(d, Prefs{})}
				if got := string(o.AppendCompact(nil)); got != tc.json {
					t.Errorf("json:\n%s\nwant:\n%s", got, tc.json)
				}
			}
		})
	}
	// The codec takes the same packet with the length in four bytes.
	d := NewConversation(mqttwire.V311).Dissect([]byte{0x30, 0x85, 0x80, 0x80, 0x80, 0x00, 0, 1, 't', 'x', 'y'})
	if p, ok := d.Packet.(*mqttwire.Publish); !ok || p.Topic != "t" || string(p.Payload) != "xy" || d.Malformed() {
		t.Errorf("publish with a five-byte length 5: %#v, malformed %v", d.Packet, d.Malformed())
	}
}
