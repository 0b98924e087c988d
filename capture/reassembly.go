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
//
// It is asked only once b holds pduFixedLen bytes, and its answer is taken
// as tcp_dissect_pdus takes get_pdu_len's: n modulo 2^32 (a guint), 0
// meaning one more segment is needed, less than pduFixedLen a bounds
// error. Too short to tell then is get_pdu_len reading past the bytes
// there, an exception: the frame is marked malformed and the rest of the
// segment dropped (see Packet.Malformed).
type PDULen func(b []byte) (n int, ok bool, err error)

// pduFixedLen is MQTT's fixed_len for tcp_dissect_pdus: the bytes needed
// before its length function is called.
const pduFixedLen = 2

// lenState is what tcp_dissect_pdus makes of the bytes at a PDU start.
type lenState int

const (
	lenOK    lenState = iota
	lenMore           // fewer than pduFixedLen bytes, or a length of 0: one more segment
	lenThrow          // get_pdu_len threw, or gave less than pduFixedLen: malformed
	lenErr            // PDULen refused the bytes: they go to the decoder as one PDU
)

// pduLength applies tcp_dissect_pdus's rules to PDULen's answer for b.
func pduLength(pdulen PDULen, b []byte) (int, lenState) {
	if len(b) < pduFixedLen {
		return 0, lenMore
	}
	n, ok, err := pdulen(b)
	switch {
	case err != nil:
		return 0, lenErr
	case !ok:
		return 0, lenThrow
	}
	switch plen := uint32(n); {
	case plen == 0:
		return 0, lenMore
	case plen < pduFixedLen:
		return 0, lenThrow
	default:
		return int(plen), lenOK
	}
}

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
	next    uint32 // raw sequence number of the byte after the last one seen
	msp            // the pending PDU, if any
	// held are earlier PDUs left incomplete with bytes missing when the
	// stream went on past them: tshark keeps every multi-segment PDU, and
	// an out-of-order segment can still complete one (see feed).
	held []msp
	skip int // bytes still to skip of a PDU refused for its size
	// skipCut: the bytes skipped are the rest of a PDU begun in a segment
	// the snap length cut (see feedCut).
	skipCut bool
}

// maxHeld bounds the incomplete PDUs kept per direction.
const maxHeld = 16

// msp is a multi-segment PDU being reassembled.
type msp struct {
	pending bool
	start   uint32 // raw sequence number of its first byte
	end     uint32 // of the byte after it: tshark's nxtpdu (for a PDU of unknown length, one byte into the next segment)
	need    int    // total length; 0 = not yet known
	buf     []byte // its bytes from the start up to the first hole
	frags   []fragRef
	// later holds segments received after a hole, in order of offset.
	later []laterFrag
}

// laterFrag is a segment of a PDU beyond a hole.
type laterFrag struct {
	off   int // from the PDU's start
	data  []byte
	frame int
}

// segResult is what one segment produced.
type segResult struct {
	tail       []tailItem
	pdus       []PDU
	startedMSP bool // the segment's first byte starts a PDU left incomplete
	continued  bool // the segment only adds to an earlier pending PDU
	gotPayload bool
	retransmit bool // nothing new: all bytes were already seen
	// malformed: tshark's length function threw (see PDULen); the
	// segment's bytes from there on are dropped. malformedReasm says it
	// happened in the dissector call on reassembled data.
	malformed, malformedReasm bool
	// short: a PDU start or length lay in bytes the snap length cut off
	// (tshark: "[Packet size limited during capture: MQTT truncated]").
	short bool
	// undissected is a PDU that an out-of-order segment completed: tshark
	// shows its reassembly (Prelude) but gives it to no dissector.
	undissected *PDU
}

// drop forgets the pending PDU.
func (d *deseg) drop() {
	d.pending, d.need, d.buf, d.frags, d.later, d.skip, d.skipCut = false, 0, d.buf[:0], d.frags[:0], d.later[:0], 0, false
}

