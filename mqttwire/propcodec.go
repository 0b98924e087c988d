package mqttwire

import "fmt"

// props decodes a property block (MQTT 5.0 §2.2.2) into ps, reusing its
// list. Properties keep their wire order, repeats included. An unknown
// identifier stops decoding: its value's length cannot be known.
func (c *cursor) props(f Field, ps *Properties, will bool) {
	ps.List = ps.List[:0]
	ps.Length = 0 // not left over from a reused value when the length is bad
	at := c.pos
	n := int(c.varint(f))
	if c.bad != nil {
		return
	}
	ps.Length = n
	if c.left() < n {
		c.overrun(f, at, n)
		return
	}
	// Read inside a sub-cursor that ends with the block, so a property can
	// not run into the fields after it.
	sub := cursor{b: c.b[:c.pos+n], pos: c.pos, size: c.pos + n, typ: c.typ, within: "property block"}
	var seen uint64 // bit id set: property id seen (every known id is below 64)
	for sub.bad == nil && sub.pos < len(sub.b) {
		idAt := sub.pos
		raw := sub.varint(f)
		if sub.bad != nil {
			break
		}
		// The identifier is a variable byte integer: one of two or more
		// bytes (257 = 0x81 0x02) is unknown, not the byte it truncates to.
		id := PropID(raw)
		spec, ok := LookupProp(id)
		if !ok || uint32(id) != raw {
			if uint32(id) == raw { // an ID wider than a byte cannot be kept
				ps.List = append(ps.List, Property{ID: id})
			}
			sub.bad = malformed(c.typ, f, idAt, "unknown property identifier 0x%02X", raw)
			break
		}
		p := Property{ID: id}
		sub.item = spec.Name
		switch spec.Type {
		case PropTypeByte:
			p.Int = uint32(sub.u8(f))
		case PropTypeUint16:
			p.Int = uint32(sub.u16(f))
		case PropTypeUint32:
			p.Int = sub.u32(f)
		case PropTypeVarint:
			p.Int = sub.varint(f)
		case PropTypeString:
			p.Str = sub.str(f)
		case PropTypeBinary:
			p.Bin = sub.binary(f)
		case PropTypeStringPair:
			p.Str = sub.str(f)
			p.Value = sub.str(f)
		}
		sub.item = ""
		if sub.bad != nil {
			break
		}
		ps.List = append(ps.List, p)
		switch {
		case !spec.AllowedIn(c.typ, will):
			sub.violate(f, idAt, CodeProtocolError, "property %s not allowed in %v", spec.Name, placeName(c.typ, will))
		case seen&(1<<id) != 0 && (!spec.Many || id == PropSubscriptionID && c.typ == TypeSubscribe):
			// SUBSCRIBE may carry one Subscription Identifier, PUBLISH
			// several (MQTT 5.0 §3.8.2.1.2, §3.3.2.3.8).
			sub.violate(f, idAt, CodeProtocolError, "property %s appears more than once", spec.Name)
		case spec.Bool && p.Int > 1:
			sub.violate(f, idAt, CodeProtocolError, "property %s has value %d, want 0 or 1", spec.Name, p.Int)
		case spec.NonZero && p.Int == 0:
			sub.violate(f, idAt, CodeProtocolError, "property %s must not be 0", spec.Name)
		}
		seen |= 1 << id
	}
	if sub.bad != nil {
		// The block's own length bounded the read: the packet is malformed,
		// not cut short, unless the input itself ended inside the block.
		sub.bad.Incomplete = sub.bad.Incomplete && c.size > len(c.b)
		c.bad = sub.bad
		return
	}
	if c.rule == nil {
		c.rule = sub.rule
	}
	c.pos = sub.pos
}

func placeName(t PacketType, will bool) string {
	if will {
		return "Will Properties"
	}
	return t.String()
}

// size is the encoded length of the properties without the length prefix.
func (ps *Properties) size() int {
	n := 0
	for i := range ps.List {
		p := &ps.List[i]
		n++ // every identifier mqtap knows fits in one byte
		spec, ok := LookupProp(p.ID)
		if !ok {
			continue
		}
		switch spec.Type {
		case PropTypeByte:
			n++
		case PropTypeUint16:
			n += 2
		case PropTypeUint32:
			n += 4
		case PropTypeVarint:
			n += varintLen(int(p.Int))
		case PropTypeString:
			n += 2 + len(p.Str)
		case PropTypeBinary:
			n += 2 + len(p.Bin)
		case PropTypeStringPair:
			n += 4 + len(p.Str) + len(p.Value)
		}
	}
	return n
}

// wireSize is the encoded length including the length prefix.
func (ps *Properties) wireSize() int {
	n := ps.size()
	return varintLen(n) + n
}

// appendProps encodes a property block. Unknown identifiers cannot be
// encoded: their value type is unknown.
func appendProps(dst []byte, ps *Properties, t PacketType) ([]byte, error) {
	dst = appendVarint(dst, ps.size())
	for i := range ps.List {
		p := &ps.List[i]
		spec, ok := LookupProp(p.ID)
		if !ok {
			return dst, &ProtocolError{Packet: t, Field: FieldProperties, Offset: -1, Code: CodeProtocolError,
				Reason: "cannot encode unknown property identifier " + hexByte(byte(p.ID))}
		}
		if err := checkProp(t, spec, p); err != nil {
			return dst, err
		}
		dst = append(dst, byte(p.ID))
		switch spec.Type {
		case PropTypeByte:
			dst = append(dst, byte(p.Int))
		case PropTypeUint16:
			dst = append(dst, byte(p.Int>>8), byte(p.Int))
		case PropTypeUint32:
			dst = append(dst, byte(p.Int>>24), byte(p.Int>>16), byte(p.Int>>8), byte(p.Int))
		case PropTypeVarint:
			dst = appendVarint(dst, int(p.Int))
		case PropTypeString:
			dst = appendString(dst, p.Str)
		case PropTypeBinary:
			dst = appendBytes(dst, p.Bin)
		case PropTypeStringPair:
			dst = appendString(dst, p.Str)
			dst = appendString(dst, p.Value)
		}
	}
	return dst, nil
}

// checkProp refuses values their wire type cannot carry, which would
// otherwise be cut short and make the block length wrong.
func checkProp(t PacketType, spec *PropSpec, p *Property) error {
	switch spec.Type {
	case PropTypeVarint:
		if p.Int > MaxRemaining {
			return fmt.Errorf("encode %v: property %s value %d exceeds %d", t, spec.Name, p.Int, MaxRemaining)
		}
	case PropTypeString, PropTypeBinary, PropTypeStringPair:
		if len(p.Str) > 0xFFFF || len(p.Value) > 0xFFFF || len(p.Bin) > 0xFFFF {
			return fmt.Errorf("encode %v: property %s is longer than 65535 bytes", t, spec.Name)
		}
	}
	return nil
}

func hexByte(b byte) string {
	const digits = "0123456789ABCDEF"
	return "0x" + string([]byte{digits[b>>4], digits[b&15]})
}
