package mqttwire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestEncodeTable encodes the decoded value of every valid fixture: the
// bytes must be the fixture's, wire facts and all.
func TestEncodeTable(t *testing.T) {
	for _, tp := range tpackets {
		if !tp.valid() {
			continue
		}
		t.Run(tp.name, func(t *testing.T) {
			got, err := Encode(tp.want, tp.version)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tp.raw) {
				t.Errorf("Encode =\n%x\nwant\n%x", got, tp.raw)
			}
			// Append adds to what dst holds.
			prefix := []byte{0xAA, 0xBB}
			got, err = tp.want.Append(prefix, tp.version)
			if err != nil || !bytes.Equal(got[:2], prefix) || !bytes.Equal(got[2:], tp.raw) {
				t.Errorf("Append after a prefix = %x, %v", got, err)
			}
		})
	}
}

// TestEncodeBuilt encodes packets built in code, with no decoded wire facts:
// the encoder picks the version's protocol name and level and the shortest
// MQTT 5.0 tails.
func TestEncodeBuilt(t *testing.T) {
	tests := []struct {
		name string
		p    Packet
		v    Version
		want []byte
	}{
		{"connect/v31 defaults", &Connect{CleanSession: true, KeepAlive: 60, ClientID: "c"}, V31,
			wire(0x10, 0x0F, 0x00, 0x06, "MQIsdp", 0x03, 0x02, 0x00, 0x3C, 0x00, 0x01, "c")},
		{"connect/v311 defaults", &Connect{KeepAlive: 60, ClientID: "c"}, V311,
			wire(0x10, 0x0D, 0x00, 0x04, "MQTT", 0x04, 0x00, 0x00, 0x3C, 0x00, 0x01, "c")},
		{"connect/v5 defaults", &Connect{CleanSession: true}, V5,
			wire(0x10, 0x0D, 0x00, 0x04, "MQTT", 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00)},
		// The level a CONNECT names shapes its layout, as when decoding.
		{"connect/level 5 encoded as 3.1.1", &Connect{ProtocolLevel: 5, CleanSession: true}, V311,
			wire(0x10, 0x0D, 0x00, 0x04, "MQTT", 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00)},
		{"connect/level 4 encoded as 5.0", &Connect{ProtocolLevel: 4, CleanSession: true}, V5,
			wire(0x10, 0x0C, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x00, 0x00, 0x00)},
		// The will QoS and retain only count with the will flag.
		{"connect/will fields without the flag", &Connect{WillQoS: 2, WillRetain: true, WillTopic: "w"}, V311,
			wire(0x10, 0x0C, 0x00, 0x04, "MQTT", 0x04, 0x00, 0x00, 0x00, 0x00, 0x00)},
		{"puback/v5 success is short", &Puback{Ack{PacketID: 1}}, V5, wire(0x40, 0x02, 0x00, 0x01)},
		{"puback/v5 code only", &Puback{Ack{PacketID: 1, ReasonCode: 0x10}}, V5, wire(0x40, 0x03, 0x00, 0x01, 0x10)},
		{"puback/v5 properties need the code", &Puback{Ack{PacketID: 1, Properties: Properties{List: []Property{{ID: PropReasonString, Str: "r"}}}}}, V5,
			wire(0x40, 0x08, 0x00, 0x01, 0x00, 0x04, 0x1F, 0x00, 0x01, "r")},
		{"puback/v311 drops 5.0 fields", &Puback{Ack{PacketID: 1, ReasonCode: 0x10}}, V311, wire(0x40, 0x02, 0x00, 0x01)},
		{"pubrel/v311 flags", &Pubrel{Ack{PacketID: 7}}, V311, wire(0x62, 0x02, 0x00, 0x07)},
		{"disconnect/v5 normal is empty", &Disconnect{}, V5, wire(0xE0, 0x00)},
		{"disconnect/v311 drops the code", &Disconnect{ReasonCode: 0x04}, V311, wire(0xE0, 0x00)},
		{"auth/v5 code", &Auth{ReasonCode: 0x18}, V5, wire(0xF0, 0x01, 0x18)},
		{"unsuback/v311 drops codes", &Unsuback{PacketID: 1, ReasonCodes: []ReasonCode{0x11}}, V311, wire(0xB0, 0x02, 0x00, 0x01)},
		{"publish/v311 drops properties", &Publish{Topic: "t", Properties: Properties{List: []Property{{ID: PropContentType, Str: "x"}}}}, V311,
			wire(0x30, 0x03, 0x00, 0x01, "t")},
		{"publish/v5 recomputes lengths", &Publish{Topic: "t", Properties: Properties{Length: 99, List: []Property{{ID: PropPayloadFormat, Int: 1}}}}, V5,
			wire(0x30, 0x06, 0x00, 0x01, "t", 0x02, 0x01, 0x01)},
		{"publish/qos0 has no packet identifier", &Publish{Topic: "t", PacketID: 9}, V311, wire(0x30, 0x03, 0x00, 0x01, "t")},
		{"subscribe/v311 flags", &Subscribe{PacketID: 1, Subscriptions: []Subscription{{Filter: "#", Options: SubOptions(2, false, false, 0)}}}, V311,
			wire(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, "#", 0x02)},
		{"pingreq", &Pingreq{}, V5, wire(0xC0, 0x00)},
		{"pingresp", &Pingresp{}, V31, wire(0xD0, 0x00)},
	}
	for _, tt := range tests {
		got, err := Encode(tt.p, tt.v)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%s: Encode = %x, %v; want %x", tt.name, got, err, tt.want)
		}
	}
}