// hold keeps the pending PDU, bytes missing, among the held ones.
func (d *deseg) hold() {
	if !d.pending {
		return
	}
	if len(d.held) == maxHeld {
		d.held = append(d.held[:0], d.held[1:]...)
	}
	d.held = append(d.held, d.msp)
	d.msp = msp{}
}

// owner is the incomplete PDU that tshark adds a segment starting at seq
// to: the one that starts last before seq, if its range holds seq.
func (d *deseg) owner(seq uint32) *msp {
	var best *msp
	consider := func(m *msp) {
		if seqLT(m.start, seq) && (best == nil || seqGT(m.start, best.start)) {
			best = m
		}
	}
	for i := range d.held {
		consider(&d.held[i])
	}
	if d.pending && d.skip == 0 {
		consider(&d.msp)
	}
	if best == nil || !seqLT(seq, best.end) {
		return nil
	}
	return best
}

// feed consumes one segment's payload. noApp marks a segment that tshark
// gives to no dissector (out-of-order, spurious retransmission): it still
// takes its place in an incomplete PDU whose sequence range holds it, and
// may complete it, but the PDU is then not dissected either.
func (d *deseg) feed(r *segResult, data []byte, seq uint32, frame int, noApp bool, pdulen PDULen, maxPDU int, prelude func(frags []fragRef, total []byte) []Section) {
	if len(data) == 0 {
		return
	}
	if !d.started {
		if noApp {
			return
		}
		d.started, d.next = true, seq
	}
	end := seq + uint32(len(data))
	if noApp {
		if m := d.owner(seq); m != nil {
			r.gotPayload = true
			d.fill(r, m, data, seq, frame, prelude)
		}
		return
	}
	if d.pending && d.need > 0 && d.skip == 0 {
		if have := d.start + uint32(len(d.buf)); seqGT(seq, have) && seqLT(seq, d.end) {
			// After a hole, inside the pending PDU: kept for when an
			// out-of-order segment fills the hole.
			r.gotPayload = true
			n := min(len(data), int(d.end-seq))
			d.msp.add(int(seq-d.start), data[:n], frame)
			if seqGT(end, d.next) {
				d.next = end
			}
			r.tail = append(r.tail, tailItem{tailSegData, n, 0})
			r.continued = true
			if n == len(data) {
				return
			}
			// The rest starts a new PDU; this one waits for its hole.
			d.hold()
			d.parse(r, data, 0, n, frame, pdulen, maxPDU)
			return
		}
	}
	r.gotPayload = true
	base := 0 // bytes trimmed from the front: offsets below are relative to data
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
		// A hole, and the bytes after it are outside the pending PDU:
		// only an out-of-order segment can still complete it.
		d.hold()
		d.drop()
	}
	if len(d.later) > 0 {
		// New bytes outside a pending PDU that has a hole.
		d.hold()
	}
	d.next = end
	off := 0
	if d.skip > 0 {
		n := min(d.skip, len(data))
		d.skip -= n
		r.tail = append(r.tail, tailItem{tailSegData, n, base})
		off = n
		if d.skip > 0 || d.skipCut && n == len(data) {
			r.continued = true
			d.skipCut = d.skip > 0
			return
		}
		d.skipCut = false
	}
	if d.pending {
		if d.need == 0 {
			// Length unknown: learn it from the buffered bytes plus this
			// segment, without buffering more than needed.
			probe := append(d.buf, data...)
			n, st := pduLength(pdulen, probe)
			d.buf = probe[:len(d.buf)]
			switch st {
			case lenErr:
				d.pending, d.buf, d.frags = false, d.buf[:0], d.frags[:0]
				r.tail = append(r.tail, tailItem{tailSegData, len(data), base})
				return
			case lenThrow:
				// tshark reassembled the segment with the bytes before
				// and its length function threw on them: no PDU, no
				// segment lines, and the next segment starts afresh.
				d.pending, d.buf, d.frags = false, d.buf[:0], d.frags[:0]
				r.malformed, r.malformedReasm = true, true
				return
			case lenOK:
				if n > maxPDU {
					d.skip = n - len(d.buf)
					d.pending, d.buf, d.frags = false, d.buf[:0], d.frags[:0]
					d.feedSkip(r, data, base, frame, pdulen, maxPDU)
					return
				}
				d.need, d.end = n, d.start+uint32(n)
			}
			if d.need == 0 || len(d.buf)+len(data) < d.need {
				// tshark handed the reassembled bytes to the
				// dissector, which asked for more from their start:
				// the Info column is only the segment label.
				if d.need == 0 {
					d.end = d.next + 1
				}
				d.buf = append(d.buf, data...)
				d.frags = append(d.frags, fragRef{frame, len(data)})
				r.tail = append(r.tail, tailItem{tailSegData, len(data), base})
				r.startedMSP = true
				return
			}
		}
		take := min(d.need-len(d.buf), len(data))
		d.buf = append(d.buf, data[:take]...)
		d.frags = append(d.frags, fragRef{frame, take})
		if len(d.buf) < d.need {
			r.tail = append(r.tail, tailItem{tailSegData, len(data), base})
			r.continued = true
			return
		}
		pdu := make([]byte, len(d.buf))
		copy(pdu, d.buf)
		r.tail = append(r.tail, tailItem{tailPDUSize, len(pdu), base}, tailItem{tailSegData, take, base})
		r.pdus = append(r.pdus, PDU{Data: pdu, Reassembled: true, Prelude: prelude(d.frags, pdu),
			frags: append([]fragRef(nil), d.frags...)})
		d.pending, d.need, d.buf, d.frags, d.later = false, 0, d.buf[:0], d.frags[:0], d.later[:0]
		off = take
	}
	d.parse(r, data, base, off, frame, pdulen, maxPDU)
}

