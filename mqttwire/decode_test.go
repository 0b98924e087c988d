package mqttwire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeTable decodes every fixture and checks the packet, wire facts
// included, the byte count and the exact error.
func TestDecodeTable(t *testing.T) {
	for _, tp := range tpackets {
		t.Run(tp.name, func(t *testing.T) {
			p, n, err := Decode(tp.raw, tp.version)
			checkError(t, err, tp.err, tp.msg)
			if n != tp.size() {
				t.Errorf("n = %d, want %d", n, tp.size())
			}
			if d := packetDiff(p, tp.want, true); d != "" {
				t.Errorf("decoded packet differs: %s", d)
			}
			if p != nil && p.Header() != tp.want.Header() {
				t.Errorf("Header() = %+v, want %+v", p.Header(), tp.want.Header())
			}
		})
	}
}

// checkError compares err with the fixture's exact error value and text.
func checkError(t *testing.T, err, want error, msg string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("err = nil, want %v", want)
	}
	switch want := want.(type) {
	case *MalformedError:
		var got *MalformedError
		if !errors.As(err, &got) {
			t.Fatalf("err = %T %v, want *MalformedError", err, err)
		}
		if *got != *want {
			t.Errorf("err = %+v\n want %+v", *got, *want)
		}
		if errors.Is(err, ErrIncomplete) != want.Incomplete {
			t.Errorf("errors.Is(err, ErrIncomplete) = %v, want %v", !want.Incomplete, want.Incomplete)
		}
	case *ProtocolError:
		var got *ProtocolError
		if !errors.As(err, &got) {
			t.Fatalf("err = %T %v, want *ProtocolError", err, err)
		}
		if *got != *want {
			t.Errorf("err = %+v\n want %+v", *got, *want)
		}
		if errors.Is(err, ErrIncomplete) {
			t.Errorf("a ProtocolError is ErrIncomplete")
		}
	default:
		t.Fatalf("fixture error of type %T", want)
	}
	if err.Error() != msg {
		t.Errorf("err.Error() = %q, want %q", err.Error(), msg)
	}
}

// TestTableIsSound keeps the table honest: unique names, every packet type in
// every version where it exists, a message for every error.
func TestTableIsSound(t *testing.T) {
	seen := map[string]bool{}
	covered := map[PacketType]map[Version]bool{}
	for _, tp := range tpackets {
		if seen[tp.name] {
			t.Errorf("duplicate fixture name %q", tp.name)
		}
		seen[tp.name] = true
		if tp.desc == "" || !tp.version.Valid() {
			t.Errorf("%s: needs a description and a valid version", tp.name)
		}
		if (tp.err == nil) != (tp.msg == "") {
			t.Errorf("%s: err and msg go together", tp.name)
		}
		if tp.valid() {
			if tp.want == nil {
				t.Errorf("%s: valid fixture without a decoded value", tp.name)
				continue
			}
			if covered[tp.want.Type()] == nil {
				covered[tp.want.Type()] = map[Version]bool{}
			}
			covered[tp.want.Type()][tp.version] = true
		}
	}
	for typ := TypeConnect; typ <= TypeAuth; typ++ {
		for _, v := range []Version{V31, V311, V5} {
			if covered[typ][v] != typ.ExistsIn(v) {
				t.Errorf("valid %v fixture for MQTT %v: %v, want %v", typ, v, covered[typ][v], typ.ExistsIn(v))
			}
		}
	}
}

// TestDecodeIntoReuse decodes every valid fixture into a value that held
// every other fixture of its type first: nothing may be left over from the
// earlier packet.
func TestDecodeIntoReuse(t *testing.T) {
	for _, tp := range tpackets {
		if tp.want == nil {
			continue
		}
		for _, prev := range tpackets {
			if prev.want == nil || prev.want.Type() != tp.want.Type() || prev.name == tp.name {
				continue
			}
			p := New(tp.want.Type())
			if _, err := DecodeInto(p, prev.raw, prev.version); err != nil && prev.valid() {
				t.Fatalf("%s: %v", prev.name, err)
			}
			n, err := DecodeInto(p, tp.raw, tp.version)
			checkError(t, err, tp.err, tp.msg)
			if n != tp.size() {
				t.Errorf("%s after %s: n = %d, want %d", tp.name, prev.name, n, tp.size())
			}
			if d := packetDiff(p, tp.want, true); d != "" {
				t.Errorf("%s after %s: %s", tp.name, prev.name, d)
			}
		}
	}
}

