package output

import (
	"errors"

	"github.com/mqtap/mqtap/mqttwire"
)

// item is one line of the tree (and one key of the JSON layer): a field
// with its value, an expert info about the item before it, or the
// malformed-packet marker. A PDU's tree is a flat list of items with depths,
// built once in tshark's order; text and JSON are two walks over it.
type item struct {
	f         *Field
	ex        *expert // set for an expert-info item
	depth     uint8
	generated bool // [Topic: ...] lines tshark makes up
	malformed bool // the [Malformed Packet: MQTT] marker
	short     bool // with malformed: the capture was cut there instead
	unreasm   bool // with short: and the PDU ran past its segment
	u         uint64
	s         string
	b         []byte
}

// builder walks a decoded packet in the order tshark 4.0's dissector does,
// collecting items and the Info column text. pos follows the raw bytes, so
// a malformed packet can be shown exactly as far as tshark shows it.
type builder struct {
	items []item
	info  []byte
	d     *Dissection
	raw   []byte
	pos   int
	depth uint8
	bad   *mqttwire.MalformedError
	stop  bool // the structure ended (malformed, or tshark would stop)
	// rawTail is set when the properties were walked past where the codec
	// stopped: what follows comes from the raw bytes.
	rawTail bool
	// contentType is the last Content Type property seen (tshark keeps the
	// last), hasCT whether there was one; payload is a PUBLISH's message,
	// handed to the sub-dissector the content type names once the tree is
	// known not to be malformed.
	contentType string
	hasCT       bool
	payload     []byte
	// bare: tshark's exception came before it named the type in the title
	// or added any field (the remaining length runs past the PDU), so the
	// section is its title alone: "MQ Telemetry Transport Protocol".
	bare bool
}

func (b *builder) add(it item) {
	it.depth = b.depth
	b.items = append(b.items, it)
}

func (b *builder) uint(f *Field, v uint64) { b.add(item{f: f, u: v}) }
func (b *builder) str(f *Field, s string)  { b.add(item{f: f, s: s}) }
func (b *builder) bytes(f *Field, v []byte) {
	b.add(item{f: f, b: v})
}
func (b *builder) expert(e *expert) { b.items = append(b.items, item{ex: e, depth: b.depth + 1}) }

// subtree adds a subtree item; the caller raises b.depth for its children.
func (b *builder) subtree(f *Field, v uint64) { b.add(item{f: f, u: v}) }

// bits adds a bitmask item (its children are the masked fields), as
// proto_tree_add_bitmask does.
func (b *builder) bits(f *Field, v byte, children ...*Field) {
	b.uint(f, uint64(v))
	b.depth++
	for _, c := range children {
		b.uint(c, uint64(v))
	}
	b.depth--
}

// malformed ends the PDU as tshark's exception handler does.
func (b *builder) malformed() {
	if b.stop {
		return
	}
	b.stop = true
	b.depth = 0
	if b.d.Reported > len(b.d.Raw) {
		// The read went past the bytes the snap length kept.
		if b.d.Unreassembled {
			b.items = append(b.items, item{malformed: true, short: true, unreasm: true})
			b.info = append(b.info, "[BoundErrorUnreassembled Packet]"...)
			return
		}
		b.items = append(b.items, item{malformed: true, short: true})
		if treelessReadsPastCut(b.d.Raw, b.d.Reported, b.d.Version) {
			// The packet list (no tree) met the cut too.
			b.info = append(b.info, "[Packet size limited during capture]"...)
		}
		return
	}
	b.items = append(b.items, item{malformed: true})
	b.info = append(b.info, "[Malformed Packet]"...)
}

// failsAt reports whether the codec could not follow the packet at field f;
// a declared length that overran is shown first, as tshark shows it.
func (b *builder) failsAt(f mqttwire.Field, lenField *Field) bool {
	if b.bad == nil || b.bad.Field != f {
		return false
	}
	if lenField != nil && b.bad.Length >= 0 {
		b.uint(lenField, uint64(b.bad.Length))
	}
	b.malformed()
	return true
}

// left is how many bytes of the PDU remain at pos.
func (b *builder) left() int { return len(b.raw) - b.pos }

// reportedLeft is tvb_reported_length_remaining: the bytes left of the
// PDU, those the capture cut included.
func (b *builder) reportedLeft() int {
	if b.d.Reported > len(b.d.Raw) {
		return b.d.Reported - b.pos
	}
	return b.left()
}

