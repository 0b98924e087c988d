package output

import (
	"strconv"

	"github.com/mqtap/mqtap/mqttwire"
)

// msgID adds the Message Identifier and its " (id=N)" in Info.
func (b *builder) msgID(id uint16) bool {
	if b.failsAt(mqttwire.FieldPacketID, nil) {
		return false
	}
	b.uint(fMsgID, uint64(id))
	b.pos += 2
	b.info = append(b.info, " (id="...)
	b.info = strconv.AppendUint(b.info, uint64(id), 10)
	b.info = append(b.info, ')')
	return true
}

// ack is PUBACK, PUBREC, PUBREL and PUBCOMP: in 5.0 the reason code when
// the remaining length is over 2, the properties when it is over 3.
func (b *builder) ack(p *mqttwire.Ack, t int) {
	if !b.msgID(p.PacketID) {
		return
	}
	n := p.Fixed.Remaining
	if b.d.Version != mqttwire.V5 || n <= 2 {
		return
	}
	if b.failsAt(mqttwire.FieldReasonCode, nil) {
		return
	}
	if b.left() < 1 { // the input ended inside the PDU
		b.malformed()
		return
	}
	b.uint(reasonFields[t], uint64(p.ReasonCode))
	b.pos++
	if n > 3 {
		b.properties(fProperties, &p.Properties, mqttwire.FieldProperties)
	}
}

// reasonTail is DISCONNECT and AUTH: in 5.0 a reason code when the
// remaining length is over 0, properties when it is over 1.
func (b *builder) reasonTail(code mqttwire.ReasonCode, ps *mqttwire.Properties, t int) {
	n := b.d.Packet.Header().Remaining
	if b.d.Version != mqttwire.V5 || n == 0 {
		return
	}
	if b.left() < 1 { // the input ended inside the PDU
		b.malformed()
		return
	}
	b.uint(reasonFields[t], uint64(code))
	b.pos++
	if n > 1 {
		b.properties(fProperties, ps, mqttwire.FieldProperties)
	}
}
