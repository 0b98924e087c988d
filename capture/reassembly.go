package capture

// PDU desegmentation following Wireshark's tcp_dissect_pdus/desegment_tcp
// for a dissector whose PDU length is known from its first bytes.
//
// Per direction we keep at most one pending multi-segment PDU (MSP): the
// bytes received so far (grown as data arrives, never allocated up front) and
// the frames that contributed them. Data is consumed strictly in sequence
// order: retransmitted bytes are skipped, and a hole (segment not captured)
// drops the pending PDU and restarts parsing at the new segment, which is
// what tshark does without out-of-order reassembly.

// PDULen returns the total length of the PDU that starts at b[0], or
// ok=false when b is too short to tell. err != nil means the bytes cannot
// start a PDU.
type PDULen func(b []byte) (n int, ok bool, err error)

// tail items are the lines desegmentation adds at the end of the TCP tree.
const (
	tailPDUSize = iota // [PDU Size: n]
	tailSegData        // TCP segment data (n bytes)
	tailRetrans        // Retransmitted TCP segment data (n bytes)
)

type tailItem struct {
	kind int
	n    int
	off  int // where the item's bytes start in the segment payload
}

type fragRef struct {
	frame, n int
}

type deseg struct {
	started bool
	next    uint32 // raw sequence number of the next byte to consume
	pending bool
	need    int // total length of the pending PDU; 0 = not yet known
	buf     []byte
	frags   []fragRef
	skip    int // bytes still to skip of a PDU refused for its size
}

// segResult is what one segment produced.
type segResult struct {
	tail       []tailItem
	pdus       []PDU
	startedMSP bool // the segment's first byte starts a PDU left incomplete
	continued  bool // the segment only adds to an earlier pending PDU
	gotPayload bool
	retransmit bool // nothing new: all bytes were already seen
}

// feed consumes one segment's payload. cp copies bytes into PDU storage
// owned by the caller.
func (d *deseg) feed(r *segResult, data []byte, seq uint32, frame int, pdulen PDULen, maxPDU int, prelude func(frags []fragRef, total []byte) []Section) {
	if len(data) == 0 {
		return
	}
	r.gotPayload = true
	base := 0 // bytes trimmed from the front: offsets below are relative to data
	if !d.started {
		d.started, d.next = true, seq
	}
	switch {
	case seqLT(seq, d.next):
		old := d.next - seq
		if uint32(len(data)) <= old {
			r.retransmit = true
			r.tail = append(r.tail, tailItem{tailRetrans, len(data), 0})
			return
		}
		data = data[old:]
		base = int(old)
	case seqGT(seq, d.next):
		// Hole: what was pending can never complete.
		d.pending, d.need, d.buf, d.frags, d.skip = false, 0, d.buf[:0], d.frags[:0], 0
	}
	d.next = seq + uint32(len(data))
	off := 0
	if d.skip > 0 {
		n := min(d.skip, len(data))
		d.skip -= n
		r.tail = append(r.tail, tailItem{tailSegData, n, base})
		off = n
		if d.skip > 0 {
			r.continued = true
			return
		}
	}
	if d.pending {
		take := len(data)
		if d.need == 0 {
			// Length unknown: learn it from the buffered bytes plus this
			// segment, without buffering more than needed.
			probe := append(d.buf, data...)
			n, ok, err := pdulen(probe)
			d.buf = probe[:len(d.buf)]
			if err != nil {
				d.pending, d.buf, d.frags = false, d.buf[:0], d.frags[:0]
				r.tail = append(r.tail, tailItem{tailSegData, len(data), base})
				return
			}
			if ok {
				if n > maxPDU {
					d.skip = n - len(d.buf)
					d.pending, d.buf, d.frags = false, d.buf[:0], d.frags[:0]
					d.feedSkip(r, data, base, frame, pdulen, maxPDU)
					return
				}
				d.need = n
			}
		}
		if d.need > 0 {
			take = min(d.need-len(d.buf), len(data))
		}
		d.buf = append(d.buf, data[:take]...)
		d.frags = append(d.frags, fragRef{frame, take})
		if d.need == 0 || len(d.buf) < d.need {
			r.tail = append(r.tail, tailItem{tailSegData, len(data), base})
			r.continued = true
			return
		}
		pdu := make([]byte, len(d.buf))
		copy(pdu, d.buf)
		r.tail = append(r.tail, tailItem{tailPDUSize, len(pdu), base}, tailItem{tailSegData, take, base})
		r.pdus = append(r.pdus, PDU{Data: pdu, Reassembled: true, Prelude: prelude(d.frags, pdu),
			frags: append([]fragRef(nil), d.frags...)})
		d.pending, d.need, d.buf, d.frags = false, 0, d.buf[:0], d.frags[:0]
		off = take
	}
	d.parse(r, data, base, off, frame, pdulen, maxPDU)
}

// feedSkip handles the rest of a segment after a PDU was refused for size.
func (d *deseg) feedSkip(r *segResult, data []byte, base, frame int, pdulen PDULen, maxPDU int) {
	n := min(d.skip, len(data))
	d.skip -= n
	r.tail = append(r.tail, tailItem{tailSegData, n, base})
	if d.skip > 0 {
		r.continued = true
		return
	}
	d.parse(r, data, base, n, frame, pdulen, maxPDU)
}

// parse is tcp_dissect_pdus over data[off:]: complete PDUs are delivered,
// a trailing partial PDU becomes the pending MSP.
func (d *deseg) parse(r *segResult, data []byte, base, off, frame int, pdulen PDULen, maxPDU int) {
	for off < len(data) {
		rest := data[off:]
		n, ok, err := pdulen(rest)
		if err != nil {
			// Not a PDU start: hand the rest to the decoder as one PDU so
			// it can report it malformed, as tshark does.
			pdu := rest[:len(rest):len(rest)]
			r.tail = append(r.tail, tailItem{tailPDUSize, len(pdu), base + off})
			r.pdus = append(r.pdus, PDU{Data: pdu})
			return
		}
		if !ok || n > len(rest) {
			if ok && n > maxPDU {
				d.skip = n - len(rest)
				r.tail = append(r.tail, tailItem{tailSegData, len(rest), base + off})
				r.startedMSP = off == 0
				return
			}
			d.pending = true
			if ok {
				d.need = n
			} else {
				d.need = 0
			}
			d.buf = append(d.buf[:0], rest...)
			d.frags = append(d.frags[:0], fragRef{frame, len(rest)})
			r.tail = append(r.tail, tailItem{tailSegData, len(rest), base + off})
			r.startedMSP = off == 0
			return
		}
		if n <= 0 {
			n = len(rest)
		}
		// A PDU inside one segment is not copied: it points into the
		// frame, valid until the next frame is read, like the frame.
		pdu := rest[:n:n]
		r.tail = append(r.tail, tailItem{tailPDUSize, n, base + off})
		r.pdus = append(r.pdus, PDU{Data: pdu})
		off += n
	}
}