func TestDecodeIntoWrongType(t *testing.T) {
	n, err := DecodeInto(new(Publish), tpacketNamed("puback/v311/capture").raw, V311)
	want := &MalformedError{Packet: TypePuback, Field: FieldFixedHeader, Length: -1, Reason: "packet is a PUBACK, not a PUBLISH"}
	checkError(t, err, want, "malformed PUBACK: packet is a PUBACK, not a PUBLISH at offset 0")
	if n != 0 {
		t.Errorf("n = %d, want 0", n)
	}
	_, err = DecodeInto(new(Publish), nil, V311)
	if !errors.Is(err, ErrIncomplete) {
		t.Errorf("DecodeInto(nil) = %v, want ErrIncomplete", err)
	}
}

// TestDecodeTruncated cuts every valid fixture at every length: the error
// must say the input is incomplete, never that the packet is malformed, and
// Decode must take what it was given.
func TestDecodeTruncated(t *testing.T) {
	for _, tp := range tpackets {
		if !tp.valid() {
			continue
		}
		step := 1
		if len(tp.raw) > 512 {
			step = 97 // the big payload: every length would only repeat itself
		}
		for cut := 0; cut < len(tp.raw); cut += step {
			p, n, err := Decode(tp.raw[:cut], tp.version)
			var me *MalformedError
			if !errors.Is(err, ErrIncomplete) || !errors.As(err, &me) || !me.Incomplete {
				t.Errorf("%s cut at %d: err = %v, want an incomplete *MalformedError", tp.name, cut, err)
				continue
			}
			if cut < 1+fixed(0, tp.want.Header().Remaining).LenBytes {
				if p != nil || n != 0 {
					t.Errorf("%s cut at %d inside the fixed header: got %T, n = %d", tp.name, cut, p, n)
				}
				continue
			}
			if n != cut {
				t.Errorf("%s cut at %d: n = %d", tp.name, cut, n)
			}
			if p == nil || p.Type() != tp.want.Type() || p.Header() != tp.want.Header() {
				t.Errorf("%s cut at %d: got %#v", tp.name, cut, p)
			}
			if me.Offset > cut || me.Offset < 0 {
				t.Errorf("%s cut at %d: offset %d outside the input", tp.name, cut, me.Offset)
			}
		}
	}
}

// wrappedPing is a Packet the codec has no case for in decodeStatic.
type wrappedPing struct{ *Pingreq }

// TestDecodeUnlistedPacketType: a packet type without its own case in
// decodeStatic still decodes, through the Packet interface.
func TestDecodeUnlistedPacketType(t *testing.T) {
	p := wrappedPing{new(Pingreq)}
	n, err := DecodeInto(p, wire(0xC0, 0x01, 0x00), V311)
	var pe *ProtocolError
	if n != 3 || !errors.As(err, &pe) || pe.Offset != 2 || p.Fixed != fixed(0xC0, 1) {
		t.Errorf("n = %d, err = %v, header %+v; want the left-over byte reported", n, err, p.Fixed)
	}
}

// TestDecodeIgnoresTrailingBytes: Decode takes one packet and reports its
// length, whatever follows it.
func TestDecodeIgnoresTrailingBytes(t *testing.T) {
	for _, tp := range tpackets {
		if !tp.valid() {
			continue
		}
		b := append(append([]byte(nil), tp.raw...), 0xE0, 0x00, 0xFF)
		p, n, err := Decode(b, tp.version)
		if err != nil || n != len(tp.raw) {
			t.Errorf("%s: n = %d, err = %v; want %d, nil", tp.name, n, err, len(tp.raw))
			continue
		}
		if d := packetDiff(p, tp.want, true); d != "" {
			t.Errorf("%s: %s", tp.name, d)
		}
	}
}

