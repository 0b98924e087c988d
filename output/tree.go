package output

import (
	"io"
	"sync"
)

// sectionTitle starts every MQTT section of tshark -V.
const sectionTitle = protocolName + ", "

// protocolName is the protocol item's label: the section's title before
// the message type is appended.
const protocolName = "MQ Telemetry Transport Protocol"

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// WriteTree writes the PDU's section of tshark 4.0's packet details (-V):
// the "MQ Telemetry Transport Protocol, <type>" line, the fields indented
// four spaces per level, and the "[Malformed Packet: MQTT]" block when the
// PDU is malformed. pal may be nil (no colour).
func WriteTree(w io.Writer, d *Dissection, p Prefs, pal *Palette) error {
	return writeTree(w, d, p, pal, false)
}

// WriteTreeOnlyMQTT writes the PDU's section as tshark -O mqtt shows it:
// the MQTT tree expanded as WriteTree does, but the sections of the other
// protocols it brings (the payload's "JavaScript Object Notation: ..." and
// "Line-based text data: ...", "[Malformed Packet: MQTT]", "[Dissector
// bug, ...]") as their title line alone.
func WriteTreeOnlyMQTT(w io.Writer, d *Dissection, p Prefs, pal *Palette) error {
	return writeTree(w, d, p, pal, true)
}

func writeTree(w io.Writer, d *Dissection, p Prefs, pal *Palette, onlyMQTT bool) error {
	bp := bufPool.Get().(*[]byte)
	buf := appendTree((*bp)[:0], d, p, pal, onlyMQTT)
	_, err := w.Write(buf)
	*bp = buf
	bufPool.Put(bp)
	return err
}

// AppendTree appends what WriteTree writes to dst.
func AppendTree(dst []byte, d *Dissection, p Prefs, pal *Palette) []byte {
	return appendTree(dst, d, p, pal, false)
}

// AppendTreeOnlyMQTT appends what WriteTreeOnlyMQTT writes to dst.
func AppendTreeOnlyMQTT(dst []byte, d *Dissection, p Prefs, pal *Palette) []byte {
	return appendTree(dst, d, p, pal, true)
}

func appendTree(dst []byte, d *Dissection, p Prefs, pal *Palette, onlyMQTT bool) []byte {
	if p.AutoMsgText {
		p.ShowMsgAsText = printableMessage(d)
	}
	t := byte(0)
	if len(d.Raw) > 0 {
		t = d.Raw[0] >> 4
	}
	mark := len(dst)
	if d.b.bare {
		dst = append(dst, protocolName...)
	} else {
		dst = append(dst, sectionTitle...)
		dst = append(dst, msgTypeVals[t]...)
	}
	dst = pal.wrap(dst, mark, roleTitle)
	dst = append(dst, '\n')
	items := d.b.items
	for i := range items {
		if items[i].short {
			dst = appendShortTitle(dst, &items[i], pal)
			continue
		}
		if items[i].malformed && onlyMQTT {
			// The marker is the _ws.malformed protocol's section, not MQTT's.
			dst = appendMalformedTitle(dst, pal)
			continue
		}
		dst = appendItem(dst, items, i, p, pal)
	}
	return appendSubSections(dst, d, p, pal, onlyMQTT)
}

// ShortMarker is the line tshark ends a PDU with when it read past the
// bytes the capture's snap length kept (a BoundsError).
const ShortMarker = "[Packet size limited during capture: MQTT truncated]"

// appendShortTitle appends the ShortMarker line, or for a PDU that also
// ran past its segment tshark's "[BoundError Unreassembled Packet: MQTT]"
// and its expert info.
func appendShortTitle(dst []byte, it *item, pal *Palette) []byte {
	mark := len(dst)
	if it.unreasm {
		dst = append(dst, "[BoundError Unreassembled Packet: MQTT]"...)
		dst = pal.wrap(dst, mark, roleMalformed)
		dst = append(dst, '\n')
		return appendExpert(dst, eiUnreassembled, 1, pal)
	}
	dst = append(dst, ShortMarker...)
	dst = pal.wrap(dst, mark, roleMalformed)
	return append(dst, '\n')
}

