package mqttwire

import "strings"

// Connect is the CONNECT packet (MQTT 5.0 §3.1, 3.1.1 §3.1).
type Connect struct {
	Fixed FixedHeader
	// ProtocolName is "MQTT", or "MQIsdp" for 3.1; empty means the
	// version's own name when encoding.
	ProtocolName string
	// ProtocolLevel is the version byte as sent (3, 4 or 5); 0 means the
	// encoding version.
	ProtocolLevel byte
	// Flags is the connect flags byte as decoded; encoding derives it
	// from the fields below.
	Flags        byte
	CleanSession bool // Clean Start in MQTT 5.0
	KeepAlive    uint16
	Properties   Properties // MQTT 5.0
	ClientID     string

	WillFlag       bool
	WillQoS        byte
	WillRetain     bool
	WillProperties Properties // MQTT 5.0
	WillTopic      string
	WillPayload    []byte

	UsernameFlag bool
	Username     string
	PasswordFlag bool
	Password     []byte
}

// Connect flag bits (MQTT 5.0 §3.1.2.3).
const (
	ConnectFlagReserved     = 0x01
	ConnectFlagCleanSession = 0x02
	ConnectFlagWill         = 0x04
	ConnectFlagWillQoS      = 0x18
	ConnectFlagWillRetain   = 0x20
	ConnectFlagPassword     = 0x40
	ConnectFlagUsername     = 0x80
)

func (*Connect) Type() PacketType      { return TypeConnect }
func (p *Connect) Header() FixedHeader { return p.Fixed }
func (p *Connect) connectFlags() (f byte) {
	if p.CleanSession {
		f |= ConnectFlagCleanSession
	}
	if p.WillFlag {
		f |= ConnectFlagWill | p.WillQoS<<3&ConnectFlagWillQoS
		if p.WillRetain {
			f |= ConnectFlagWillRetain
		}
	}
	if p.PasswordFlag {
		f |= ConnectFlagPassword
	}
	if p.UsernameFlag {
		f |= ConnectFlagUsername
	}
	return f
}

func (p *Connect) decode(c *cursor, _ Version) {
	// Start from a clean value, keeping the property lists' storage: a
	// reused Connect must not keep the will or credentials of the last one.
	*p = Connect{
		Fixed:          c.hdr,
		Properties:     Properties{List: p.Properties.List[:0]},
		WillProperties: Properties{List: p.WillProperties.List[:0]},
	}
	nameAt := c.pos
	p.ProtocolName = c.str(FieldProtocolName)
	levelAt := c.pos
	p.ProtocolLevel = c.u8(FieldProtocolLevel)
	flagsAt := c.pos
	p.Flags = c.u8(FieldConnectFlags)
	p.KeepAlive = c.u16(FieldKeepAlive)
	if c.bad != nil {
		return
	}
	// The version that shapes the rest of the packet is the one it names,
	// whatever the caller assumed (Wireshark does the same).
	v := Version(p.ProtocolLevel)
	switch {
	case !v.Valid():
		c.violate(FieldProtocolLevel, levelAt, 0x84, "unsupported protocol level %d", p.ProtocolLevel)
		v = V311
	case p.ProtocolName != v.ProtocolName():
		c.violate(FieldProtocolName, nameAt, 0x84, "protocol name %q does not match level %d", p.ProtocolName, p.ProtocolLevel)
	}
	f := p.Flags
	p.CleanSession = f&ConnectFlagCleanSession != 0
	p.WillFlag = f&ConnectFlagWill != 0
	p.WillQoS = f & ConnectFlagWillQoS >> 3
	p.WillRetain = f&ConnectFlagWillRetain != 0
	p.PasswordFlag = f&ConnectFlagPassword != 0
	p.UsernameFlag = f&ConnectFlagUsername != 0
	switch {
	case f&ConnectFlagReserved != 0:
		c.violate(FieldConnectFlags, flagsAt, CodeMalformedPacket, "reserved connect flag set")
	case p.WillQoS == 3:
		c.violate(FieldConnectFlags, flagsAt, CodeMalformedPacket, "will QoS 3")
	case !p.WillFlag && (p.WillQoS != 0 || p.WillRetain):
		c.violate(FieldConnectFlags, flagsAt, CodeMalformedPacket, "will QoS or retain set without the will flag")
	case v != V5 && p.PasswordFlag && !p.UsernameFlag:
		c.violate(FieldConnectFlags, flagsAt, CodeMalformedPacket, "password flag set without user name flag")
	}
	if v == V5 {
		c.props(FieldProperties, &p.Properties, false)
	}
	p.ClientID = c.str(FieldClientID)
	if p.WillFlag {
		if v == V5 {
			c.props(FieldWillProperties, &p.WillProperties, true)
		}
		at := c.pos
		p.WillTopic = c.str(FieldWillTopic)
		// The will is published under its topic: a topic name, where
		// wildcards are not allowed (MQTT 3.1.1 §3.1.3.3, 5.0 §3.1.3.3).
		if c.bad == nil && (strings.IndexByte(p.WillTopic, '+') >= 0 || strings.IndexByte(p.WillTopic, '#') >= 0) {
			c.violate(FieldWillTopic, at, CodeTopicNameInvalid, "will topic %q contains a wildcard", p.WillTopic)
		}
		p.WillPayload = c.binary(FieldWillPayload)
	}
	if p.UsernameFlag {
		p.Username = c.str(FieldUsername)
	}
	if p.PasswordFlag {
		p.Password = c.binary(FieldPassword)
	}
}

