package output

import (
	"strconv"

	"github.com/mqtap/mqtap/mqttwire"
)

// publish follows tshark's PUBLISH: topic (none for length 0), message id
// when the QoS bits are not 0, v5 properties and the topic alias, then the
// message. Info gets " (id=N)" and " [topic]" as tshark appends them.
func (b *builder) publish(p *mqttwire.Publish) {
	if b.failsAt(mqttwire.FieldTopic, fTopicLen) {
		return
	}
	b.uint(fTopicLen, uint64(len(p.Topic)))
	topicAt := len(b.items) - 1
	if len(p.Topic) > 0 {
		b.str(fTopic, p.Topic)
	}
	b.pos += 2 + len(p.Topic)
	if b.raw[0]&0x06 != 0 {
		if b.failsAt(mqttwire.FieldPacketID, nil) {
			return
		}
		b.uint(fMsgID, uint64(p.PacketID))
		b.pos += 2
		b.info = append(b.info, " (id="...)
		b.info = strconv.AppendUint(b.info, uint64(p.PacketID), 10)
		b.info = append(b.info, ')')
	}
	topic := p.Topic
	alias := uint32(0)
	if b.d.Version == mqttwire.V5 {
		if !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
			return
		}
		alias, _ = p.Properties.Int(mqttwire.PropTopicAlias)
		switch b.d.aliasState {
		case aliasResolved:
			topic = b.d.aliasTopic
			b.add(item{f: fTopic, s: topic, generated: true})
		case aliasUnknown:
			b.add(item{f: fTopic, generated: true})
			b.expert(eiUnknownTopicAlias)
		}
	}
	if len(p.Topic) == 0 && alias == 0 {
		// tshark hangs this note on the Topic Length item.
		b.insertExpert(topicAt, eiIllegalLength)
	}
	b.info = append(b.info, " ["...)
	b.info = appendValidUTF8(b.info, topic)
	b.info = append(b.info, ']')
	payload := p.Payload
	if b.rawTail { // the properties were walked past the codec's stop
		payload = b.raw[min(b.pos, len(b.raw)):]
	}
	if b.d.Reported > len(b.d.Raw) {
		// The message runs to the PDU's end, into the bytes the capture
		// cut: tshark adds no item for it.
		b.malformed()
		return
	}
	b.bytes(fMsg, payload)
	if b.d.Version == mqttwire.V5 {
		// Never nil, so that an empty payload is still handed over.
		b.payload = payload[:len(payload):len(payload)]
		if payload == nil {
			b.payload = []byte{}
		}
	}
}

// insertExpert puts an expert item right after item i, as its child.
func (b *builder) insertExpert(i int, e *expert) {
	b.items = append(b.items, item{})
	copy(b.items[i+2:], b.items[i+1:])
	b.items[i+1] = item{ex: e, depth: b.items[i].depth + 1}
}
