package output

import (
	"github.com/mqtap/mqtap/mqttwire"
)

// properties adds an MQTT 5.0 property block at pos: the subtree, its
// Total Length, then each property as tshark 4.0 shows it. The properties
// the codec decoded are shown from its values; if the codec stopped inside
// this block, the rest is walked the way tshark walks it (identifier as one
// byte, reads bounded by the packet rather than the block), so the tree
// stops, or goes on, exactly where tshark's does. It returns false when the
// PDU ends here (malformed). When it went on past a codec stop, b.rawTail
// is set: the caller continues from the raw bytes.
func (b *builder) properties(f *Field, ps *mqttwire.Properties, cf mqttwire.Field) bool {
	if b.pos >= len(b.raw) {
		b.malformed()
		return false
	}
	n, w, ok := protobufVarint(b.raw[b.pos:], 10)
	if !ok {
		b.malformed()
		return false
	}
	b.subtree(f, 0)
	b.depth++
	defer func() { b.depth-- }()
	// tshark 4.0 shows this FT_UINT64 varint as its bytes read big-endian
	// (so a two-byte 147 shows as 37633); the length it walks is right.
	var shown uint64
	for _, c := range b.raw[b.pos : b.pos+w] {
		shown = shown<<8 | uint64(c)
	}
	b.uint(fPropLen, shown)
	b.pos += w
	// A length past the packet (up to 2^64-1 from ten varint bytes) must
	// not wrap: anything beyond the bytes left walks to the end and fails.
	end := len(b.raw) + 1
	if n <= uint64(len(b.raw)-b.pos) {
		end = b.pos + int(n)
	}
	failed := b.bad != nil && b.bad.Field == cf
	for i := range ps.List {
		p := &ps.List[i]
		if propKinds[p.ID] == propUnknown {
			break
		}
		b.property(p)
	}
	if !failed {
		b.pos = end
		return true
	}
	if !b.walkProps(end) {
		b.malformed()
		return false
	}
	b.pos = end
	b.bad = nil
	b.rawTail = true
	return true
}

// property adds one decoded property and advances pos past it.
func (b *builder) property(p *mqttwire.Property) {
	b.uint(fPropID, uint64(p.ID))
	b.pos++
	switch propKinds[p.ID] {
	case propByte:
		b.uint(fPropNumber, uint64(p.Int))
		b.pos++
	case propMaxQoS:
		b.uint(fPropMaxQoS, uint64(p.Int))
		b.pos++
	case propU16:
		b.uint(fPropNumber, uint64(p.Int))
		b.pos += 2
	case propAlias:
		b.uint(fPropTopicAlias, uint64(p.Int))
		b.pos += 2
	case propU32:
		b.uint(fPropNumber, uint64(p.Int))
		b.pos += 4
	case propVarint:
		_, w, _ := protobufVarint(b.raw[b.pos:], 10)
		b.uint(fPropNumber, uint64(p.Int))
		b.pos += w
	case propContentType:
		b.str(fPropContentType, p.Str)
		b.contentType, b.hasCT = p.Str, true
		b.pos += 2 + len(p.Str)
	case propString:
		s := p.Str
		if p.Bin != nil || propIsBinary(p.ID) {
			s = bytesToString(p.Bin)
		}
		b.lenStr(fPropStringLen, fPropString, s)
	case propPair:
		b.lenStr(fPropKeyLen, fPropKey, p.Str)
		b.lenStr(fPropValueLen, fPropValue, p.Value)
	}
}

func propIsBinary(id mqttwire.PropID) bool {
	return id == mqttwire.PropCorrelationData || id == mqttwire.PropAuthData
}

// walkProps walks raw property bytes from pos to end as tshark 4.0 does,
// adding what it can read; false means a read ran off the packet.
func (b *builder) walkProps(end int) bool {
	raw := b.raw
	need := func(n int) bool { return b.pos+n <= len(raw) }
	u := func(n int) uint64 {
		var v uint64
		for _, c := range raw[b.pos : b.pos+n] {
			v = v<<8 | uint64(c)
		}
		b.pos += n
		return v
	}
	for b.pos < end {
		if !need(1) {
			return false
		}
		id := raw[b.pos]
		b.uint(fPropID, uint64(id))
		b.pos++
		switch propKinds[id] {
		case propByte, propMaxQoS:
			if !need(1) {
				return false
			}
			f := fPropNumber
			if propKinds[id] == propMaxQoS {
				f = fPropMaxQoS
			}
			b.uint(f, u(1))
		case propU16, propAlias:
			if !need(2) {
				return false
			}
			f := fPropNumber
			if propKinds[id] == propAlias {
				f = fPropTopicAlias
			}
			b.uint(f, u(2))
		case propU32:
			if !need(4) {
				return false
			}
			b.uint(fPropNumber, u(4))
		case propVarint:
			v, w, ok := protobufVarint(raw[b.pos:], 10)
			if !ok {
				return false
			}
			b.uint(fPropNumber, v)
			b.pos += w
		case propContentType:
			if !need(2) {
				return false
			}
			n := int(raw[b.pos])<<8 | int(raw[b.pos+1])
			if !need(2 + n) {
				return false
			}
			b.contentType, b.hasCT = bytesToString(raw[b.pos+2:b.pos+2+n]), true
			b.str(fPropContentType, b.contentType)
			b.pos += 2 + n
		case propString:
			if !b.walkString(fPropStringLen, fPropString) {
				return false
			}
		case propPair:
			if !b.walkString(fPropKeyLen, fPropKey) || !b.walkString(fPropValueLen, fPropValue) {
				return false
			}
		default:
			if end > len(raw) {
				return false
			}
			b.str(fPropUnknown, bytesToString(raw[b.pos:end]))
			b.pos = end
		}
	}
	return true
}

// walkString reads a two-byte length and its string from raw.
func (b *builder) walkString(lf, sf *Field) bool {
	if b.pos+2 > len(b.raw) {
		return false
	}
	n := int(b.raw[b.pos])<<8 | int(b.raw[b.pos+1])
	b.uint(lf, uint64(n))
	b.pos += 2
	if b.pos+n > len(b.raw) {
		return false
	}
	b.str(sf, bytesToString(b.raw[b.pos:b.pos+n]))
	b.pos += n
	return true
}
