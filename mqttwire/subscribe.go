package mqttwire

import "strings"

// Subscription is one topic filter of a SUBSCRIBE with its options byte.
type Subscription struct {
	Filter string
	// Options is the subscription options byte as sent: in 3.x only the
	// requested QoS; in 5.0 also No Local, Retain As Published and Retain
	// Handling (MQTT 5.0 §3.8.3.1).
	Options byte
}

// Subscription option bits (MQTT 5.0 §3.8.3.1).
const (
	SubOptQoS               = 0x03
	SubOptNoLocal           = 0x04
	SubOptRetainAsPublished = 0x08
	SubOptRetainHandling    = 0x30
	SubOptReserved          = 0xC0
)

// QoS is the requested maximum QoS.
func (s Subscription) QoS() byte { return s.Options & SubOptQoS }

// NoLocal reports the No Local option.
func (s Subscription) NoLocal() bool { return s.Options&SubOptNoLocal != 0 }

// RetainAsPublished reports the Retain As Published option.
func (s Subscription) RetainAsPublished() bool { return s.Options&SubOptRetainAsPublished != 0 }

// RetainHandling is 0 (send retained), 1 (only for new subscriptions) or 2 (never).
func (s Subscription) RetainHandling() byte { return s.Options & SubOptRetainHandling >> 4 }

// SubOptions builds an options byte.
func SubOptions(qos byte, noLocal, retainAsPublished bool, retainHandling byte) byte {
	o := qos&3 | retainHandling<<4&SubOptRetainHandling
	if noLocal {
		o |= SubOptNoLocal
	}
	if retainAsPublished {
		o |= SubOptRetainAsPublished
	}
	return o
}

// Subscribe is the SUBSCRIBE packet (MQTT 5.0 §3.8, 3.1.1 §3.8).
type Subscribe struct {
	Fixed         FixedHeader
	PacketID      uint16
	Properties    Properties // MQTT 5.0
	Subscriptions []Subscription
}

func (*Subscribe) Type() PacketType      { return TypeSubscribe }
func (p *Subscribe) Header() FixedHeader { return p.Fixed }

func (p *Subscribe) decode(c *cursor, v Version) {
	p.Fixed = c.hdr
	decodeIDAndProps(c, v, &p.PacketID, &p.Properties)
	p.Subscriptions = p.Subscriptions[:0]
	for c.bad == nil && c.left() > 0 {
		at := c.pos
		s := Subscription{Filter: c.str(FieldTopicFilter)}
		optAt := c.pos
		s.Options = c.u8(FieldSubOptions)
		if c.bad != nil {
			// Keep the filter when only its options byte is missing, so a
			// dissector can show it.
			if c.bad.Field == FieldSubOptions {
				p.Subscriptions = append(p.Subscriptions, s)
			}
			break
		}
		p.Subscriptions = append(p.Subscriptions, s)
		checkFilter(c, at, s.Filter)
		switch {
		case v != V5 && s.Options&^SubOptQoS != 0:
			c.violate(FieldSubOptions, optAt, CodeMalformedPacket, "reserved bits set in requested QoS byte 0x%02X", s.Options)
		case s.Options&SubOptReserved != 0:
			c.violate(FieldSubOptions, optAt, CodeMalformedPacket, "reserved subscription option bits set (0x%02X)", s.Options)
		case s.QoS() == 3:
			c.violate(FieldSubOptions, optAt, CodeMalformedPacket, "requested QoS 3")
		case s.RetainHandling() == 3:
			c.violate(FieldSubOptions, optAt, CodeProtocolError, "retain handling 3")
		case s.NoLocal() && strings.HasPrefix(s.Filter, "$share/"):
			c.violate(FieldSubOptions, optAt, CodeProtocolError, "No Local on a shared subscription")
		}
	}
	if c.bad == nil && len(p.Subscriptions) == 0 {
		c.violate(FieldTopicFilter, c.pos, CodeProtocolError, "no topic filters")
	}
}

// decodeIDAndProps reads the packet identifier (which must not be 0) and,
// in 5.0, the properties: the start SUBSCRIBE, SUBACK, UNSUBSCRIBE and
// UNSUBACK share.
func decodeIDAndProps(c *cursor, v Version, id *uint16, ps *Properties) {
	at := c.pos
	*id = c.u16(FieldPacketID)
	if c.bad == nil && *id == 0 {
		c.violate(FieldPacketID, at, CodeProtocolError, "packet identifier 0")
	}
	ps.List = ps.List[:0]
	ps.Length = 0
	if v == V5 {
		c.props(FieldProperties, ps, false)
	}
}

// checkFilter applies the topic filter rules of MQTT 5.0 §4.7.1.
func checkFilter(c *cursor, at int, f string) {
	if f == "" {
		c.violate(FieldTopicFilter, at, CodeTopicFilterInvalid, "empty topic filter")
		return
	}
	if !ValidFilter(f) {
		c.violate(FieldTopicFilter, at, CodeTopicFilterInvalid, "invalid wildcard in topic filter %q", f)
	}
}

// ValidFilter reports whether a topic filter uses its wildcards correctly:
// '#' only as the whole last level, '+' only as a whole level.
func ValidFilter(f string) bool {
	if f == "" {
		return false
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		if strings.Contains(l, "#") && (l != "#" || i != len(levels)-1) {
			return false
		}
		if strings.Contains(l, "+") && l != "+" {
			return false
		}
	}
	return true
}

// Append encodes the SUBSCRIBE for version v.
func (p *Subscribe) Append(dst []byte, v Version) ([]byte, error) {
	n := 2
	if v == V5 {
		n += p.Properties.wireSize()
	}
	for _, s := range p.Subscriptions {
		if err := checkLen(TypeSubscribe, FieldTopicFilter, len(s.Filter)); err != nil {
			return dst, err
		}
		n += 3 + len(s.Filter)
	}
	dst, err := appendHeader(dst, byte(TypeSubscribe)<<4|2, n)
	if err != nil {
		return dst, err
	}
	dst = appendU16(dst, p.PacketID)
	if v == V5 {
		if dst, err = appendProps(dst, &p.Properties, TypeSubscribe); err != nil {
			return dst, err
		}
	}
	for _, s := range p.Subscriptions {
		dst = appendString(dst, s.Filter)
		dst = append(dst, s.Options)
	}
	return dst, nil
}
