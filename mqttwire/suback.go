package mqttwire

// Suback is the SUBACK packet (MQTT 5.0 §3.9, 3.1.1 §3.9): one reason code
// (3.x: granted QoS or 0x80 failure) per requested filter.
type Suback struct {
	Fixed       FixedHeader
	PacketID    uint16
	Properties  Properties // MQTT 5.0
	ReasonCodes []ReasonCode
}

func (*Suback) Type() PacketType      { return TypeSuback }
func (p *Suback) Header() FixedHeader { return p.Fixed }

func (p *Suback) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeIDAndProps(c, v, &p.PacketID, &p.Properties)
	p.ReasonCodes = decodeCodes(c, p.ReasonCodes[:0])
	if c.bad != nil {
		return
	}
	// One code per filter, and a SUBSCRIBE has at least one (MQTT 3.1.1
	// §3.9.3, 5.0 §3.9.3).
	if len(p.ReasonCodes) == 0 {
		c.violate(FieldReasonCodes, c.pos, CodeProtocolError, "no reason codes")
	}
	for i, rc := range p.ReasonCodes {
		if v != V5 && rc > 2 && rc != 0x80 {
			c.violate(FieldReasonCodes, c.pos-len(p.ReasonCodes)+i, CodeProtocolError, "return code 0x%02X is not a granted QoS or 0x80", byte(rc))
		}
	}
}

// decodeCodes reads one reason code per remaining byte.
func decodeCodes(c *cursor, codes []ReasonCode) []ReasonCode {
	for _, b := range c.rest() {
		codes = append(codes, ReasonCode(b))
	}
	return codes
}

// Append encodes the SUBACK for version v.
func (p *Suback) Append(dst []byte, v Version) ([]byte, error) {
	return appendIDPropsCodes(dst, TypeSuback, v, p.PacketID, &p.Properties, p.ReasonCodes)
}

func appendIDPropsCodes(dst []byte, t PacketType, v Version, id uint16, ps *Properties, codes []ReasonCode) ([]byte, error) {
	n := 2 + len(codes)
	if v == V5 {
		n += ps.wireSize()
	}
	dst, err := appendHeader(dst, byte(t)<<4, n)
	if err != nil {
		return dst, err
	}
	dst = appendU16(dst, id)
	if v == V5 {
		if dst, err = appendProps(dst, ps, t); err != nil {
			return dst, err
		}
	}
	for _, c := range codes {
		dst = append(dst, byte(c))
	}
	return dst, nil
}