// TestEncodeErrors: values the wire cannot carry are refused, not cut short.
func TestEncodeErrors(t *testing.T) {
	long := strings.Repeat("a", 0x10000)
	tests := []struct {
		name string
		p    Packet
		v    Version
		msg  string
	}{
		{"protocol name", &Connect{ProtocolName: long}, V311, "encode CONNECT: protocol name is 65536 bytes, more than 65535"},
		{"client id", &Connect{ClientID: long}, V311, "encode CONNECT: client id is 65536 bytes, more than 65535"},
		{"will topic", &Connect{WillFlag: true, WillTopic: long}, V311, "encode CONNECT: will topic is 65536 bytes, more than 65535"},
		{"will payload", &Connect{WillFlag: true, WillPayload: []byte(long)}, V311, "encode CONNECT: will payload is 65536 bytes, more than 65535"},
		{"user name", &Connect{UsernameFlag: true, Username: long}, V311, "encode CONNECT: user name is 65536 bytes, more than 65535"},
		{"password", &Connect{PasswordFlag: true, Password: []byte(long)}, V311, "encode CONNECT: password is 65536 bytes, more than 65535"},
		{"topic", &Publish{Topic: long}, V311, "encode PUBLISH: topic is 65536 bytes, more than 65535"},
		{"filter", &Subscribe{PacketID: 1, Subscriptions: []Subscription{{Filter: long}}}, V311, "encode SUBSCRIBE: topic filter is 65536 bytes, more than 65535"},
		{"unsubscribe filter", &Unsubscribe{PacketID: 1, Filters: []string{long}}, V311, "encode UNSUBSCRIBE: topic filter is 65536 bytes, more than 65535"},
		// Too long for a packet without allocating one: the same long
		// string many times over.
		{"publish too long", &Publish{Topic: "t", Properties: Properties{List: repeatProp(4097, Property{ID: PropUserProperty, Str: long[1:]})}}, V5,
			"encode PUBLISH: remaining length 268517387 exceeds 268435455"},
		{"subscribe too long", &Subscribe{PacketID: 1, Subscriptions: repeatSub(4097, Subscription{Filter: long[1:]})}, V311,
			"encode SUBSCRIBE: remaining length 268509188 exceeds 268435455"},
		{"unknown property", &Publish{Topic: "t", Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5, "invalid PUBLISH: cannot encode unknown property identifier 0x7F at offset -1"},
		{"property varint", &Publish{Topic: "t", Properties: Properties{List: []Property{{ID: PropSubscriptionID, Int: MaxRemaining + 1}}}}, V5,
			"encode PUBLISH: property Subscription Identifier value 268435456 exceeds 268435455"},
		{"property string", &Connack{Properties: Properties{List: []Property{{ID: PropReasonString, Str: long}}}}, V5,
			"encode CONNACK: property Reason String is longer than 65535 bytes"},
		{"user property value", &Disconnect{Properties: Properties{List: []Property{{ID: PropUserProperty, Str: "k", Value: long}}}}, V5,
			"encode DISCONNECT: property User Property is longer than 65535 bytes"},
		{"property binary", &Auth{Properties: Properties{List: []Property{{ID: PropAuthData, Bin: []byte(long)}}}}, V5,
			"encode AUTH: property Authentication Data is longer than 65535 bytes"},
		{"will property", &Connect{WillFlag: true, WillProperties: Properties{List: []Property{{ID: 0x7F}}}}, V5,
			"invalid CONNECT: cannot encode unknown property identifier 0x7F at offset -1"},
		{"connect property", &Connect{Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5,
			"invalid CONNECT: cannot encode unknown property identifier 0x7F at offset -1"},
		{"subscribe property", &Subscribe{Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5,
			"invalid SUBSCRIBE: cannot encode unknown property identifier 0x7F at offset -1"},
		{"unsubscribe property", &Unsubscribe{Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5,
			"invalid UNSUBSCRIBE: cannot encode unknown property identifier 0x7F at offset -1"},
		{"suback property", &Suback{Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5,
			"invalid SUBACK: cannot encode unknown property identifier 0x7F at offset -1"},
		{"ack property", &Pubrec{Ack{Properties: Properties{List: []Property{{ID: 0x7F}}}}}, V5,
			"invalid PUBREC: cannot encode unknown property identifier 0x7F at offset -1"},
	}
	for _, tt := range tests {
		_, err := Encode(tt.p, tt.v)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.msg)
		}
	}
	// The unknown identifier is a ProtocolError a caller can test for.
	_, err := Encode(&Publish{Topic: "t", Properties: Properties{List: []Property{{ID: 0x7F}}}}, V5)
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Field != FieldProperties || pe.Code != CodeProtocolError {
		t.Errorf("unknown property: err = %#v, want a *ProtocolError about properties", err)
	}
}

func repeatProp(n int, p Property) []Property {
	ps := make([]Property, n)
	for i := range ps {
		ps[i] = p
	}
	return ps
}

func repeatSub(n int, s Subscription) []Subscription {
	ss := make([]Subscription, n)
	for i := range ss {
		ss[i] = s
	}
	return ss
}

// TestEncodeRemainingLengthLimits checks the four-byte remaining length at
// both ends: 2097152 takes four bytes, MaxRemaining is the most there is.
func TestEncodeRemainingLengthLimits(t *testing.T) {
	for _, size := range []int{127, 128, 16383, 16384, 2097151, 2097152} {
		p := &Publish{Topic: "t", Payload: make([]byte, size-3)}
		b, err := Encode(p, V311)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ParseFixedHeader(b)
		if err != nil || h.Remaining != size || h.Size() != len(b) || h.LenBytes != fixed(0, size).LenBytes {
			t.Errorf("remaining %d: header %+v, %v, packet of %d bytes", size, h, err, len(b))
		}
		q, n, err := Decode(b, V311)
		if err != nil || n != len(b) || len(q.(*Publish).Payload) != size-3 {
			t.Errorf("remaining %d: decode n = %d, err = %v", size, n, err)
		}
	}
}