// feedCut is feed for a segment the capture's snap length cut: data is
// what was captured of its seglen bytes. TCP cannot reassemble it, so
// tcp_dissect_pdus frames PDUs in it alone and hands each to the
// dissector as far as it was captured (PDU.Reported says how long it is);
// a PDU start or length past the captured bytes ends the segment with the
// short marker. A pending PDU is given up: its bytes cannot all come.
func (d *deseg) feedCut(r *segResult, data []byte, seglen int, seq uint32, pdulen PDULen) {
	// Not even the rest of a PDU an earlier cut segment began: tshark
	// tracks that only into segments it can desegment.
	d.hold()
	d.drop()
	d.started, d.next = true, seq+uint32(seglen)
	r.gotPayload = true
	for off := 0; off < seglen; {
		if off >= len(data) {
			r.short = true
			return
		}
		rest := data[off:]
		n, st := pduLength(pdulen, rest)
		switch st {
		case lenMore, lenThrow:
			r.short = true // the length runs into the cut bytes
			return
		case lenErr:
			r.tail = append(r.tail, tailItem{tailPDUSize, len(rest), off})
			r.pdus = append(r.pdus, PDU{Data: rest[:len(rest):len(rest)]})
			return
		}
		pdu := rest[:min(n, len(rest)):min(n, len(rest))]
		r.tail = append(r.tail, tailItem{tailPDUSize, n, off})
		r.pdus = append(r.pdus, PDU{Data: pdu, Reported: n, Unreassembled: off+n > seglen})
		if off+n > seglen {
			// tshark's PDU tracking: the segments up to the PDU's end
			// are shown as its continuation, the next one starts afresh.
			d.skip, d.skipCut = off+n-seglen, true
		}
		if n > len(rest) {
			return // the dissector stops at the cut
		}
		off += n
	}
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
		n, st := pduLength(pdulen, rest)
		switch st {
		case lenThrow:
			r.malformed = true
			return
		case lenErr:
			// Not a PDU start: hand the rest to the decoder as one PDU so
			// it can report it malformed, as tshark does.
			pdu := rest[:len(rest):len(rest)]
			r.tail = append(r.tail, tailItem{tailPDUSize, len(pdu), base + off})
			r.pdus = append(r.pdus, PDU{Data: pdu})
			return
		}
		if st == lenMore || n > len(rest) {
			if st == lenOK && n > maxPDU {
				d.skip = n - len(rest)
				r.tail = append(r.tail, tailItem{tailSegData, len(rest), base + off})
				r.startedMSP = off == 0
				return
			}
			d.pending = true
			d.need = n // 0 when unknown
			d.start = d.next - uint32(len(rest))
			d.end = d.start + uint32(n)
			if n == 0 {
				// One more segment, whatever its length.
				d.end = d.next + 1
			}
			d.buf = append(d.buf[:0], rest...)
			d.frags = append(d.frags[:0], fragRef{frame, len(rest)})
			r.tail = append(r.tail, tailItem{tailSegData, len(rest), base + off})
			r.startedMSP = off == 0
			return
		}
		// A PDU inside one segment is not copied: it points into the
		// frame, valid until the next frame is read, like the frame.
		pdu := rest[:n:n]
		r.tail = append(r.tail, tailItem{tailPDUSize, n, base + off})
		r.pdus = append(r.pdus, PDU{Data: pdu})
		off += n
	}
}