// Append encodes the CONNECT for version v.
func (p *Connect) Append(dst []byte, v Version) ([]byte, error) {
	level := p.ProtocolLevel
	if level == 0 {
		level = byte(v)
	}
	// The level the packet names shapes its layout, as in decode: a CONNECT
	// decoded as level 5 re-encodes with its properties whatever v says.
	if lv := Version(level); lv.Valid() {
		v = lv
	}
	name := p.ProtocolName
	if name == "" {
		name = v.ProtocolName()
	}
	n := 2 + len(name) + 1 + 1 + 2 + 2 + len(p.ClientID)
	if v == V5 {
		n += p.Properties.wireSize()
	}
	if p.WillFlag {
		if v == V5 {
			n += p.WillProperties.wireSize()
		}
		n += 4 + len(p.WillTopic) + len(p.WillPayload)
	}
	if p.UsernameFlag {
		n += 2 + len(p.Username)
	}
	if p.PasswordFlag {
		n += 2 + len(p.Password)
	}
	for _, s := range []struct {
		f Field
		n int
	}{{FieldProtocolName, len(name)}, {FieldClientID, len(p.ClientID)}, {FieldWillTopic, len(p.WillTopic)}, {FieldWillPayload, len(p.WillPayload)},
		{FieldUsername, len(p.Username)}, {FieldPassword, len(p.Password)}} {
		if err := checkLen(TypeConnect, s.f, s.n); err != nil {
			return dst, err
		}
	}
	dst, err := appendHeader(dst, byte(TypeConnect)<<4, n)
	if err != nil {
		return dst, err
	}
	dst = appendString(dst, name)
	dst = append(dst, level, p.connectFlags())
	dst = appendU16(dst, p.KeepAlive)
	if v == V5 {
		if dst, err = appendProps(dst, &p.Properties, TypeConnect); err != nil {
			return dst, err
		}
	}
	dst = appendString(dst, p.ClientID)
	if p.WillFlag {
		if v == V5 {
			if dst, err = appendProps(dst, &p.WillProperties, TypeConnect); err != nil {
				return dst, err
			}
		}
		dst = appendString(dst, p.WillTopic)
		dst = appendBytes(dst, p.WillPayload)
	}
	if p.UsernameFlag {
		dst = appendString(dst, p.Username)
	}
	if p.PasswordFlag {
		dst = appendBytes(dst, p.Password)
	}
	return dst, nil
}
