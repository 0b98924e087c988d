package mqttwire

import (
	"bytes"
	"fmt"
)

// tpacket is one test packet: its bytes as they go on the wire, written one
// field per line, and what decoding them must give. Decode, encode, round-trip
// and error tests and the fuzz seeds all draw on the same table (the layout of
// mochi-mqtt's tpackets.go).
type tpacket struct {
	name    string // unique; the sub-test name
	desc    string // what it shows, and where the bytes come from
	version Version
	raw     []byte
	// want is the decoded value, wire facts (Fixed, Properties.Length)
	// included; for a bad packet, what decoding returns with err (nil when
	// not even the fixed header could be read).
	want Packet
	// n is the number of bytes Decode takes when that is not len(raw).
	n int
	// err is the exact error, a *MalformedError or *ProtocolError; nil for a
	// valid packet. msg is its Error() text.
	err error
	msg string
}

// valid reports whether the fixture is a packet that decodes without error.
func (tp tpacket) valid() bool { return tp.err == nil }

// size is the number of bytes Decode must report.
func (tp tpacket) size() int {
	if tp.n != 0 || tp.want == nil && tp.err != nil {
		return tp.n
	}
	return len(tp.raw)
}

// wire joins the fields of a fixture: each int is one byte, a string or a
// []byte is copied as it is.
func wire(fields ...any) []byte {
	var b []byte
	for _, f := range fields {
		switch f := f.(type) {
		case int:
			if f < 0 || f > 0xFF {
				panic(fmt.Sprintf("wire: %d is not a byte", f))
			}
			b = append(b, byte(f))
		case string:
			b = append(b, f...)
		case []byte:
			b = append(b, f...)
		default:
			panic(fmt.Sprintf("wire: unexpected %T", f))
		}
	}
	return b
}

// fixed is the fixed header decoding gives for a first byte and a remaining
// length (LenBytes worked out here, independently of the codec).
func fixed(first byte, remaining int) FixedHeader {
	n := 1
	for r := remaining; r > 127; r >>= 7 {
		n++
	}
	return FixedHeader{Byte: first, Remaining: remaining, LenBytes: n}
}

func props(length int, list ...Property) Properties {
	return Properties{Length: length, List: list}
}

// Strings taken from the captures in testdata/streams.
const (
	resTopic = "resources/0c350791-4971-46a0-8b00-9034df38a36c/temperature"           // 58 bytes
	resJSON  = `{"data":[{"temperature":10,"timestamp":"2017-06-14T17:52:25.428Z"}]}` // 68 bytes
	autoID   = "auto-E69B1359-0988-AD64-4200-CE80975143AB"                            // 41 bytes
)

// bigPayload needs a three-byte remaining length.
var bigPayload = bytes.Repeat([]byte("x"), 16384)

// tpackets is the table: the valid packets, then the bad ones.
var tpackets = append(append([]tpacket(nil), validPackets...), badPackets...)

// tpacketNamed returns the fixture with the given name.
func tpacketNamed(name string) tpacket {
	for _, tp := range tpackets {
		if tp.name == name {
			return tp
		}
	}
	panic("no test packet " + name)
}