func (b *builder) build(d *Dissection) {
	b.d, b.raw = d, d.Raw
	var me *mqttwire.MalformedError
	if errors.As(d.Err, &me) {
		b.bad = me
	}
	if len(b.raw) == 0 {
		b.malformed()
		return
	}
	first := b.raw[0]
	t := first >> 4
	// tshark names the type in the Info column first, then reads the
	// remaining length before anything else goes in the tree.
	b.info = append(b.info, msgTypeVals[t]...)
	n, w, ok := protobufVarint(b.raw[1:], varintMaxLen)
	if !ok && len(b.raw)-1 < varintMaxLen {
		// It read past the PDU's bytes: its exception leaves the section
		// without its type, its expert infos or its header.
		b.bare = true
		b.malformed()
		return
	}
	if t != byte(mqttwire.TypeConnect) && d.Version == 0 {
		b.items = append(b.items, item{ex: eiUnknownVersion, depth: 1})
	}
	b.depth = 1
	b.header(first, t)
	b.pos = 1
	if !ok {
		b.malformed()
		return
	}
	b.uint(fMsgLen, n)
	b.pos += w
	if n <= uint64(len(d.Raw)-b.pos) {
		b.raw = b.raw[:b.pos+int(n)]
	} else {
		// The input ends inside the PDU: the codec says where.
		b.raw = d.Raw
	}
	if d.Packet == nil {
		if b.bad != nil && b.bad.Field == mqttwire.FieldRemainingLength {
			b.malformed() // a remaining length over 4 bytes the codec could not take
		}
		return // type 0 has no body tshark knows
	}
	switch p := d.Packet.(type) {
	case *mqttwire.Connect:
		b.connect(p)
	case *mqttwire.Connack:
		b.connack(p)
	case *mqttwire.Publish:
		b.publish(p)
	case *mqttwire.Puback:
		b.ack(&p.Ack, 4)
	case *mqttwire.Pubrec:
		b.ack(&p.Ack, 5)
	case *mqttwire.Pubrel:
		b.ack(&p.Ack, 6)
	case *mqttwire.Pubcomp:
		b.ack(&p.Ack, 7)
	case *mqttwire.Subscribe:
		b.subscribe(p)
	case *mqttwire.Suback:
		b.suback(p)
	case *mqttwire.Unsubscribe:
		b.unsubscribe(p)
	case *mqttwire.Unsuback:
		b.unsuback(p)
	case *mqttwire.Disconnect:
		b.reasonTail(p.ReasonCode, &p.Properties, 14)
	case *mqttwire.Auth:
		b.reasonTail(p.ReasonCode, &p.Properties, 15)
	}
	if b.bad != nil && !b.stop {
		// The codec gave up somewhere this walk did not look: tshark's
		// exception would have ended the PDU there too.
		b.malformed()
	}
	if b.hasCT && b.payload != nil && !b.stop {
		b.dissectPayload(b.contentType, b.payload)
	}
}

// header adds the Header Flags bitmask: PUBLISH shows DUP, QoS and Retain;
// in 3.1 PUBREL, SUBSCRIBE and UNSUBSCRIBE show DUP and QoS too.
func (b *builder) header(first, t byte) {
	switch {
	case t == byte(mqttwire.TypePublish):
		b.bits(fHdrFlags, first, fMsgType, fDupFlag, fQoS, fRetain)
	case b.d.Version == mqttwire.V31 && (t == 6 || t == 8 || t == 10):
		b.bits(fHdrFlags, first, fMsgType, fDupFlag, fQoS, fRetainReserved)
	default:
		b.bits(fHdrFlags, first, fMsgType, fHdrReserved)
	}
}

// varintMaxLen is FT_VARINT_MAX_LEN, as many bytes as tshark reads of
// the remaining length before it gives up (without an exception).
const varintMaxLen = 10

// protobufVarint reads a variable byte integer as tshark's tvb_get_varint
// does (up to max bytes; bits past 64 are lost); ok is false when it does
// not end in b.
func protobufVarint(b []byte, max int) (v uint64, n int, ok bool) {
	for i := 0; i < len(b) && i < max; i++ {
		v |= uint64(b[i]&0x7f) << (7 * uint(i))
		if b[i]&0x80 == 0 {
			return v, i + 1, true
		}
	}
	return 0, 0, false
}

// lenStr adds a two-byte length and its string, advancing pos; tshark adds
// no string item for length 0 where zero is illegal (ei), and an item with
// an empty value elsewhere.
func (b *builder) lenStr(lf, sf *Field, s string) {
	b.uint(lf, uint64(len(s)))
	b.str(sf, s)
	b.pos += 2 + len(s)
}
