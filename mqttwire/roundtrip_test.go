package mqttwire

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRoundTripFixtures: for every valid fixture, Encode(Decode(b)) == b and
// Decode(Encode(p)) == p.
func TestRoundTripFixtures(t *testing.T) {
	for _, tp := range tpackets {
		if !tp.valid() {
			continue
		}
		p, _, err := Decode(tp.raw, tp.version)
		if err != nil {
			t.Fatalf("%s: %v", tp.name, err)
		}
		b, err := Encode(p, tp.version)
		if err != nil || !bytes.Equal(b, tp.raw) {
			t.Errorf("%s: Encode(Decode(b)) = %x, %v\nwant %x", tp.name, b, err, tp.raw)
		}
		q, _, err := Decode(b, tp.version)
		if err != nil {
			t.Errorf("%s: Decode(Encode(p)): %v", tp.name, err)
		}
		if d := packetDiff(q, p, false); d != "" {
			t.Errorf("%s: Decode(Encode(p)) differs: %s", tp.name, d)
		}
	}
}

// TestRoundTripRandom builds random valid packets of every type in every
// version and checks Decode(Encode(p)) == p (wire facts aside) and that the
// decoded packet encodes to the same bytes again.
func TestRoundTripRandom(t *testing.T) {
	const iterations = 300
	for typ := TypeConnect; typ <= TypeAuth; typ++ {
		for _, v := range []Version{V31, V311, V5} {
			if !typ.ExistsIn(v) {
				continue
			}
			r := rand.New(rand.NewPCG(uint64(typ), uint64(v))) // fixed seeds: failures reproduce
			for i := range iterations {
				p := randomPacket(r, typ, v)
				b, err := Encode(p, v)
				if err != nil {
					t.Fatalf("%v %v #%d: Encode(%#v): %v", typ, v, i, p, err)
				}
				q, n, err := Decode(b, v)
				if err != nil || n != len(b) {
					t.Fatalf("%v %v #%d: Decode(%x) n = %d/%d: %v\npacket %#v", typ, v, i, b, n, len(b), err, p)
				}
				if d := packetDiff(q, p, false); d != "" {
					t.Fatalf("%v %v #%d: Decode(Encode(p)) differs: %s\nbytes %x", typ, v, i, d, b)
				}
				if h := q.Header(); h.Size() != len(b) || h.Type() != typ {
					t.Fatalf("%v %v #%d: decoded header %+v for %d bytes", typ, v, i, h, len(b))
				}
				b2, err := Encode(q, v)
				if err != nil || !bytes.Equal(b2, b) {
					t.Fatalf("%v %v #%d: Encode(Decode(b)) = %x, %v\nwant %x", typ, v, i, b2, err, b)
				}
			}
		}
	}
}

// randomPacket builds a valid packet of type t for version v.
func randomPacket(r *rand.Rand, t PacketType, v Version) Packet {
	id := func() uint16 { return uint16(1 + r.IntN(0xFFFF)) }
	v5 := v == V5
	props := func(t PacketType) Properties {
		if !v5 {
			return Properties{}
		}
		return randomProps(r, t, false)
	}
	code := func() ReasonCode {
		if !v5 {
			return 0
		}
		return ReasonCode(r.IntN(256))
	}
	switch t {
	case TypeConnect:
		p := &Connect{ProtocolName: v.ProtocolName(), ProtocolLevel: byte(v), CleanSession: r.IntN(2) == 0,
			KeepAlive: uint16(r.IntN(0x10000)), Properties: props(TypeConnect), ClientID: randomString(r, 23)}
		if r.IntN(2) == 0 {
			p.WillFlag, p.WillQoS, p.WillRetain = true, byte(r.IntN(3)), r.IntN(2) == 0
			p.WillTopic, p.WillPayload = randomTopic(r), randomBytes(r, 40)
			if v5 {
				p.WillProperties = randomProps(r, TypeConnect, true)
			}
		}
		p.UsernameFlag, p.PasswordFlag = r.IntN(2) == 0, r.IntN(2) == 0
		if !v5 && !p.UsernameFlag {
			p.PasswordFlag = false // 3.x: no password without a user name
		}
		if p.UsernameFlag {
			p.Username = randomString(r, 12)
		}
		if p.PasswordFlag {
			p.Password = randomBytes(r, 12)
		}
		p.Flags = p.connectFlags()
		return p
	case TypeConnack:
		return &Connack{AckFlags: byte(r.IntN(2)), ReasonCode: ReasonCode(r.IntN(256)), Properties: props(TypeConnack)}
	case TypePublish:
		p := &Publish{QoS: byte(r.IntN(3)), Retain: r.IntN(2) == 0, Topic: randomTopic(r),
			Properties: props(TypePublish), Payload: randomBytes(r, 300)}
		if p.QoS > 0 {
			p.PacketID, p.Dup = id(), r.IntN(2) == 0
		}
		if _, ok := p.Properties.Int(PropTopicAlias); ok && r.IntN(2) == 0 {
			p.Topic = "" // the alias stands for it (MQTT 5.0 §3.3.2.3.4)
		}
		return p
	case TypePuback:
		return &Puback{Ack{PacketID: id(), ReasonCode: code(), Properties: props(t)}}
	case TypePubrec:
		return &Pubrec{Ack{PacketID: id(), ReasonCode: code(), Properties: props(t)}}
	case TypePubrel:
		return &Pubrel{Ack{PacketID: id(), ReasonCode: code(), Properties: props(t)}}
	case TypePubcomp:
		return &Pubcomp{Ack{PacketID: id(), ReasonCode: code(), Properties: props(t)}}
	case TypeSubscribe:
		p := &Subscribe{PacketID: id(), Properties: props(t)}
		for range 1 + r.IntN(4) {
			s := Subscription{Filter: randomFilter(r), Options: byte(r.IntN(3))}
			if v5 {
				s.Options = SubOptions(byte(r.IntN(3)), r.IntN(2) == 0, r.IntN(2) == 0, byte(r.IntN(3)))
				if strings.HasPrefix(s.Filter, "$share/") {
					s.Options &^= SubOptNoLocal // MQTT 5.0 §3.8.3.1
				}
			}
			p.Subscriptions = append(p.Subscriptions, s)
		}
		return p
	case TypeSuback:
		p := &Suback{PacketID: id(), Properties: props(t)}
		v3Codes := []ReasonCode{0, 1, 2, 0x80}
		for range 1 + r.IntN(5) {
			c := v3Codes[r.IntN(len(v3Codes))]
			if v5 {
				c = ReasonCode(r.IntN(256))
			}
			p.ReasonCodes = append(p.ReasonCodes, c)
		}
		return p
	case TypeUnsubscribe:
		p := &Unsubscribe{PacketID: id(), Properties: props(t)}
		for range 1 + r.IntN(4) {
			p.Filters = append(p.Filters, randomFilter(r))
		}
		return p
	case TypeUnsuback:
		p := &Unsuback{PacketID: id(), Properties: props(t)}
		if v5 {
			for range 1 + r.IntN(5) { // one per filter, and an UNSUBSCRIBE has one or more
				p.ReasonCodes = append(p.ReasonCodes, ReasonCode(r.IntN(256)))
			}
		}
		return p
	case TypePingreq:
		return &Pingreq{}
	case TypePingresp:
		return &Pingresp{}
	case TypeDisconnect:
		return &Disconnect{ReasonCode: code(), Properties: props(t)}
	case TypeAuth:
		return &Auth{ReasonCode: code(), Properties: props(t)}
	}
	panic("randomPacket: type " + t.String())
}

