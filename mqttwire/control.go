package mqttwire

// Pingreq is PINGREQ (MQTT 5.0 §3.12).
type Pingreq struct{ Fixed FixedHeader }

// Pingresp is PINGRESP (MQTT 5.0 §3.13).
type Pingresp struct{ Fixed FixedHeader }

func (*Pingreq) Type() PacketType       { return TypePingreq }
func (*Pingresp) Type() PacketType      { return TypePingresp }
func (p *Pingreq) Header() FixedHeader  { return p.Fixed }
func (p *Pingresp) Header() FixedHeader { return p.Fixed }

func (p *Pingreq) decode(c *cursor, _ Version)  { p.Fixed = c.hdr }
func (p *Pingresp) decode(c *cursor, _ Version) { p.Fixed = c.hdr }

// Append encodes PINGREQ.
func (p *Pingreq) Append(dst []byte, _ Version) ([]byte, error) {
	return append(dst, byte(TypePingreq)<<4, 0), nil
}

// Append encodes PINGRESP.
func (p *Pingresp) Append(dst []byte, _ Version) ([]byte, error) {
	return append(dst, byte(TypePingresp)<<4, 0), nil
}

// Disconnect is DISCONNECT (MQTT 5.0 §3.14); in 3.x it has no body.
type Disconnect struct {
	Fixed      FixedHeader
	ReasonCode ReasonCode // MQTT 5.0
	Properties Properties // MQTT 5.0
}

func (*Disconnect) Type() PacketType      { return TypeDisconnect }
func (p *Disconnect) Header() FixedHeader { return p.Fixed }

func (p *Disconnect) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeReasonTail(c, v, &p.ReasonCode, &p.Properties)
}

// Append encodes DISCONNECT for version v.
func (p *Disconnect) Append(dst []byte, v Version) ([]byte, error) {
	return appendReasonTail(dst, TypeDisconnect, v, p.ReasonCode, &p.Properties, p.Fixed.Remaining)
}

// Auth is AUTH (MQTT 5.0 §3.15), for extended authentication.
type Auth struct {
	Fixed      FixedHeader
	ReasonCode ReasonCode
	Properties Properties
}

func (*Auth) Type() PacketType      { return TypeAuth }
func (p *Auth) Header() FixedHeader { return p.Fixed }

func (p *Auth) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeReasonTail(c, v, &p.ReasonCode, &p.Properties)
}

// Append encodes AUTH for version v.
func (p *Auth) Append(dst []byte, v Version) ([]byte, error) {
	return appendReasonTail(dst, TypeAuth, v, p.ReasonCode, &p.Properties, p.Fixed.Remaining)
}

// decodeReasonTail reads the optional reason code and properties that
// DISCONNECT and AUTH carry in 5.0 (§3.14.2.1, §3.15.2.1).
func decodeReasonTail(c *cursor, v Version, code *ReasonCode, ps *Properties) {
	*code = Success
	ps.List = ps.List[:0]
	ps.Length = 0
	if v != V5 {
		return
	}
	if c.left() > 0 {
		*code = ReasonCode(c.u8(FieldReasonCode))
	}
	if c.left() > 0 {
		c.props(FieldProperties, ps, false)
	}
}

func appendReasonTail(dst []byte, t PacketType, v Version, code ReasonCode, ps *Properties, decoded int) ([]byte, error) {
	lvl := 0
	if v == V5 {
		lvl = tailLevel(code, ps, decoded)
	}
	n := 0
	if lvl >= 1 {
		n++
	}
	if lvl == 2 {
		n += ps.wireSize()
	}
	dst, err := appendHeader(dst, byte(t)<<4, n)
	if err != nil {
		return dst, err
	}
	if lvl >= 1 {
		dst = append(dst, byte(code))
	}
	if lvl == 2 {
		return appendProps(dst, ps, t)
	}
	return dst, nil
}
