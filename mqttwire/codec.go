package mqttwire

// Packet is one MQTT control packet.
type Packet interface {
	// Type is the control packet type.
	Type() PacketType
	// Header is the fixed header as decoded (zero for a packet built in code).
	Header() FixedHeader
	// Append appends the packet's wire form for version v to dst.
	Append(dst []byte, v Version) ([]byte, error)
	// decode fills the packet from the cursor, which stands after the fixed header.
	decode(c *cursor, v Version)
}

// newPacket is the type-to-decoder table.
var newPacket = [16]func() Packet{
	TypeConnect:     func() Packet { return new(Connect) },
	TypeConnack:     func() Packet { return new(Connack) },
	TypePublish:     func() Packet { return new(Publish) },
	TypePuback:      func() Packet { return new(Puback) },
	TypePubrec:      func() Packet { return new(Pubrec) },
	TypePubrel:      func() Packet { return new(Pubrel) },
	TypePubcomp:     func() Packet { return new(Pubcomp) },
	TypeSubscribe:   func() Packet { return new(Subscribe) },
	TypeSuback:      func() Packet { return new(Suback) },
	TypeUnsubscribe: func() Packet { return new(Unsubscribe) },
	TypeUnsuback:    func() Packet { return new(Unsuback) },
	TypePingreq:     func() Packet { return new(Pingreq) },
	TypePingresp:    func() Packet { return new(Pingresp) },
	TypeDisconnect:  func() Packet { return new(Disconnect) },
	TypeAuth:        func() Packet { return new(Auth) },
}

// New returns an empty packet of type t, or nil for the reserved type 0.
func New(t PacketType) Packet {
	if int(t) < len(newPacket) && newPacket[t] != nil {
		return newPacket[t]()
	}
	return nil
}

// Decode decodes the packet at the start of b for protocol version v and
// returns it with the number of bytes it took. On error the packet holds
// what was decoded (nil only when not even the fixed header could be
// read); see MalformedError and ProtocolError.
func Decode(b []byte, v Version) (Packet, int, error) {
	h, err := ParseFixedHeader(b)
	if err != nil {
		return nil, 0, err
	}
	p := New(h.Type())
	if p == nil {
		return nil, 0, malformed(TypeReserved, FieldFixedHeader, 0, "reserved packet type 0")
	}
	n, err := decodeBody(p, h, b, v)
	return p, n, err
}

// DecodeInto decodes the packet at the start of b into p, which must be of
// the packet's type; reusing p (and its slices) makes decoding allocation-free.
func DecodeInto(p Packet, b []byte, v Version) (int, error) {
	h, err := ParseFixedHeader(b)
	if err != nil {
		return 0, err
	}
	if h.Type() != p.Type() {
		return 0, malformed(h.Type(), FieldFixedHeader, 0, "packet is a %v, not a %v", h.Type(), p.Type())
	}
	return decodeBody(p, h, b, v)
}

// decodeStatic calls the packet's decoder without going through the Packet
// interface: an interface call makes its argument escape, which would move
// the cursor to the heap and cost every DecodeInto an allocation.
func decodeStatic(p Packet, c *cursor, v Version) {
	switch p := p.(type) {
	case *Publish:
		p.decode(c, v)
	case *Puback:
		p.decode(c, v)
	case *Pubrec:
		p.decode(c, v)
	case *Pubrel:
		p.decode(c, v)
	case *Pubcomp:
		p.decode(c, v)
	case *Connect:
		p.decode(c, v)
	case *Connack:
		p.decode(c, v)
	case *Subscribe:
		p.decode(c, v)
	case *Suback:
		p.decode(c, v)
	case *Unsubscribe:
		p.decode(c, v)
	case *Unsuback:
		p.decode(c, v)
	case *Pingreq:
		p.decode(c, v)
	case *Pingresp:
		p.decode(c, v)
	case *Disconnect:
		p.decode(c, v)
	case *Auth:
		p.decode(c, v)
	default: // a packet type added without a case here: correct, but allocates
		cc := *c
		p.decode(&cc, v)
		*c = cc
	}
}

func decodeBody(p Packet, h FixedHeader, b []byte, v Version) (int, error) {
	size := h.Size()
	end := min(size, len(b))
	c := cursor{b: b[:end], pos: 1 + h.LenBytes, size: size, typ: h.Type(), hdr: h}
	if h.Type() != TypePublish && h.Flags() != requiredFlags[h.Type()] {
		c.violate(FieldFixedHeader, 0, CodeMalformedPacket, "reserved flags 0x%X, want 0x%X", h.Flags(), requiredFlags[h.Type()])
	}
	if !h.Type().ExistsIn(v) {
		c.violate(FieldFixedHeader, 0, CodeProtocolError, "%v does not exist in MQTT %v", h.Type(), v)
	}
	decodeStatic(p, &c, v)
	if c.bad == nil && c.pos < end {
		c.violate(FieldRemainingLength, c.pos, CodeMalformedPacket, "%d bytes left over after the packet's fields", end-c.pos)
	}
	if c.bad == nil && end < size {
		c.bad = &MalformedError{Packet: h.Type(), Field: FieldRemainingLength, Offset: end, Length: h.Remaining,
			Reason: "input ends before the remaining length", Incomplete: true}
	}
	return end, c.err()
}