// TestDecodeVersionLayouts decodes the same bytes as different versions:
// the layout of most packets depends on it, that of CONNECT on its own level.
func TestDecodeVersionLayouts(t *testing.T) {
	// A 5.0 CONNECT decodes as 5.0 whatever the caller assumed.
	for _, v := range []Version{V31, V311, V5, 0, 9} {
		tp := tpacketNamed("connect/v5/capture")
		p, _, err := Decode(tp.raw, v)
		if err != nil {
			t.Fatalf("as %v: %v", v, err)
		}
		if d := packetDiff(p, tp.want, true); d != "" {
			t.Errorf("as %v: %s", v, d)
		}
	}
	// A 5.0 PUBACK with a reason code has a byte too many for 3.1.1.
	_, _, err := Decode(tpacketNamed("puback/v5/no-subscribers-capture").raw, V311)
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Field != FieldRemainingLength || pe.Offset != 4 {
		t.Errorf("5.0 PUBACK as 3.1.1: err = %v, want left-over bytes at offset 4", err)
	}
	// A 3.1.1 PUBLISH read as 5.0 takes its payload's first byte for a
	// property length.
	p, _, err := Decode(tpacketNamed("publish/v311/qos1-capture").raw, V5)
	var me *MalformedError
	if !errors.As(err, &me) || me.Field != FieldProperties {
		t.Errorf("3.1.1 PUBLISH as 5.0: err = %v, want a properties error", err)
	}
	if pub, ok := p.(*Publish); !ok || pub.Topic != "dev/17/t" || pub.PacketID != 1 {
		t.Errorf("3.1.1 PUBLISH as 5.0: got %#v, want the topic and packet id decoded", p)
	}
	// A 3.1 CONNACK's first byte is unused; 3.1.1 reserves its bits.
	raw := wire(0x20, 0x02, 0xFF, 0x00)
	if _, _, err := Decode(raw, V31); err != nil {
		t.Errorf("3.1 CONNACK with byte 0xFF: %v", err)
	}
	if _, _, err := Decode(raw, V311); !errors.As(err, &pe) || pe.Field != FieldAckFlags {
		t.Errorf("3.1.1 CONNACK with flags 0xFF: err = %v, want an acknowledge flags error", err)
	}
}

// TestProtocolErrorDecodesToTheEnd: after a rule violation decoding goes on,
// and the first violation is the one reported.
func TestProtocolErrorDecodesToTheEnd(t *testing.T) {
	raw := wire(
		0x3E, 0x09, // PUBLISH DUP, QoS 3, remaining length 9 (QoS 3 first)
		0x00, 0x03, "a/#", // topic with a wildcard (second)
		0x00, 0x00, // packet identifier 0 (third)
		"xy", // payload
	)
	p, n, err := Decode(raw, V311)
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Reason != "QoS 3" {
		t.Fatalf("err = %v, want the QoS 3 violation", err)
	}
	pub := p.(*Publish)
	if n != len(raw) || pub.Topic != "a/#" || string(pub.Payload) != "xy" || !pub.Dup {
		t.Errorf("got %+v, n = %d: want the whole packet decoded", pub, n)
	}
}

// TestStructuralErrorWinsOverViolation: a packet that breaks a rule and then
// its structure reports the structure.
func TestStructuralErrorWinsOverViolation(t *testing.T) {
	raw := wire(
		0x36, 0x07, // PUBLISH QoS 3, remaining length 7
		0x00, 0x09, "a/b", "xx", // topic length 9 overruns
	)
	_, _, err := Decode(raw, V311)
	var me *MalformedError
	if !errors.As(err, &me) || me.Field != FieldTopic || me.Length != 9 {
		t.Errorf("err = %v, want the topic overrun", err)
	}
}

// TestDecodedStringsAliasInput documents the aliasing the package comment
// promises: decoded strings and payloads share the input's memory.
func TestDecodedStringsAliasInput(t *testing.T) {
	raw := append([]byte(nil), tpacketNamed("publish/v311/qos1-capture").raw...)
	p, _, err := Decode(raw, V311)
	if err != nil {
		t.Fatal(err)
	}
	pub := p.(*Publish)
	copy(raw[4:], "DEV")
	raw[len(raw)-1] = '9'
	if pub.Topic != "DEV/17/t" || string(pub.Payload) != "21.9" {
		t.Errorf("topic %q, payload %q: decoded values do not alias the input", pub.Topic, pub.Payload)
	}
	// A payload slice has no room to grow into the next packet's bytes.
	if cap(pub.Payload) != len(pub.Payload) {
		t.Errorf("payload cap %d > len %d", cap(pub.Payload), len(pub.Payload))
	}
}

func TestNew(t *testing.T) {
	for typ := PacketType(0); typ < 16; typ++ {
		p := New(typ)
		if typ == TypeReserved {
			if p != nil {
				t.Errorf("New(0) = %T, want nil", p)
			}
			continue
		}
		if p == nil || p.Type() != typ {
			t.Errorf("New(%v) = %#v", typ, p)
		}
		if p.Header() != (FixedHeader{}) {
			t.Errorf("New(%v).Header() = %+v, want zero", typ, p.Header())
		}
		if name := reflect.TypeOf(p).Elem().Name(); !strings.EqualFold(name, typ.String()) {
			t.Errorf("New(%v) is a %s", typ, name)
		}
	}
	if New(16) != nil || New(200) != nil {
		t.Errorf("New of a type beyond 15 is not nil")
	}
}