// randomProps picks properties allowed in packets of type t (or in will
// properties), with values their rules allow, in random order.
func randomProps(r *rand.Rand, t PacketType, will bool) Properties {
	var ps Properties
	for _, spec := range PropSpecs() {
		if !spec.AllowedIn(t, will) || r.IntN(3) != 0 {
			continue
		}
		times := 1
		if spec.Many && !(spec.ID == PropSubscriptionID && t == TypeSubscribe) {
			times += r.IntN(3)
		}
		for range times {
			ps.List = append(ps.List, randomProp(r, &spec))
		}
	}
	r.Shuffle(len(ps.List), func(i, j int) { ps.List[i], ps.List[j] = ps.List[j], ps.List[i] })
	return ps
}

func randomProp(r *rand.Rand, spec *PropSpec) Property {
	p := Property{ID: spec.ID}
	switch spec.Type {
	case PropTypeByte:
		p.Int = uint32(r.IntN(256))
		if spec.Bool {
			p.Int = uint32(r.IntN(2))
		}
	case PropTypeUint16:
		p.Int = uint32(r.IntN(0x10000))
	case PropTypeUint32:
		p.Int = r.Uint32()
	case PropTypeVarint:
		// Values of one to four bytes.
		p.Int = r.Uint32N(1 << (7 * (1 + r.IntN(4))))
		p.Int = min(p.Int, MaxRemaining)
	case PropTypeString:
		p.Str = randomString(r, 20)
	case PropTypeBinary:
		p.Bin = randomBytes(r, 20)
	case PropTypeStringPair:
		p.Str, p.Value = randomString(r, 10), randomString(r, 10)
	}
	if spec.NonZero && p.Int == 0 {
		p.Int = 1
	}
	return p
}

// Pieces of random strings: ASCII, two-, three- and four-byte UTF-8.
var stringPieces = []string{"a", "b", "Z", "0", "9", "-", "_", " ", ".", "é", "ß", "中", "€", "😀", "\U0010FFFF"}

func randomString(r *rand.Rand, max int) string {
	var sb strings.Builder
	for range r.IntN(max + 1) {
		sb.WriteString(stringPieces[r.IntN(len(stringPieces))])
	}
	return sb.String()
}

// randomTopic is a topic name: levels without wildcards, never empty.
func randomTopic(r *rand.Rand) string {
	levels := make([]string, 1+r.IntN(4))
	for i := range levels {
		levels[i] = randomString(r, 6)
	}
	if t := strings.Join(levels, "/"); t != "" {
		return t
	}
	return "t"
}

// randomFilter is a valid topic filter: levels, '+' levels, maybe a final '#'.
func randomFilter(r *rand.Rand) string {
	levels := make([]string, 1+r.IntN(4))
	for i := range levels {
		if r.IntN(4) == 0 {
			levels[i] = "+"
		} else {
			levels[i] = randomString(r, 6)
		}
	}
	if r.IntN(4) == 0 {
		levels[len(levels)-1] = "#"
	}
	f := strings.Join(levels, "/")
	if f == "" {
		f = "f"
	}
	if r.IntN(5) == 0 {
		f = "$share/g/" + f
	}
	return f
}

func randomBytes(r *rand.Rand, max int) []byte {
	b := make([]byte, r.IntN(max+1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
