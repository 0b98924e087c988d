package tap

import "github.com/mqtap/mqtap/mqttwire"

// unitKind is what a framer hands on for a run of bytes.
type unitKind uint8

const (
	// unitPDU is a whole MQTT PDU.
	unitPDU unitKind = iota
	// unitOversize is the first bytes of a PDU larger than the limit; its
	// size is the whole PDU's. Its bytes are not dissected.
	unitOversize
	// unitRaw is bytes passed on undissected: the rest of an oversized PDU,
	// or anything after the framing was lost.
	unitRaw
	// unitBroken is bytes whose fixed header is invalid (or a PDU the
	// stream ended inside): dissected as one malformed PDU.
	unitBroken
)

// framer cuts one direction of a connection into PDUs, using the fixed
// header's remaining length. It copies only a PDU that arrives in pieces;
// whole PDUs are handed on as slices of the caller's buffer.
type framer struct {
	max     int    // largest PDU buffered for dissection
	pending []byte // the start of a PDU not yet complete
	skip    int    // bytes of an oversized PDU still to come
	lost    bool   // a bad fixed header: PDU boundaries are unknown
}

// emitFunc receives units in stream order; data is valid only during the
// call. size is the PDU's whole length (for unitOversize, more than data).
type emitFunc func(kind unitKind, data []byte, size int)

// feed frames the next bytes of the stream.
func (f *framer) feed(b []byte, emit emitFunc) {
	for len(b) > 0 {
		switch {
		case f.lost:
			emit(unitRaw, b, len(b))
			return
		case f.skip > 0:
			n := min(f.skip, len(b))
			emit(unitRaw, b[:n], n)
			f.skip -= n
			b = b[n:]
		case len(f.pending) > 0:
			b = f.complete(b, emit)
		default:
			n, ok, err := mqttwire.PacketLen(b)
			switch {
			case err != nil:
				f.lose(b, emit)
				return
			case ok && n > f.max:
				// Over the limit even when whole in b, so that what is
				// shown does not depend on how reads fell.
				head := min(n, len(b))
				emit(unitOversize, b[:head], n)
				f.skip = n - head
				b = b[head:]
			case ok:
				if n > len(b) {
					f.pending = append(f.pending[:0], b...)
					return
				}
				emit(unitPDU, b[:n], n)
				b = b[n:]
			default: // the fixed header is not complete yet
				f.pending = append(f.pending[:0], b...)
				return
			}
		}
	}
}

// complete adds bytes to the pending PDU: one at a time while its fixed
// header is incomplete, then as many as it still needs.
func (f *framer) complete(b []byte, emit emitFunc) []byte {
	n, ok, err := mqttwire.PacketLen(f.pending)
	switch {
	case err != nil:
		f.lose(f.pending, emit)
		f.pending = f.pending[:0]
		return b
	case !ok:
		f.pending = append(f.pending, b[0])
		return b[1:]
	case n > f.max:
		emit(unitOversize, f.pending, n)
		f.skip = n - len(f.pending)
		f.release()
		return b
	}
	take := min(n-len(f.pending), len(b))
	f.pending = append(f.pending, b[:take]...)
	if len(f.pending) == n {
		emit(unitPDU, f.pending, n)
		f.release()
	}
	return b[take:]
}

// lose shows the bytes at a bad fixed header as one malformed PDU (as
// Wireshark does) and stops framing this direction: with the length
// unreadable, no later boundary can be trusted.
func (f *framer) lose(b []byte, emit emitFunc) {
	f.lost = true
	emit(unitBroken, b, len(b))
}

// end hands on a PDU the stream ended inside, as far as it came.
func (f *framer) end(emit emitFunc) {
	if len(f.pending) > 0 {
		emit(unitBroken, f.pending, len(f.pending))
		f.release()
	}
}

// release empties the pending buffer, dropping a large one so that an idle
// connection does not keep the memory of its biggest PDU.
func (f *framer) release() {
	if cap(f.pending) > 64<<10 {
		f.pending = nil
		return
	}
	f.pending = f.pending[:0]
}