// appendMalformedTitle appends the "[Malformed Packet: MQTT]" line.
func appendMalformedTitle(dst []byte, pal *Palette) []byte {
	mark := len(dst)
	dst = append(dst, "[Malformed Packet: MQTT]"...)
	dst = pal.wrap(dst, mark, roleMalformed)
	return append(dst, '\n')
}

func indent(dst []byte, depth uint8) []byte {
	for i := uint8(0); i < depth; i++ {
		dst = append(dst, "    "...)
	}
	return dst
}

// appendItem appends the line(s) of items[i].
func appendItem(dst []byte, items []item, i int, p Prefs, pal *Palette) []byte {
	it := &items[i]
	switch {
	case it.malformed:
		dst = appendMalformedTitle(dst, pal)
		return appendExpert(dst, eiMalformed, 1, pal)
	case it.ex != nil:
		return appendExpert(dst, it.ex, it.depth, pal)
	}
	f := fieldFor(it.f, p)
	dst = indent(dst, it.depth)
	start := len(dst)
	if f.Kind == KindText {
		dst = appendFormatText(dst, it.s)
		dst = truncateLabel(dst, start, start)
		dst = pal.wrap(dst, start, roleValue)
		return append(dst, '\n')
	}
	if it.generated {
		// The brackets are not part of the label (nor of its length).
		dst = append(dst, '[')
		start++
	}
	if f.Mask != 0 {
		dst = appendBitPattern(dst, byte(it.u), byte(f.Mask))
		dst = append(dst, " = "...)
	}
	dst = append(dst, f.Label...)
	nameEnd := len(dst)
	if f.Kind != KindNone {
		dst = append(dst, ": "...)
		dst = appendValue(dst, f, it)
		if isBitmask(f) {
			dst = appendSummary(dst, items, i)
		}
		dst = truncateLabel(dst, start, nameEnd)
	}
	dst = pal.colorLine(dst, start)
	if it.generated {
		dst = append(dst, ']')
	}
	dst = append(dst, '\n')
	if f.Kind == KindString && !f.Counted {
		if _, stray := cutNUL(itemString(it)); stray {
			dst = appendExpert(dst, eiTrailingStray, it.depth+1, pal)
		}
	}
	return dst
}

// fieldFor swaps the message fields for their text twins under
// mqtt.show_msg_as_text, as tshark registers both.
func fieldFor(f *Field, p Prefs) *Field {
	if p.ShowMsgAsText {
		switch f {
		case fMsg:
			return fMsgText
		case fWillMsg:
			return fWillMsgText
		}
	}
	return f
}

func itemString(it *item) string {
	if it.b != nil {
		return bytesToString(it.b)
	}
	return it.s
}

// appendValue appends the displayed value of an item.
func appendValue(dst []byte, f *Field, it *item) []byte {
	switch f.Kind {
	case KindBool:
		if fieldValue(f, it.u) != 0 {
			return append(dst, "Set"...)
		}
		return append(dst, "Not set"...)
	case KindUint:
		v := fieldValue(f, it.u)
		if f.Vals != nil {
			if name, ok := f.Vals.Name(v); ok {
				dst = append(dst, name...)
			} else {
				dst = append(dst, "Unknown"...)
			}
			dst = append(dst, " ("...)
			dst = appendUint(dst, f, v)
			return append(dst, ')')
		}
		return appendUint(dst, f, v)
	case KindString:
		s, _ := cutNUL(itemString(it))
		return appendDisplayString(dst, s)
	case KindBytes:
		return appendHexBytes(dst, it.b)
	case KindCString:
		return appendFormatText(dst, it.s)
	}
	return dst
}

// fieldValue is the field's value: the masked bits shifted down.
func fieldValue(f *Field, v uint64) uint64 {
	if f.Mask == 0 {
		return v
	}
	return (v & uint64(f.Mask)) >> maskShift(f.Mask)
}

