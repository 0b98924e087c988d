package mqttwire

// Ack is the layout PUBACK, PUBREC, PUBREL and PUBCOMP share: a packet
// identifier and, in MQTT 5.0, a reason code and properties that may be
// left out (MQTT 5.0 §3.4.2.1).
type Ack struct {
	Fixed      FixedHeader
	PacketID   uint16
	ReasonCode ReasonCode // MQTT 5.0
	Properties Properties // MQTT 5.0
}

// Header is the fixed header as decoded.
func (p *Ack) Header() FixedHeader { return p.Fixed }

// Puback is PUBACK (QoS 1 acknowledgement).
type Puback struct{ Ack }

// Pubrec is PUBREC (QoS 2, part 1).
type Pubrec struct{ Ack }

// Pubrel is PUBREL (QoS 2, part 2).
type Pubrel struct{ Ack }

// Pubcomp is PUBCOMP (QoS 2, part 3).
type Pubcomp struct{ Ack }

func (*Puback) Type() PacketType  { return TypePuback }
func (*Pubrec) Type() PacketType  { return TypePubrec }
func (*Pubrel) Type() PacketType  { return TypePubrel }
func (*Pubcomp) Type() PacketType { return TypePubcomp }

func (p *Puback) decode(c *cursor, v Version)  { p.Ack.decode(c, v) }
func (p *Pubrec) decode(c *cursor, v Version)  { p.Ack.decode(c, v) }
func (p *Pubrel) decode(c *cursor, v Version)  { p.Ack.decode(c, v) }
func (p *Pubcomp) decode(c *cursor, v Version) { p.Ack.decode(c, v) }

// Append encodes PUBACK for version v.
func (p *Puback) Append(dst []byte, v Version) ([]byte, error) {
	return p.Ack.append(dst, TypePuback, v)
}

// Append encodes PUBREC for version v.
func (p *Pubrec) Append(dst []byte, v Version) ([]byte, error) {
	return p.Ack.append(dst, TypePubrec, v)
}

// Append encodes PUBREL for version v.
func (p *Pubrel) Append(dst []byte, v Version) ([]byte, error) {
	return p.Ack.append(dst, TypePubrel, v)
}

// Append encodes PUBCOMP for version v.
func (p *Pubcomp) Append(dst []byte, v Version) ([]byte, error) {
	return p.Ack.append(dst, TypePubcomp, v)
}

func (p *Ack) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	at := c.pos
	p.PacketID = c.u16(FieldPacketID)
	if c.bad == nil && p.PacketID == 0 {
		c.violate(FieldPacketID, at, CodeProtocolError, "packet identifier 0")
	}
	p.ReasonCode = Success
	p.Properties.List = p.Properties.List[:0]
	p.Properties.Length = 0
	if v != V5 {
		return
	}
	if c.left() > 0 {
		p.ReasonCode = ReasonCode(c.u8(FieldReasonCode))
	}
	if c.left() > 0 {
		c.props(FieldProperties, &p.Properties, false)
	}
}

// tailLevel is how much of the optional tail a packet carries: 0 none,
// 1 the reason code, 2 the reason code and properties. Encoding writes the
// shortest tail the content needs, or the tail the packet was decoded with
// if that was longer, so that decoding then encoding gives the same bytes.
func tailLevel(code ReasonCode, ps *Properties, decodedTail int) int {
	lvl := 0
	if code != 0 {
		lvl = 1
	}
	if len(ps.List) > 0 {
		lvl = 2
	}
	return max(lvl, min(decodedTail, 2))
}

func (p *Ack) append(dst []byte, t PacketType, v Version) ([]byte, error) {
	first := byte(t) << 4
	if t == TypePubrel {
		first |= 2
	}
	lvl := 0
	if v == V5 {
		lvl = tailLevel(p.ReasonCode, &p.Properties, p.Fixed.Remaining-2)
	}
	n := 2
	if lvl >= 1 {
		n++
	}
	if lvl == 2 {
		n += p.Properties.wireSize()
	}
	dst, err := appendHeader(dst, first, n)
	if err != nil {
		return dst, err
	}
	dst = appendU16(dst, p.PacketID)
	if lvl >= 1 {
		dst = append(dst, byte(p.ReasonCode))
	}
	if lvl == 2 {
		return appendProps(dst, &p.Properties, t)
	}
	return dst, nil
}