// validPackets are packets of every type in every version where it exists,
// from the specifications' examples and from the captures (frame numbers of
// shared/testdata/captures; the bytes are also in testdata/streams).
var validPackets = []tpacket{
	// CONNECT
	{
		name: "connect/v31/capture", version: V31,
		desc: "mosquitto_pub -V mqttv31: v31-qos1.pcap frame 4",
		raw: wire(
			0x10, 0x25, // CONNECT, remaining length 37
			0x00, 0x06, "MQIsdp", // protocol name
			0x03,       // protocol level 3
			0x02,       // connect flags: clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x17, "mosq-XWJyUqXzmn7ObFKPBf", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 37), ProtocolName: "MQIsdp", ProtocolLevel: 3, Flags: 0x02,
			CleanSession: true, KeepAlive: 60, ClientID: "mosq-XWJyUqXzmn7ObFKPBf"},
	},
	{
		name: "connect/v31/will-auth", version: V31,
		desc: "3.1 CONNECT with will and credentials, header as in MQTT 3.1.1 Figure 3.6 (flags 0xCE, keep alive 10)",
		raw: wire(
			0x10, 0x26, // CONNECT, remaining length 38
			0x00, 0x06, "MQIsdp", // protocol name
			0x03,       // protocol level 3
			0xCE,       // connect flags: user name, password, will QoS 1, will, clean session
			0x00, 0x0A, // keep alive 10
			0x00, 0x03, "abc", // client id
			0x00, 0x03, "a/b", // will topic
			0x00, 0x04, "gone", // will message
			0x00, 0x04, "user", // user name
			0x00, 0x02, "pw", // password
		),
		want: &Connect{Fixed: fixed(0x10, 38), ProtocolName: "MQIsdp", ProtocolLevel: 3, Flags: 0xCE,
			CleanSession: true, KeepAlive: 10, ClientID: "abc",
			WillFlag: true, WillQoS: 1, WillTopic: "a/b", WillPayload: []byte("gone"),
			UsernameFlag: true, Username: "user", PasswordFlag: true, Password: []byte("pw")},
	},
	{
		name: "connect/v311/capture", version: V311,
		desc: "mosquitto_pub, empty client id, keep alive 15: seed-v311-qos0.pcapng frame 4",
		raw: wire(
			0x10, 0x0C, // CONNECT, remaining length 12
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x02,       // connect flags: clean session
			0x00, 0x0F, // keep alive 15
			0x00, 0x00, // client id ""
		),
		want: &Connect{Fixed: fixed(0x10, 12), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x02,
			CleanSession: true, KeepAlive: 15},
	},
	{
		name: "connect/v311/spec", version: V311,
		desc: "MQTT 3.1.1 Figure 3.6 variable header (flags 0xCE, keep alive 10) with its payload fields",
		raw: wire(
			0x10, 0x24, // CONNECT, remaining length 36
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0xCE,       // connect flags: user name, password, will QoS 1, will, clean session
			0x00, 0x0A, // keep alive 10
			0x00, 0x03, "abc", // client id
			0x00, 0x03, "a/b", // will topic
			0x00, 0x04, "gone", // will message
			0x00, 0x04, "user", // user name
			0x00, 0x02, "pw", // password
		),
		want: &Connect{Fixed: fixed(0x10, 36), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0xCE,
			CleanSession: true, KeepAlive: 10, ClientID: "abc",
			WillFlag: true, WillQoS: 1, WillTopic: "a/b", WillPayload: []byte("gone"),
			UsernameFlag: true, Username: "user", PasswordFlag: true, Password: []byte("pw")},
	},
	{
		name: "connect/v311/will-auth-capture", version: V311,
		desc: "retained QoS 1 will, user name and password: v311-will-auth.pcapng frame 4",
		raw: wire(
			0x10, 0x33, // CONNECT, remaining length 51
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0xEE,       // connect flags: user name, password, will retain, will QoS 1, will, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x00, // client id ""
			0x00, 0x0D, "dev/17/status", // will topic
			0x00, 0x07, "offline", // will message
			0x00, 0x05, "alice", // user name
			0x00, 0x06, "s3cret", // password
		),
		want: &Connect{Fixed: fixed(0x10, 51), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0xEE,
			CleanSession: true, KeepAlive: 60,
			WillFlag: true, WillQoS: 1, WillRetain: true, WillTopic: "dev/17/status", WillPayload: []byte("offline"),
			UsernameFlag: true, Username: "alice", PasswordFlag: true, Password: []byte("s3cret")},
	},
	{
		name: "connect/v311/bad-password-capture", version: V311,
		desc: "v311-bad-password.pcapng frame 4",
		raw: wire(
			0x10, 0x1A, // CONNECT, remaining length 26
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0xC2,       // connect flags: user name, password, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x00, // client id ""
			0x00, 0x05, "alice", // user name
			0x00, 0x05, "wrong", // password
		),
		want: &Connect{Fixed: fixed(0x10, 26), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0xC2,
			CleanSession: true, KeepAlive: 60,
			UsernameFlag: true, Username: "alice", PasswordFlag: true, Password: []byte("wrong")},
	},
	{
		name: "connect/v5/capture", version: V5,
		desc: "session expiry, user property, receive maximum: v5-qos1-properties.pcapng frame 4",
		raw: wire(
			0x10, 0x21, // CONNECT, remaining length 33
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x02,       // connect flags: clean start
			0x00, 0x3C, // keep alive 60
			0x14,                         // property length 20
			0x11, 0x00, 0x00, 0x00, 0x1E, // session expiry interval 30
			0x26, 0x00, 0x04, "site", 0x00, 0x03, "lab", // user property site=lab
			0x21, 0x00, 0x14, // receive maximum 20
			0x00, 0x00, // client id ""
		),
		want: &Connect{Fixed: fixed(0x10, 33), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x02,
			CleanSession: true, KeepAlive: 60,
			Properties: props(20,
				Property{ID: PropSessionExpiry, Int: 30},
				Property{ID: PropUserProperty, Str: "site", Value: "lab"},
				Property{ID: PropReceiveMaximum, Int: 20})},
	},
	{
		name: "connect/v5/bad-password-capture", version: V5,
		desc: "v5-bad-password.pcapng frame 4",
		raw: wire(
			0x10, 0x1E, // CONNECT, remaining length 30
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0xC2,       // connect flags: user name, password, clean start
			0x00, 0x3C, // keep alive 60
			0x03,             // property length 3
			0x21, 0x00, 0x14, // receive maximum 20
			0x00, 0x00, // client id ""
			0x00, 0x05, "alice", // user name
			0x00, 0x05, "wrong", // password
		),
		want: &Connect{Fixed: fixed(0x10, 30), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0xC2,
			CleanSession: true, KeepAlive: 60,
			Properties:   props(3, Property{ID: PropReceiveMaximum, Int: 20}),
			UsernameFlag: true, Username: "alice", PasswordFlag: true, Password: []byte("wrong")},
	},
	{
		name: "connect/v5/spec-will", version: V5,
		desc: "MQTT 5.0 Figure 3-6 variable header (flags 0xCE, keep alive 10, session expiry 10) with all seven will properties",
		raw: wire(
			0x10, 0x5C, // CONNECT, remaining length 92
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0xCE,       // connect flags: user name, password, will QoS 1, will, clean start
			0x00, 0x0A, // keep alive 10
			0x05,                         // property length 5
			0x11, 0x00, 0x00, 0x00, 0x0A, // session expiry interval 10
			0x00, 0x03, "abc", // client id
			0x31,                         // will property length 49
			0x18, 0x00, 0x00, 0x00, 0x3C, // will delay interval 60
			0x01, 0x01, // payload format indicator: UTF-8
			0x02, 0x00, 0x00, 0x0E, 0x10, // message expiry interval 3600
			0x03, 0x00, 0x0A, "text/plain", // content type
			0x08, 0x00, 0x07, "replies", // response topic
			0x09, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, // correlation data
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
			0x00, 0x03, "a/b", // will topic
			0x00, 0x04, "gone", // will payload
			0x00, 0x04, "user", // user name
			0x00, 0x02, "pw", // password
		),
		want: &Connect{Fixed: fixed(0x10, 92), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0xCE,
			CleanSession: true, KeepAlive: 10,
			Properties: props(5, Property{ID: PropSessionExpiry, Int: 10}),
			ClientID:   "abc", WillFlag: true, WillQoS: 1,
			WillProperties: props(49,
				Property{ID: PropWillDelay, Int: 60},
				Property{ID: PropPayloadFormat, Int: 1},
				Property{ID: PropMessageExpiry, Int: 3600},
				Property{ID: PropContentType, Str: "text/plain"},
				Property{ID: PropResponseTopic, Str: "replies"},
				Property{ID: PropCorrelationData, Bin: []byte{1, 2, 3, 4}},
				Property{ID: PropUserProperty, Str: "k", Value: "v"}),
			WillTopic: "a/b", WillPayload: []byte("gone"),
			UsernameFlag: true, Username: "user", PasswordFlag: true, Password: []byte("pw")},
	},
	{
		name: "connect/v5/all-properties", version: V5,
		desc: "every property CONNECT may carry (MQTT 5.0 §3.1.2.11), user property twice",
		raw: wire(
			0x10, 0x49, // CONNECT, remaining length 73
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x02,       // connect flags: clean start
			0x00, 0x00, // keep alive 0
			0x39,                         // property length 57
			0x11, 0xFF, 0xFF, 0xFF, 0xFF, // session expiry interval: never
			0x21, 0x00, 0x64, // receive maximum 100
			0x27, 0x00, 0x10, 0x00, 0x00, // maximum packet size 1 MiB
			0x22, 0x00, 0x0A, // topic alias maximum 10
			0x19, 0x01, // request response information
			0x17, 0x00, // request problem information
			0x26, 0x00, 0x01, "a", 0x00, 0x01, "1", // user property a=1
			0x26, 0x00, 0x01, "a", 0x00, 0x01, "2", // user property a=2
			0x15, 0x00, 0x0D, "SCRAM-SHA-256", // authentication method
			0x16, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF, // authentication data
			0x00, 0x03, "all", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 73), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x02,
			CleanSession: true,
			Properties: props(57,
				Property{ID: PropSessionExpiry, Int: 0xFFFFFFFF},
				Property{ID: PropReceiveMaximum, Int: 100},
				Property{ID: PropMaximumPacketSize, Int: 1 << 20},
				Property{ID: PropTopicAliasMaximum, Int: 10},
				Property{ID: PropRequestResponseInfo, Int: 1},
				Property{ID: PropRequestProblemInfo, Int: 0},
				Property{ID: PropUserProperty, Str: "a", Value: "1"},
				Property{ID: PropUserProperty, Str: "a", Value: "2"},
				Property{ID: PropAuthMethod, Str: "SCRAM-SHA-256"},
				Property{ID: PropAuthData, Bin: []byte{0xDE, 0xAD, 0xBE, 0xEF}}),
			ClientID: "all"},
	},
	{
		name: "connect/v5/password-without-username", version: V5,
		desc: "MQTT 5.0 allows a password without a user name (§3.1.2.9); 3.1.1 does not",
		raw: wire(
			0x10, 0x12, // CONNECT, remaining length 18
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x42,       // connect flags: password, clean start
			0x00, 0x3C, // keep alive 60
			0x00,            // property length 0
			0x00, 0x01, "c", // client id
			0x00, 0x02, "pw", // password
		),
		want: &Connect{Fixed: fixed(0x10, 18), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x42,
			CleanSession: true, KeepAlive: 60, ClientID: "c", PasswordFlag: true, Password: []byte("pw")},
	},

	// CONNACK
	{
		name: "connack/v31/capture", version: V31, desc: "v31-qos1.pcap frame 6",
		raw: wire(
			0x20, 0x02, // CONNACK, remaining length 2
			0x00, // unused in 3.1
			0x00, // return code: accepted
		),
		want: &Connack{Fixed: fixed(0x20, 2)},
	},
	{
		name: "connack/v31/identifier-rejected", version: V31, desc: "MQTT 3.1 return code 2",
		raw: wire(
			0x20, 0x02, // CONNACK, remaining length 2
			0x00, // unused in 3.1
			0x02, // return code: identifier rejected
		),
		want: &Connack{Fixed: fixed(0x20, 2), ReasonCode: 2},
	},
	{
		name: "connack/v311/capture", version: V311, desc: "seed-v311-qos0.pcapng frame 6",
		raw: wire(
			0x20, 0x02, // CONNACK, remaining length 2
			0x00, // acknowledge flags
			0x00, // return code: accepted
		),
		want: &Connack{Fixed: fixed(0x20, 2)},
	},
	{
		name: "connack/v311/bad-password-capture", version: V311, desc: "v311-bad-password.pcapng frame 6",
		raw: wire(
			0x20, 0x02, // CONNACK, remaining length 2
			0x00, // acknowledge flags
			0x05, // return code: not authorized
		),
		want: &Connack{Fixed: fixed(0x20, 2), ReasonCode: 5},
	},
	{
		name: "connack/v311/session-present", version: V311, desc: "MQTT 3.1.1 §3.2.2.2 session present",
		raw: wire(
			0x20, 0x02, // CONNACK, remaining length 2
			0x01, // acknowledge flags: session present
			0x00, // return code: accepted
		),
		want: &Connack{Fixed: fixed(0x20, 2), AckFlags: 1},
	},
	{
		name: "connack/v5/capture", version: V5, desc: "mosquitto 2.0's CONNACK: v5-qos1-properties.pcapng frame 6",
		raw: wire(
			0x20, 0x35, // CONNACK, remaining length 53
			0x00,             // acknowledge flags
			0x00,             // reason code: success
			0x32,             // property length 50
			0x22, 0x00, 0x0A, // topic alias maximum 10
			0x12, 0x00, 0x29, autoID, // assigned client identifier
			0x21, 0x00, 0x14, // receive maximum 20
		),
		want: &Connack{Fixed: fixed(0x20, 53), Properties: props(50,
			Property{ID: PropTopicAliasMaximum, Int: 10},
			Property{ID: PropAssignedClientID, Str: autoID},
			Property{ID: PropReceiveMaximum, Int: 20})},
	},
	{
		name: "connack/v5/bad-password-capture", version: V5, desc: "v5-bad-password.pcapng frame 6",
		raw: wire(
			0x20, 0x03, // CONNACK, remaining length 3
			0x00, // acknowledge flags
			0x87, // reason code: not authorized
			0x00, // property length 0
		),
		want: &Connack{Fixed: fixed(0x20, 3), ReasonCode: CodeNotAuthorized},
	},
	{
		name: "connack/v5/client-id-given-capture", version: V5, desc: "v5-sub-unsub.pcapng frame 6",
		raw: wire(
			0x20, 0x09, // CONNACK, remaining length 9
			0x00,             // acknowledge flags
			0x00,             // reason code: success
			0x06,             // property length 6
			0x22, 0x00, 0x0A, // topic alias maximum 10
			0x21, 0x00, 0x14, // receive maximum 20
		),
		want: &Connack{Fixed: fixed(0x20, 9), Properties: props(6,
			Property{ID: PropTopicAliasMaximum, Int: 10},
			Property{ID: PropReceiveMaximum, Int: 20})},
	},
	{
		name: "connack/v5/all-properties", version: V5,
		desc: "every property CONNACK may carry (MQTT 5.0 §3.2.2.3), session present",
		raw: wire(
			0x20, 0x5B, // CONNACK, remaining length 91
			0x01,                         // acknowledge flags: session present
			0x00,                         // reason code: success
			0x58,                         // property length 88
			0x11, 0x00, 0x00, 0x00, 0x78, // session expiry interval 120
			0x21, 0x00, 0x0A, // receive maximum 10
			0x24, 0x01, // maximum QoS 1
			0x25, 0x00, // retain available: no
			0x27, 0x00, 0x01, 0x00, 0x00, // maximum packet size 65536
			0x12, 0x00, 0x04, "auto", // assigned client identifier
			0x22, 0x00, 0x05, // topic alias maximum 5
			0x1F, 0x00, 0x02, "ok", // reason string
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
			0x28, 0x01, // wildcard subscription available
			0x29, 0x01, // subscription identifiers available
			0x2A, 0x00, // shared subscription available: no
			0x13, 0x00, 0x1E, // server keep alive 30
			0x1A, 0x00, 0x05, "resp/", // response information
			0x1C, 0x00, 0x0A, "other:1883", // server reference
			0x15, 0x00, 0x0B, "SCRAM-SHA-1", // authentication method
			0x16, 0x00, 0x02, 0x01, 0x02, // authentication data
		),
		want: &Connack{Fixed: fixed(0x20, 91), AckFlags: 1, Properties: props(88,
			Property{ID: PropSessionExpiry, Int: 120},
			Property{ID: PropReceiveMaximum, Int: 10},
			Property{ID: PropMaximumQoS, Int: 1},
			Property{ID: PropRetainAvailable, Int: 0},
			Property{ID: PropMaximumPacketSize, Int: 65536},
			Property{ID: PropAssignedClientID, Str: "auto"},
			Property{ID: PropTopicAliasMaximum, Int: 5},
			Property{ID: PropReasonString, Str: "ok"},
			Property{ID: PropUserProperty, Str: "k", Value: "v"},
			Property{ID: PropWildcardSubAvailable, Int: 1},
			Property{ID: PropSubscriptionIDAvailable, Int: 1},
			Property{ID: PropSharedSubAvailable, Int: 0},
			Property{ID: PropServerKeepAlive, Int: 30},
			Property{ID: PropResponseInfo, Str: "resp/"},
			Property{ID: PropServerReference, Str: "other:1883"},
			Property{ID: PropAuthMethod, Str: "SCRAM-SHA-1"},
			Property{ID: PropAuthData, Bin: []byte{1, 2}})},
	},

	// PUBLISH
	{
		name: "publish/v31/qos1-capture", version: V31, desc: "two-byte remaining length: v31-qos1.pcap frame 8",
		raw: wire(
			0x32, 0x82, 0x01, // PUBLISH QoS 1, remaining length 130
			0x00, 0x3A, resTopic, // topic
			0x00, 0x01, // packet identifier 1
			resJSON, // payload
		),
		want: &Publish{Fixed: fixed(0x32, 130), QoS: 1, Topic: resTopic, PacketID: 1, Payload: []byte(resJSON)},
	},
	{
		name: "publish/v311/qos0-capture", version: V311, desc: "seed-v311-qos0.pcapng frame 8",
		raw: wire(
			0x30, 0x80, 0x01, // PUBLISH QoS 0, remaining length 128
			0x00, 0x3A, resTopic, // topic
			resJSON, // payload
		),
		want: &Publish{Fixed: fixed(0x30, 128), Topic: resTopic, Payload: []byte(resJSON)},
	},
	{
		name: "publish/v311/qos2-retain-capture", version: V311, desc: "v311-qos2-retain.pcapng frame 8",
		raw: wire(
			0x35, 0x82, 0x01, // PUBLISH QoS 2, retain, remaining length 130
			0x00, 0x3A, resTopic, // topic
			0x00, 0x01, // packet identifier 1
			resJSON, // payload
		),
		want: &Publish{Fixed: fixed(0x35, 130), QoS: 2, Retain: true, Topic: resTopic, PacketID: 1, Payload: []byte(resJSON)},
	},
	{
		name: "publish/v311/qos1-capture", version: V311, desc: "v311-will-auth.pcapng frame 8",
		raw: wire(
			0x32, 0x10, // PUBLISH QoS 1, remaining length 16
			0x00, 0x08, "dev/17/t", // topic
			0x00, 0x01, // packet identifier 1
			"21.5", // payload
		),
		want: &Publish{Fixed: fixed(0x32, 16), QoS: 1, Topic: "dev/17/t", PacketID: 1, Payload: []byte("21.5")},
	},
	{
		name: "publish/v311/qos0-capture-short", version: V311, desc: "v311-sub-ping.pcapng frame 34",
		raw: wire(
			0x30, 0x10, // PUBLISH QoS 0, remaining length 16
			0x00, 0x0B, "alerts/fire", // topic
			"now", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 16), Topic: "alerts/fire", Payload: []byte("now")},
	},
	{
		name: "publish/v311/spec", version: V311, desc: "MQTT 3.1.1 Figure 3.11: topic a/b, packet identifier 10",
		raw: wire(
			0x32, 0x0C, // PUBLISH QoS 1, remaining length 12
			0x00, 0x03, "a/b", // topic
			0x00, 0x0A, // packet identifier 10
			"hello", // payload
		),
		want: &Publish{Fixed: fixed(0x32, 12), QoS: 1, Topic: "a/b", PacketID: 10, Payload: []byte("hello")},
	},
	{
		name: "publish/v311/dup-retain-empty", version: V311, desc: "DUP and retain set, empty payload (clears a retained message)",
		raw: wire(
			0x3B, 0x07, // PUBLISH DUP, QoS 1, retain, remaining length 7
			0x00, 0x03, "a/b", // topic
			0x00, 0x02, // packet identifier 2
		),
		want: &Publish{Fixed: fixed(0x3B, 7), Dup: true, QoS: 1, Retain: true, Topic: "a/b", PacketID: 2},
	},
	{
		name: "publish/v311/three-byte-length", version: V311, desc: "16389-byte body: remaining length in three bytes (MQTT 5.0 §1.5.5)",
		raw: wire(
			0x30, 0x85, 0x80, 0x01, // PUBLISH QoS 0, remaining length 16389
			0x00, 0x03, "big", // topic
			bigPayload, // payload
		),
		want: &Publish{Fixed: fixed(0x30, 16389), Topic: "big", Payload: bigPayload},
	},
	{
		name: "publish/v5/properties-capture", version: V5, desc: "mosquitto_pub -D publish ...: v5-qos1-properties.pcapng frame 8",
		raw: wire(
			0x32, 0xAD, 0x01, // PUBLISH QoS 1, remaining length 173
			0x00, 0x3A, resTopic, // topic
			0x00, 0x01, // packet identifier 1
			0x2A,                                 // property length 42
			0x03, 0x00, 0x10, "application/json", // content type
			0x02, 0x00, 0x00, 0x02, 0x58, // message expiry interval 600
			0x26, 0x00, 0x04, "unit", 0x00, 0x07, "celsius", // user property unit=celsius
			0x01, 0x01, // payload format indicator: UTF-8
			resJSON, // payload
		),
		want: &Publish{Fixed: fixed(0x32, 173), QoS: 1, Topic: resTopic, PacketID: 1,
			Properties: props(42,
				Property{ID: PropContentType, Str: "application/json"},
				Property{ID: PropMessageExpiry, Int: 600},
				Property{ID: PropUserProperty, Str: "unit", Value: "celsius"},
				Property{ID: PropPayloadFormat, Int: 1}),
			Payload: []byte(resJSON)},
	},
	{
		name: "publish/v5/request-capture", version: V5, desc: "request with response topic: v5-request-response.pcapng frame 20",
		raw: wire(
			0x30, 0x17, // PUBLISH QoS 0, remaining length 23
			0x00, 0x06, "rr/req", // topic
			0x0A,                        // property length 10
			0x08, 0x00, 0x07, "rr/resp", // response topic
			"ping", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 23), Topic: "rr/req",
			Properties: props(10, Property{ID: PropResponseTopic, Str: "rr/resp"}), Payload: []byte("ping")},
	},
	{
		name: "publish/v5/qos2-capture", version: V5, desc: "v5-sub-unsub.pcapng frame 20",
		raw: wire(
			0x34, 0x0B, // PUBLISH QoS 2, remaining length 11
			0x00, 0x04, "rr/x", // topic
			0x00, 0x01, // packet identifier 1
			0x00, // property length 0
			"hi", // payload
		),
		want: &Publish{Fixed: fixed(0x34, 11), QoS: 2, Topic: "rr/x", PacketID: 1, Payload: []byte("hi")},
	},
	{
		name: "publish/v5/subscription-id-capture", version: V5, desc: "broker to subscriber, with its subscription identifier: v5-sub-unsub.pcapng frame 23",
		raw: wire(
			0x34, 0x0D, // PUBLISH QoS 2, remaining length 13
			0x00, 0x04, "rr/x", // topic
			0x00, 0x01, // packet identifier 1
			0x02,       // property length 2
			0x0B, 0x07, // subscription identifier 7
			"hi", // payload
		),
		want: &Publish{Fixed: fixed(0x34, 13), QoS: 2, Topic: "rr/x", PacketID: 1,
			Properties: props(2, Property{ID: PropSubscriptionID, Int: 7}), Payload: []byte("hi")},
	},
	{
		name: "publish/v5/spec", version: V5, desc: "MQTT 5.0 Figure 3-9: topic a/b, packet identifier 10, no properties",
		raw: wire(
			0x32, 0x0D, // PUBLISH QoS 1, remaining length 13
			0x00, 0x03, "a/b", // topic
			0x00, 0x0A, // packet identifier 10
			0x00,    // property length 0
			"hello", // payload
		),
		want: &Publish{Fixed: fixed(0x32, 13), QoS: 1, Topic: "a/b", PacketID: 10, Payload: []byte("hello")},
	},
	{
		name: "publish/v5/all-properties", version: V5,
		desc: "every property PUBLISH may carry (MQTT 5.0 §3.3.2.3), subscription identifier twice with 2- and 4-byte values",
		raw: wire(
			0x32, 0x36, // PUBLISH QoS 1, remaining length 54
			0x00, 0x03, "t/1", // topic
			0x00, 0x07, // packet identifier 7
			0x2C,       // property length 44
			0x01, 0x01, // payload format indicator: UTF-8
			0x02, 0x00, 0x00, 0x00, 0x3C, // message expiry interval 60
			0x23, 0x00, 0x05, // topic alias 5
			0x08, 0x00, 0x03, "r/1", // response topic
			0x09, 0x00, 0x02, 0xBE, 0xEF, // correlation data
			0x26, 0x00, 0x02, "id", 0x00, 0x01, "7", // user property id=7
			0x0B, 0x80, 0x01, // subscription identifier 128
			0x0B, 0xFF, 0xFF, 0xFF, 0x7F, // subscription identifier 268435455
			0x03, 0x00, 0x04, "text", // content type
			"{}", // payload
		),
		want: &Publish{Fixed: fixed(0x32, 54), QoS: 1, Topic: "t/1", PacketID: 7,
			Properties: props(44,
				Property{ID: PropPayloadFormat, Int: 1},
				Property{ID: PropMessageExpiry, Int: 60},
				Property{ID: PropTopicAlias, Int: 5},
				Property{ID: PropResponseTopic, Str: "r/1"},
				Property{ID: PropCorrelationData, Bin: []byte{0xBE, 0xEF}},
				Property{ID: PropUserProperty, Str: "id", Value: "7"},
				Property{ID: PropSubscriptionID, Int: 128},
				Property{ID: PropSubscriptionID, Int: MaxRemaining},
				Property{ID: PropContentType, Str: "text"}),
			Payload: []byte("{}")},
	},
	{
		name: "publish/v5/topic-alias-only", version: V5, desc: "empty topic with a topic alias (MQTT 5.0 §3.3.2.3.4)",
		raw: wire(
			0x30, 0x07, // PUBLISH QoS 0, remaining length 7
			0x00, 0x00, // topic ""
			0x03,             // property length 3
			0x23, 0x00, 0x01, // topic alias 1
			"x", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 7), Properties: props(3, Property{ID: PropTopicAlias, Int: 1}), Payload: []byte("x")},
	},

	// PUBACK, PUBREC, PUBREL, PUBCOMP
	{
		name: "puback/v31/capture", version: V31, desc: "v31-qos1.pcap frame 9",
		raw:  wire(0x40, 0x02, 0x00, 0x01), // PUBACK, remaining length 2, packet identifier 1
		want: &Puback{Ack{Fixed: fixed(0x40, 2), PacketID: 1}},
	},
	{
		name: "pubrec/v31", version: V31, desc: "QoS 2 part 1",
		raw:  wire(0x50, 0x02, 0x12, 0x34), // PUBREC, remaining length 2, packet identifier 0x1234
		want: &Pubrec{Ack{Fixed: fixed(0x50, 2), PacketID: 0x1234}},
	},
	{
		name: "pubrel/v31", version: V31, desc: "QoS 2 part 2; flags 0010 as in 3.1.1",
		raw:  wire(0x62, 0x02, 0x12, 0x34), // PUBREL, remaining length 2, packet identifier 0x1234
		want: &Pubrel{Ack{Fixed: fixed(0x62, 2), PacketID: 0x1234}},
	},
	{
		name: "pubcomp/v31", version: V31, desc: "QoS 2 part 3",
		raw:  wire(0x70, 0x02, 0xFF, 0xFF), // PUBCOMP, remaining length 2, packet identifier 65535
		want: &Pubcomp{Ack{Fixed: fixed(0x70, 2), PacketID: 0xFFFF}},
	},
	{
		name: "puback/v311/capture", version: V311, desc: "v311-sub-ping.pcapng frame 21",
		raw:  wire(0x40, 0x02, 0x00, 0x01), // PUBACK, remaining length 2, packet identifier 1
		want: &Puback{Ack{Fixed: fixed(0x40, 2), PacketID: 1}},
	},
	{
		name: "pubrec/v311/capture", version: V311, desc: "v311-qos2-retain.pcapng frame 9",
		raw:  wire(0x50, 0x02, 0x00, 0x01), // PUBREC, remaining length 2, packet identifier 1
		want: &Pubrec{Ack{Fixed: fixed(0x50, 2), PacketID: 1}},
	},
	{
		name: "pubrel/v311/capture", version: V311, desc: "v311-qos2-retain.pcapng frame 10",
		raw:  wire(0x62, 0x02, 0x00, 0x01), // PUBREL, remaining length 2, packet identifier 1
		want: &Pubrel{Ack{Fixed: fixed(0x62, 2), PacketID: 1}},
	},
	{
		name: "pubcomp/v311/capture", version: V311, desc: "v311-qos2-retain.pcapng frame 11",
		raw:  wire(0x70, 0x02, 0x00, 0x01), // PUBCOMP, remaining length 2, packet identifier 1
		want: &Pubcomp{Ack{Fixed: fixed(0x70, 2), PacketID: 1}},
	},
	{
		name: "puback/v5/no-subscribers-capture", version: V5, desc: "reason code without properties: v5-qos1-properties.pcapng frame 9",
		raw: wire(
			0x40, 0x03, // PUBACK, remaining length 3
			0x00, 0x01, // packet identifier 1
			0x10, // reason code: no matching subscribers
		),
		want: &Puback{Ack{Fixed: fixed(0x40, 3), PacketID: 1, ReasonCode: NoMatchingSubscribers}},
	},
	{
		name: "puback/v5/reason-and-properties", version: V5, desc: "MQTT 5.0 §3.4.2: reason string and user property",
		raw: wire(
			0x40, 0x14, // PUBACK, remaining length 20
			0x00, 0x02, // packet identifier 2
			0x87,                       // reason code: not authorized
			0x10,                       // property length 16
			0x1F, 0x00, 0x06, "denied", // reason string
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
		),
		want: &Puback{Ack{Fixed: fixed(0x40, 20), PacketID: 2, ReasonCode: CodeNotAuthorized, Properties: props(16,
			Property{ID: PropReasonString, Str: "denied"},
			Property{ID: PropUserProperty, Str: "k", Value: "v"})}},
	},
	{
		name: "pubrec/v5/capture", version: V5, desc: "short form, success: v5-sub-unsub.pcapng frame 21",
		raw:  wire(0x50, 0x02, 0x00, 0x01), // PUBREC, remaining length 2, packet identifier 1
		want: &Pubrec{Ack{Fixed: fixed(0x50, 2), PacketID: 1}},
	},
	{
		name: "pubrec/v5/empty-properties", version: V5, desc: "reason code and an empty property block are kept as sent",
		raw: wire(
			0x50, 0x04, // PUBREC, remaining length 4
			0x00, 0x03, // packet identifier 3
			0x97, // reason code: quota exceeded
			0x00, // property length 0
		),
		want: &Pubrec{Ack{Fixed: fixed(0x50, 4), PacketID: 3, ReasonCode: 0x97}},
	},
	{
		name: "pubrel/v5/capture", version: V5, desc: "v5-sub-unsub.pcapng frame 22",
		raw:  wire(0x62, 0x02, 0x00, 0x01), // PUBREL, remaining length 2, packet identifier 1
		want: &Pubrel{Ack{Fixed: fixed(0x62, 2), PacketID: 1}},
	},
	{
		name: "pubrel/v5/not-found", version: V5, desc: "reason code only",
		raw: wire(
			0x62, 0x03, // PUBREL, remaining length 3
			0x00, 0x04, // packet identifier 4
			0x92, // reason code: packet identifier not found
		),
		want: &Pubrel{Ack{Fixed: fixed(0x62, 3), PacketID: 4, ReasonCode: CodePacketIDNotFound}},
	},
	{
		name: "pubcomp/v5/capture", version: V5, desc: "v5-sub-unsub.pcapng frame 25",
		raw:  wire(0x70, 0x02, 0x00, 0x01), // PUBCOMP, remaining length 2, packet identifier 1
		want: &Pubcomp{Ack{Fixed: fixed(0x70, 2), PacketID: 1}},
	},
	{
		name: "pubcomp/v5/reason-string", version: V5, desc: "success with a reason string",
		raw: wire(
			0x70, 0x09, // PUBCOMP, remaining length 9
			0x00, 0x05, // packet identifier 5
			0x00,                   // reason code: success
			0x05,                   // property length 5
			0x1F, 0x00, 0x02, "ok", // reason string
		),
		want: &Pubcomp{Ack{Fixed: fixed(0x70, 9), PacketID: 5, Properties: props(5, Property{ID: PropReasonString, Str: "ok"})}},
	},

	// SUBSCRIBE
	{
		name: "subscribe/v31", version: V31, desc: "one filter, QoS 1",
		raw: wire(
			0x82, 0x08, // SUBSCRIBE, remaining length 8
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", 0x01, // filter a/b, QoS 1
		),
		want: &Subscribe{Fixed: fixed(0x82, 8), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 1}}},
	},
	{
		name: "subscribe/v311/capture", version: V311, desc: "wildcard filters: v311-sub-ping.pcapng frame 8",
		raw: wire(
			0x82, 0x25, // SUBSCRIBE, remaining length 37
			0x00, 0x01, // packet identifier 1
			0x00, 0x15, "sensors/+/temperature", 0x01, // filter, QoS 1
			0x00, 0x08, "alerts/#", 0x01, // filter, QoS 1
		),
		want: &Subscribe{Fixed: fixed(0x82, 37), PacketID: 1, Subscriptions: []Subscription{
			{Filter: "sensors/+/temperature", Options: 1}, {Filter: "alerts/#", Options: 1}}},
	},
	{
		name: "subscribe/v311/spec", version: V311, desc: "MQTT 3.1.1 Figure 3.22: a/b QoS 1, c/d QoS 2, packet identifier 10",
		raw: wire(
			0x82, 0x0E, // SUBSCRIBE, remaining length 14
			0x00, 0x0A, // packet identifier 10
			0x00, 0x03, "a/b", 0x01, // filter a/b, QoS 1
			0x00, 0x03, "c/d", 0x02, // filter c/d, QoS 2
		),
		want: &Subscribe{Fixed: fixed(0x82, 14), PacketID: 10, Subscriptions: []Subscription{
			{Filter: "a/b", Options: 1}, {Filter: "c/d", Options: 2}}},
	},
	{
		name: "subscribe/v5/capture", version: V5, desc: "v5-request-response.pcapng frame 8",
		raw: wire(
			0x82, 0x0C, // SUBSCRIBE, remaining length 12
			0x00, 0x01, // packet identifier 1
			0x00,                       // property length 0
			0x00, 0x06, "rr/req", 0x00, // filter, options: QoS 0
		),
		want: &Subscribe{Fixed: fixed(0x82, 12), PacketID: 1, Subscriptions: []Subscription{{Filter: "rr/req"}}},
	},
	{
		name: "subscribe/v5/subscription-id-capture", version: V5, desc: "subscription identifier and user property: v5-sub-unsub.pcapng frame 8",
		raw: wire(
			0x82, 0x1D, // SUBSCRIBE, remaining length 29
			0x00, 0x01, // packet identifier 1
			0x09,       // property length 9
			0x0B, 0x07, // subscription identifier 7
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
			0x00, 0x04, "rr/#", 0x02, // filter, options: QoS 2
			0x00, 0x07, "other/+", 0x02, // filter, options: QoS 2
		),
		want: &Subscribe{Fixed: fixed(0x82, 29), PacketID: 1,
			Properties:    props(9, Property{ID: PropSubscriptionID, Int: 7}, Property{ID: PropUserProperty, Str: "k", Value: "v"}),
			Subscriptions: []Subscription{{Filter: "rr/#", Options: 2}, {Filter: "other/+", Options: 2}}},
	},
	{
		name: "subscribe/v5/options", version: V5, desc: "subscription options (MQTT 5.0 §3.8.3.1) and a shared subscription",
		raw: wire(
			0x82, 0x1C, // SUBSCRIBE, remaining length 28
			0x00, 0x02, // packet identifier 2
			0x00,                    // property length 0
			0x00, 0x03, "a/+", 0x2E, // options: retain handling 2, retain as published, no local, QoS 2
			0x00, 0x03, "b/#", 0x15, // options: retain handling 1, no local, QoS 1
			0x00, 0x0A, "$share/g/c", 0x08, // options: retain as published, QoS 0
		),
		want: &Subscribe{Fixed: fixed(0x82, 28), PacketID: 2, Subscriptions: []Subscription{
			{Filter: "a/+", Options: 0x2E}, {Filter: "b/#", Options: 0x15}, {Filter: "$share/g/c", Options: 0x08}}},
	},

	// SUBACK
	{
		name: "suback/v31", version: V31, desc: "granted QoS 1",
		raw:  wire(0x90, 0x03, 0x00, 0x01, 0x01), // SUBACK, remaining length 3, packet identifier 1, granted QoS 1
		want: &Suback{Fixed: fixed(0x90, 3), PacketID: 1, ReasonCodes: []ReasonCode{1}},
	},
	{
		name: "suback/v311/capture", version: V311, desc: "v311-sub-ping.pcapng frame 9",
		raw: wire(
			0x90, 0x04, // SUBACK, remaining length 4
			0x00, 0x01, // packet identifier 1
			0x01, 0x01, // granted QoS 1, granted QoS 1
		),
		want: &Suback{Fixed: fixed(0x90, 4), PacketID: 1, ReasonCodes: []ReasonCode{1, 1}},
	},
	{
		name: "suback/v311/spec", version: V311, desc: "MQTT 3.1.1 Figure 3.26: QoS 0, QoS 2, failure",
		raw: wire(
			0x90, 0x05, // SUBACK, remaining length 5
			0x00, 0x0A, // packet identifier 10
			0x00, 0x02, 0x80, // granted QoS 0, granted QoS 2, failure
		),
		want: &Suback{Fixed: fixed(0x90, 5), PacketID: 10, ReasonCodes: []ReasonCode{0, 2, 0x80}},
	},
	{
		name: "suback/v5/capture", version: V5, desc: "v5-request-response.pcapng frame 9",
		raw: wire(
			0x90, 0x04, // SUBACK, remaining length 4
			0x00, 0x01, // packet identifier 1
			0x00, // property length 0
			0x00, // granted QoS 0
		),
		want: &Suback{Fixed: fixed(0x90, 4), PacketID: 1, ReasonCodes: []ReasonCode{0}},
	},
	{
		name: "suback/v5/capture-two", version: V5, desc: "v5-sub-unsub.pcapng frame 9",
		raw: wire(
			0x90, 0x05, // SUBACK, remaining length 5
			0x00, 0x01, // packet identifier 1
			0x00,       // property length 0
			0x02, 0x02, // granted QoS 2, granted QoS 2
		),
		want: &Suback{Fixed: fixed(0x90, 5), PacketID: 1, ReasonCodes: []ReasonCode{2, 2}},
	},
	{
		name: "suback/v5/reason-codes", version: V5, desc: "every SUBACK reason code (MQTT 5.0 §3.9.3) with reason string and user property",
		raw: wire(
			0x90, 0x1D, // SUBACK, remaining length 29
			0x00, 0x03, // packet identifier 3
			0x0E,                     // property length 14
			0x1F, 0x00, 0x04, "nope", // reason string
			0x26, 0x00, 0x01, "a", 0x00, 0x01, "b", // user property a=b
			0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2, // reason codes
		),
		want: &Suback{Fixed: fixed(0x90, 29), PacketID: 3,
			Properties:  props(14, Property{ID: PropReasonString, Str: "nope"}, Property{ID: PropUserProperty, Str: "a", Value: "b"}),
			ReasonCodes: []ReasonCode{0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2}},
	},

	// UNSUBSCRIBE
	{
		name: "unsubscribe/v31", version: V31, desc: "one filter",
		raw: wire(
			0xA2, 0x07, // UNSUBSCRIBE, remaining length 7
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 7), PacketID: 1, Filters: []string{"a/b"}},
	},
	{
		name: "unsubscribe/v311/spec", version: V311, desc: "MQTT 3.1.1 Figure 3.30: a/b and c/d",
		raw: wire(
			0xA2, 0x0C, // UNSUBSCRIBE, remaining length 12
			0x00, 0x0A, // packet identifier 10
			0x00, 0x03, "a/b", // filter
			0x00, 0x03, "c/d", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 12), PacketID: 10, Filters: []string{"a/b", "c/d"}},
	},
	{
		name: "unsubscribe/v5/capture", version: V5, desc: "v5-sub-unsub.pcapng frame 10",
		raw: wire(
			0xA2, 0x0E, // UNSUBSCRIBE, remaining length 14
			0x00, 0x02, // packet identifier 2
			0x00,                    // property length 0
			0x00, 0x09, "old/topic", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 14), PacketID: 2, Filters: []string{"old/topic"}},
	},
	{
		name: "unsubscribe/v5/user-property", version: V5, desc: "user property, wildcard filters",
		raw: wire(
			0xA2, 0x12, // UNSUBSCRIBE, remaining length 18
			0x00, 0x03, // packet identifier 3
			0x07,                                   // property length 7
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
			0x00, 0x03, "a/+", // filter
			0x00, 0x01, "#", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 18), PacketID: 3,
			Properties: props(7, Property{ID: PropUserProperty, Str: "k", Value: "v"}), Filters: []string{"a/+", "#"}},
	},

	// UNSUBACK
	{
		name: "unsuback/v31", version: V31, desc: "packet identifier only",
		raw:  wire(0xB0, 0x02, 0x00, 0x01), // UNSUBACK, remaining length 2, packet identifier 1
		want: &Unsuback{Fixed: fixed(0xB0, 2), PacketID: 1},
	},
	{
		name: "unsuback/v311", version: V311, desc: "packet identifier only (MQTT 3.1.1 §3.11)",
		raw:  wire(0xB0, 0x02, 0x00, 0x0A), // UNSUBACK, remaining length 2, packet identifier 10
		want: &Unsuback{Fixed: fixed(0xB0, 2), PacketID: 10},
	},
	{
		name: "unsuback/v5/capture", version: V5, desc: "v5-sub-unsub.pcapng frame 11",
		raw: wire(
			0xB0, 0x04, // UNSUBACK, remaining length 4
			0x00, 0x02, // packet identifier 2
			0x00, // property length 0
			0x11, // reason code: no subscription existed
		),
		want: &Unsuback{Fixed: fixed(0xB0, 4), PacketID: 2, ReasonCodes: []ReasonCode{0x11}},
	},
	{
		name: "unsuback/v5/reason-codes", version: V5, desc: "every UNSUBACK reason code (MQTT 5.0 §3.11.3) with a reason string",
		raw: wire(
			0xB0, 0x10, // UNSUBACK, remaining length 16
			0x00, 0x03, // packet identifier 3
			0x06,                    // property length 6
			0x1F, 0x00, 0x03, "bye", // reason string
			0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91, // reason codes
		),
		want: &Unsuback{Fixed: fixed(0xB0, 16), PacketID: 3, Properties: props(6, Property{ID: PropReasonString, Str: "bye"}),
			ReasonCodes: []ReasonCode{0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91}},
	},

	// PINGREQ, PINGRESP
	{name: "pingreq/v31", version: V31, desc: "no variable header", raw: wire(0xC0, 0x00), want: &Pingreq{Fixed: fixed(0xC0, 0)}},
	{name: "pingreq/v311/capture", version: V311, desc: "v311-sub-ping.pcapng frame 41", raw: wire(0xC0, 0x00), want: &Pingreq{Fixed: fixed(0xC0, 0)}},
	{name: "pingreq/v5", version: V5, desc: "no variable header", raw: wire(0xC0, 0x00), want: &Pingreq{Fixed: fixed(0xC0, 0)}},
	{name: "pingresp/v31", version: V31, desc: "no variable header", raw: wire(0xD0, 0x00), want: &Pingresp{Fixed: fixed(0xD0, 0)}},
	{name: "pingresp/v311/capture", version: V311, desc: "v311-sub-ping.pcapng frame 42", raw: wire(0xD0, 0x00), want: &Pingresp{Fixed: fixed(0xD0, 0)}},
	{name: "pingresp/v5", version: V5, desc: "no variable header", raw: wire(0xD0, 0x00), want: &Pingresp{Fixed: fixed(0xD0, 0)}},

	// DISCONNECT
	{name: "disconnect/v31/capture", version: V31, desc: "v31-qos1.pcap frame 10", raw: wire(0xE0, 0x00), want: &Disconnect{Fixed: fixed(0xE0, 0)}},
	{name: "disconnect/v311/capture", version: V311, desc: "seed-v311-qos0.pcapng frame 9", raw: wire(0xE0, 0x00), want: &Disconnect{Fixed: fixed(0xE0, 0)}},
	{name: "disconnect/v5/capture", version: V5, desc: "normal disconnection, no reason code: v5-qos1-properties.pcapng frame 10", raw: wire(0xE0, 0x00), want: &Disconnect{Fixed: fixed(0xE0, 0)}},
	{
		name: "disconnect/v5/will-capture", version: V5, desc: "mosquitto_pub --will...: v5-request-response.pcapng frame 28",
		raw: wire(
			0xE0, 0x01, // DISCONNECT, remaining length 1
			0x04, // reason code: disconnect with will message
		),
		want: &Disconnect{Fixed: fixed(0xE0, 1), ReasonCode: CodeDisconnectWithWillMessage},
	},
	{
		name: "disconnect/v5/empty-properties", version: V5, desc: "reason code and an empty property block are kept as sent",
		raw: wire(
			0xE0, 0x02, // DISCONNECT, remaining length 2
			0x00, // reason code: normal disconnection
			0x00, // property length 0
		),
		want: &Disconnect{Fixed: fixed(0xE0, 2)},
	},
	{
		name: "disconnect/v5/all-properties", version: V5, desc: "every property DISCONNECT may carry (MQTT 5.0 §3.14.2.2)",
		raw: wire(
			0xE0, 0x1D, // DISCONNECT, remaining length 29
			0x9C,                         // reason code: use another server
			0x1B,                         // property length 27
			0x11, 0x00, 0x00, 0x00, 0x00, // session expiry interval 0
			0x1F, 0x00, 0x05, "later", // reason string
			0x26, 0x00, 0x01, "k", 0x00, 0x01, "v", // user property k=v
			0x1C, 0x00, 0x04, "srv2", // server reference
		),
		want: &Disconnect{Fixed: fixed(0xE0, 29), ReasonCode: 0x9C, Properties: props(27,
			Property{ID: PropSessionExpiry, Int: 0},
			Property{ID: PropReasonString, Str: "later"},
			Property{ID: PropUserProperty, Str: "k", Value: "v"},
			Property{ID: PropServerReference, Str: "srv2"})},
	},

	// AUTH (MQTT 5.0 only)
	{
		name: "auth/v5/success-short", version: V5, desc: "reason code and properties left out (MQTT 5.0 §3.15.2.1)",
		raw:  wire(0xF0, 0x00), // AUTH, remaining length 0
		want: &Auth{Fixed: fixed(0xF0, 0)},
	},
	{
		name: "auth/v5/success-code", version: V5, desc: "success written out",
		raw:  wire(0xF0, 0x01, 0x00), // AUTH, remaining length 1, reason code: success
		want: &Auth{Fixed: fixed(0xF0, 1)},
	},
	{
		name: "auth/v5/continue", version: V5, desc: "SCRAM step: every property AUTH may carry (MQTT 5.0 §3.15.2.2)",
		raw: wire(
			0xF0, 0x20, // AUTH, remaining length 32
			0x18,                            // reason code: continue authentication
			0x1E,                            // property length 30
			0x15, 0x00, 0x0B, "SCRAM-SHA-1", // authentication method
			0x16, 0x00, 0x06, "r=abc1", // authentication data
			0x1F, 0x00, 0x04, "more", // reason string
		),
		want: &Auth{Fixed: fixed(0xF0, 32), ReasonCode: 0x18, Properties: props(30,
			Property{ID: PropAuthMethod, Str: "SCRAM-SHA-1"},
			Property{ID: PropAuthData, Bin: []byte("r=abc1")},
			Property{ID: PropReasonString, Str: "more"})},
	},
	{
		name: "auth/v5/reauthenticate", version: V5, desc: "client starts re-authentication",
		raw: wire(
			0xF0, 0x10, // AUTH, remaining length 16
			0x19,                            // reason code: re-authenticate
			0x0E,                            // property length 14
			0x15, 0x00, 0x0B, "SCRAM-SHA-1", // authentication method
		),
		want: &Auth{Fixed: fixed(0xF0, 16), ReasonCode: 0x19, Properties: props(14, Property{ID: PropAuthMethod, Str: "SCRAM-SHA-1"})},
	},
}
