package mqttwire

import "strings"

// Publish is the PUBLISH packet (MQTT 5.0 §3.3, 3.1.1 §3.3).
type Publish struct {
	Fixed      FixedHeader
	Dup        bool
	QoS        byte
	Retain     bool
	Topic      string
	PacketID   uint16 // present when QoS > 0
	Properties Properties
	Payload    []byte
}

func (*Publish) Type() PacketType      { return TypePublish }
func (p *Publish) Header() FixedHeader { return p.Fixed }

func (p *Publish) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	f := c.hdr.Flags()
	p.Dup, p.QoS, p.Retain = f&8 != 0, f>>1&3, f&1 != 0
	switch {
	case p.QoS == 3:
		c.violate(FieldFixedHeader, 0, CodeMalformedPacket, "QoS 3")
	case p.QoS == 0 && p.Dup:
		c.violate(FieldFixedHeader, 0, CodeMalformedPacket, "DUP set on a QoS 0 message")
	}
	at := c.pos
	p.Topic = c.str(FieldTopic)
	// Two IndexByte scans are vectorised; ContainsAny("+#") walks byte by
	// byte and took most of the time of decoding a small PUBLISH.
	if c.bad == nil && (strings.IndexByte(p.Topic, '+') >= 0 || strings.IndexByte(p.Topic, '#') >= 0) {
		c.violate(FieldTopic, at, CodeTopicNameInvalid, "topic %q contains a wildcard", p.Topic)
	}
	p.PacketID = 0
	// Wireshark reads a packet identifier for QoS 3 too; so do we, to show
	// the same fields.
	if p.QoS > 0 {
		at := c.pos
		p.PacketID = c.u16(FieldPacketID)
		if c.bad == nil && p.PacketID == 0 {
			c.violate(FieldPacketID, at, CodeProtocolError, "packet identifier 0")
		}
	}
	p.Properties.List = p.Properties.List[:0]
	p.Properties.Length = 0
	if v == V5 {
		c.props(FieldProperties, &p.Properties, false)
		if c.bad == nil && p.Topic == "" {
			if _, ok := p.Properties.Int(PropTopicAlias); !ok {
				c.violate(FieldTopic, at, CodeProtocolError, "empty topic without a topic alias")
			}
		}
	} else if c.bad == nil && p.Topic == "" {
		c.violate(FieldTopic, at, CodeTopicNameInvalid, "empty topic")
	}
	p.Payload = c.rest()
}

// Append encodes the PUBLISH for version v.
func (p *Publish) Append(dst []byte, v Version) ([]byte, error) {
	if err := checkLen(TypePublish, FieldTopic, len(p.Topic)); err != nil {
		return dst, err
	}
	n := 2 + len(p.Topic) + len(p.Payload)
	if p.QoS > 0 {
		n += 2
	}
	if v == V5 {
		n += p.Properties.wireSize()
	}
	first := byte(TypePublish)<<4 | p.QoS<<1&6
	if p.Dup {
		first |= 8
	}
	if p.Retain {
		first |= 1
	}
	dst, err := appendHeader(dst, first, n)
	if err != nil {
		return dst, err
	}
	dst = appendString(dst, p.Topic)
	if p.QoS > 0 {
		dst = appendU16(dst, p.PacketID)
	}
	if v == V5 {
		if dst, err = appendProps(dst, &p.Properties, TypePublish); err != nil {
			return dst, err
		}
	}
	return append(dst, p.Payload...), nil
}