func isBitmask(f *Field) bool {
	return f == fHdrFlags || f == fConFlags || f == fConackFlags || f == fSubOpts
}

// appendSummary appends what proto_tree_add_bitmask puts after the byte:
// ", Name: value" for children with value strings and ", Name" for set
// booleans.
func appendSummary(dst []byte, items []item, i int) []byte {
	d := items[i].depth
	for j := i + 1; j < len(items) && items[j].depth > d; j++ {
		c := &items[j]
		if c.f == nil || c.depth != d+1 {
			continue
		}
		switch {
		case c.f.Kind == KindBool && fieldValue(c.f, c.u) != 0:
			dst = append(dst, ", "...)
			dst = append(dst, c.f.Label...)
		case c.f.Kind == KindUint && c.f.Vals != nil:
			dst = append(dst, ", "...)
			dst = append(dst, c.f.Label...)
			dst = append(dst, ": "...)
			if name, ok := c.f.Vals.Name(fieldValue(c.f, c.u)); ok {
				dst = append(dst, name...)
			} else {
				dst = append(dst, "Unknown"...)
			}
		}
	}
	return dst
}

// appendBitPattern shows the byte with the bits outside the mask as dots:
// "...0 1... ".
func appendBitPattern(dst []byte, v, mask byte) []byte {
	for i := 7; i >= 0; i-- {
		bit := byte(1) << uint(i)
		switch {
		case mask&bit == 0:
			dst = append(dst, '.')
		case v&bit != 0:
			dst = append(dst, '1')
		default:
			dst = append(dst, '0')
		}
		if i == 4 {
			dst = append(dst, ' ')
		}
	}
	return dst
}

// appendExpert appends an expert info and its three children.
func appendExpert(dst []byte, e *expert, depth uint8, pal *Palette) []byte {
	dst = indent(dst, depth)
	mark := len(dst)
	dst = append(dst, "[Expert Info ("...)
	dst = append(dst, e.Severity...)
	dst = append(dst, '/')
	dst = append(dst, e.Group...)
	dst = append(dst, "): "...)
	dst = append(dst, e.Message...)
	dst = append(dst, ']')
	dst = pal.wrap(dst, mark, roleExpert)
	dst = append(dst, '\n')
	dst = indent(dst, depth+1)
	dst = append(dst, '[')
	dst = append(dst, e.Message...)
	dst = append(dst, "]\n"...)
	dst = indent(dst, depth+1)
	dst = append(dst, "[Severity level: "...)
	dst = append(dst, e.Severity...)
	dst = append(dst, "]\n"...)
	dst = indent(dst, depth+1)
	dst = append(dst, "[Group: "...)
	dst = append(dst, e.Group...)
	return append(dst, "]\n"...)
}

// Info is the PDU's text in tshark's Info column ("Publish Message (id=1)
// [a/b]"); the caller joins the PDUs of one frame with ", ".
func Info(d *Dissection) string { return string(d.b.info) }

// AppendInfo appends Info(d) to dst.
func AppendInfo(dst []byte, d *Dissection) []byte { return append(dst, d.b.info...) }

// Malformed reports whether tshark would mark this PDU "[Malformed Packet]".
func (d *Dissection) Malformed() bool {
	n := len(d.b.items)
	return n > 0 && d.b.items[n-1].malformed && !d.b.items[n-1].short
}

// Short reports whether tshark would end this PDU with "[Packet size
// limited during capture: MQTT truncated]": the capture cut it.
func (d *Dissection) Short() bool {
	n := len(d.b.items)
	return n > 0 && d.b.items[n-1].short
}

// TypeName is the message type name of the PDU ("Publish Message").
func (d *Dissection) TypeName() string {
	if len(d.Raw) == 0 {
		return msgTypeVals[0]
	}
	return msgTypeVals[d.Raw[0]>>4]
}