// add puts a segment's bytes b at off into the PDU: after its
// contiguous bytes (with the later segments that then follow on), or
// among the later ones after a hole.
func (m *msp) add(off int, b []byte, frame int) {
	if off > len(m.buf) {
		i := len(m.later)
		for i > 0 && m.later[i-1].off > off {
			i--
		}
		m.later = append(m.later, laterFrag{})
		copy(m.later[i+1:], m.later[i:])
		m.later[i] = laterFrag{off: off, data: append([]byte(nil), b...), frame: frame}
		return
	}
	if e := off + len(b); e > len(m.buf) {
		m.frags = append(m.frags, fragRef{frame, e - len(m.buf)})
		m.buf = append(m.buf, b[len(m.buf)-off:]...)
	}
	n := 0
	for _, l := range m.later {
		if l.off > len(m.buf) {
			break
		}
		if e := l.off + len(l.data); e > len(m.buf) {
			m.frags = append(m.frags, fragRef{l.frame, e - len(m.buf)})
			m.buf = append(m.buf, l.data[len(m.buf)-l.off:]...)
		}
		n++
	}
	m.later = append(m.later[:0], m.later[n:]...)
}

// fill adds a segment that tshark gives to no dissector to the incomplete
// PDU m whose range holds it. When that completes m, tshark shows the
// reassembly but dissects nothing.
func (d *deseg) fill(r *segResult, m *msp, data []byte, seq uint32, frame int, prelude func(frags []fragRef, total []byte) []Section) {
	off, n := int(seq-m.start), len(data)
	if m.need > 0 {
		n = min(n, int(m.end-seq))
	} else if !seqLT(seq+uint32(n), m.end) {
		// A PDU of unknown length takes the whole segment that
		// reaches its end, and ends with it.
		m.need = off + n
	}
	m.add(off, data[:n], frame)
	if seqGT(seq+uint32(len(data)), d.next) {
		d.next = seq + uint32(len(data))
	}
	if m.need == 0 || len(m.buf) < m.need {
		r.tail = append(r.tail, tailItem{tailSegData, len(data), 0})
		r.continued = true
		return
	}
	pdu := PDU{Data: append([]byte(nil), m.buf[:m.need]...), Reassembled: true, frags: append([]fragRef(nil), m.frags...)}
	pdu.Prelude = prelude(pdu.frags, pdu.Data)
	r.tail = append(r.tail, tailItem{tailSegData, n, 0})
	r.undissected = &pdu
	if m == &d.msp {
		d.drop()
		return
	}
	for i := range d.held {
		if &d.held[i] == m {
			d.held = append(d.held[:i], d.held[i+1:]...)
			break
		}
	}
}
