package mqttwire

// Unsubscribe is the UNSUBSCRIBE packet (MQTT 5.0 §3.10, 3.1.1 §3.10).
type Unsubscribe struct {
	Fixed      FixedHeader
	PacketID   uint16
	Properties Properties // MQTT 5.0
	Filters    []string
}

func (*Unsubscribe) Type() PacketType      { return TypeUnsubscribe }
func (p *Unsubscribe) Header() FixedHeader { return p.Fixed }

func (p *Unsubscribe) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeIDAndProps(c, v, &p.PacketID, &p.Properties)
	p.Filters = p.Filters[:0]
	for c.bad == nil && c.left() > 0 {
		at := c.pos
		f := c.str(FieldTopicFilter)
		if c.bad != nil {
			break
		}
		p.Filters = append(p.Filters, f)
		checkFilter(c, at, f)
	}
	if c.bad == nil && len(p.Filters) == 0 {
		c.violate(FieldTopicFilter, c.pos, CodeProtocolError, "no topic filters")
	}
}

// Append encodes the UNSUBSCRIBE for version v.
func (p *Unsubscribe) Append(dst []byte, v Version) ([]byte, error) {
	n := 2
	if v == V5 {
		n += p.Properties.wireSize()
	}
	for _, f := range p.Filters {
		if err := checkLen(TypeUnsubscribe, FieldTopicFilter, len(f)); err != nil {
			return dst, err
		}
		n += 2 + len(f)
	}
	dst, err := appendHeader(dst, byte(TypeUnsubscribe)<<4|2, n)
	if err != nil {
		return dst, err
	}
	dst = appendU16(dst, p.PacketID)
	if v == V5 {
		if dst, err = appendProps(dst, &p.Properties, TypeUnsubscribe); err != nil {
			return dst, err
		}
	}
	for _, f := range p.Filters {
		dst = appendString(dst, f)
	}
	return dst, nil
}

// Unsuback is the UNSUBACK packet (MQTT 5.0 §3.11, 3.1.1 §3.11); only 5.0
// carries properties and reason codes.
type Unsuback struct {
	Fixed       FixedHeader
	PacketID    uint16
	Properties  Properties   // MQTT 5.0
	ReasonCodes []ReasonCode // MQTT 5.0
}

func (*Unsuback) Type() PacketType      { return TypeUnsuback }
func (p *Unsuback) Header() FixedHeader { return p.Fixed }

func (p *Unsuback) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeIDAndProps(c, v, &p.PacketID, &p.Properties)
	p.ReasonCodes = p.ReasonCodes[:0]
	if v == V5 {
		p.ReasonCodes = decodeCodes(c, p.ReasonCodes)
		// One code per filter of the UNSUBSCRIBE, which has at least one
		// (MQTT 5.0 §3.11.3).
		if c.bad == nil && len(p.ReasonCodes) == 0 {
			c.violate(FieldReasonCodes, c.pos, CodeProtocolError, "no reason codes")
		}
	}
}

// Append encodes the UNSUBACK for version v.
func (p *Unsuback) Append(dst []byte, v Version) ([]byte, error) {
	codes := p.ReasonCodes
	if v != V5 {
		codes = nil
	}
	return appendIDPropsCodes(dst, TypeUnsuback, v, p.PacketID, &p.Properties, codes)
}
