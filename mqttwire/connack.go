package mqttwire

// Connack is the CONNACK packet (MQTT 5.0 §3.2, 3.1.1 §3.2).
type Connack struct {
	Fixed FixedHeader
	// AckFlags is the acknowledge flags byte; bit 0 is Session Present.
	AckFlags byte
	// ReasonCode is the 3.x return code or the 5.0 reason code.
	ReasonCode ReasonCode
	Properties Properties // MQTT 5.0
}

func (*Connack) Type() PacketType      { return TypeConnack }
func (p *Connack) Header() FixedHeader { return p.Fixed }

// SessionPresent reports the Session Present flag (3.1.1 and 5.0).
func (p *Connack) SessionPresent() bool { return p.AckFlags&1 != 0 }

func (p *Connack) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	at := c.pos
	p.AckFlags = c.u8(FieldAckFlags)
	if c.bad == nil && v != V31 && p.AckFlags&0xFE != 0 { // 3.1 left the byte unused
		c.violate(FieldAckFlags, at, CodeMalformedPacket, "reserved acknowledge flags 0x%02X", p.AckFlags&0xFE)
	}
	p.ReasonCode = ReasonCode(c.u8(FieldReasonCode))
	p.Properties.List = p.Properties.List[:0]
	p.Properties.Length = 0
	if v == V5 {
		c.props(FieldProperties, &p.Properties, false)
	}
}

// Append encodes the CONNACK for version v.
func (p *Connack) Append(dst []byte, v Version) ([]byte, error) {
	n := 2
	if v == V5 {
		n += p.Properties.wireSize()
	}
	dst, err := appendHeader(dst, byte(TypeConnack)<<4, n)
	if err != nil {
		return dst, err
	}
	dst = append(dst, p.AckFlags, byte(p.ReasonCode))
	if v == V5 {
		return appendProps(dst, &p.Properties, TypeConnack)
	}
	return dst, nil
}
