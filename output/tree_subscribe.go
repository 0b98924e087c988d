package output

import "github.com/mqtap/mqtap/mqttwire"

// subscribe: message id, v5 properties, then topic and options pairs while
// bytes remain; 5.0 shows the options byte bit by bit.
func (b *builder) subscribe(p *mqttwire.Subscribe) {
	if !b.msgID(p.PacketID) {
		return
	}
	if b.d.Version == mqttwire.V5 && !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
		return
	}
	if b.rawTail {
		b.malformed() // not followed further (see Limitations in doc.go)
		return
	}
	last := ""
	for i, s := range p.Subscriptions {
		b.uint(fTopicLen, uint64(len(s.Filter)))
		if len(s.Filter) > 0 {
			b.str(fTopic, s.Filter)
			last = s.Filter
		} else {
			b.expert(eiIllegalLength)
		}
		b.pos += 2 + len(s.Filter)
		b.info = append(b.info, " ["...)
		b.info = appendValidUTF8(b.info, last)
		b.info = append(b.info, ']')
		if i == len(p.Subscriptions)-1 && b.failsAt(mqttwire.FieldSubOptions, nil) {
			return
		}
		if b.d.Version == mqttwire.V5 {
			b.bits(fSubOpts, s.Options, fSubOptReserved, fSubOptRetain, fSubOptRAP, fSubOptNL, fSubOptQoS)
		} else {
			b.uint(fSubQoS, uint64(s.Options))
		}
		b.pos++
	}
	b.failsAt(mqttwire.FieldTopicFilter, fTopicLen)
}

// unsubscribe: message id, v5 properties, then topics while bytes remain.
func (b *builder) unsubscribe(p *mqttwire.Unsubscribe) {
	if !b.msgID(p.PacketID) {
		return
	}
	if b.d.Version == mqttwire.V5 && !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
		return
	}
	if b.rawTail {
		b.malformed() // not followed further (see Limitations in doc.go)
		return
	}
	for _, f := range p.Filters {
		b.uint(fTopicLen, uint64(len(f)))
		if len(f) > 0 {
			b.str(fTopic, f)
		} else {
			b.expert(eiIllegalLength)
		}
		b.pos += 2 + len(f)
	}
	b.failsAt(mqttwire.FieldTopicFilter, fTopicLen)
}

// suback: message id, v5 properties, then one granted QoS (3.x) or reason
// code (5.0 and unknown versions) per remaining byte.
func (b *builder) suback(p *mqttwire.Suback) {
	if !b.msgID(p.PacketID) {
		return
	}
	v := b.d.Version
	codes := p.ReasonCodes
	if v == mqttwire.V5 {
		if !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
			return
		}
		if b.rawTail {
			codes = nil
			for _, c := range b.raw[b.pos:] {
				codes = append(codes, mqttwire.ReasonCode(c))
			}
		}
	}
	f := fRCSuback
	if v == mqttwire.V31 || v == mqttwire.V311 {
		f = fSubackQoS
	}
	for _, c := range codes {
		b.uint(f, uint64(c))
	}
}

// unsuback: message id, and in 5.0 properties and one reason code per
// remaining byte.
func (b *builder) unsuback(p *mqttwire.Unsuback) {
	if !b.msgID(p.PacketID) {
		return
	}
	if b.d.Version != mqttwire.V5 {
		return
	}
	if !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
		return
	}
	codes := p.ReasonCodes
	if b.rawTail {
		codes = nil
		for _, c := range b.raw[b.pos:] {
			codes = append(codes, mqttwire.ReasonCode(c))
		}
	}
	for _, c := range codes {
		b.uint(fRCUnsuback, uint64(c))
	}
}
