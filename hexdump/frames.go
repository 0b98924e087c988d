package hexdump

import (
	"bytes"
	"fmt"
)

// Dumps of whole network frames: tshark -x, Wireshark's Copy as Hex Dump
// of a packet, text2pcap input. They are offset dumps like any other, so
// the frame stage decides on the first block: when it is, beyond doubt, a
// frame (exactFrame: link and IP headers whose lengths account for every
// byte) and not a run of MQTT packets, the dump is of frames, and every
// block is stripped to its TCP payload as tcpdump output is. Otherwise the
// blocks pass unchanged, as dumps of MQTT bytes.
//
// tshark -x prints a frame whose MQTT PDU was reassembled with two panes,
// labelled "Frame (N bytes):" and "Reassembled TCP (M bytes):". The
// reassembled bytes are those of earlier frames' payloads and this one's;
// when the earlier frames are in the dump too (no display filter, or
// -Y tcp.len>0), the pane is skipped. When they are not (-Y mqtt leaves out
// the frames holding only the middle of a PDU), the TCP sequence numbers
// show the gap, and the pane fills it.

// maxExactFrame is more than any frame exactFrame accepts (an IP packet of
// at most 65535 bytes, or an IPv6 payload of that, behind a link header
// with VLAN tags): a first block longer than this is not a frame, and is
// passed on without waiting for its end.
const maxExactFrame = 65535 + 40 + 32

// maxReassembled bounds a reassembled pane that is kept: MQTT's largest
// packet.
const maxReassembled = 5 + 268435455

// frameStage is the sink the blocks of an offset dump go through.
type frameStage struct {
	out     sink
	decided bool
	frames  bool // the dump is of whole frames
	begun   bool // a block has begun

	// The block being read.
	open  bool
	start blockStart
	kind  paneKind
	data  []byte

	// The last frame, held until it is known whether a reassembled pane
	// follows it.
	held    bool
	heldAt  int // its line
	heldSeg segmentInfo
	heldBuf []byte

	streams map[streamKey]uint32 // sequence number after each stream's last payload
}

type paneKind int

const (
	paneFrame       paneKind = iota
	paneReassembled          // kept: it fills a gap
	paneSkipped
)

func newFrameStage(out sink) *frameStage {
	return &frameStage{out: out}
}

func (f *frameStage) begin(b blockStart) error {
	if err := f.end(); err != nil {
		return err
	}
	f.open, f.begun, f.start, f.data = true, true, b, f.data[:0]
	switch {
	case !f.decided:
		// A frame starts at offset 0; a first block elsewhere is a
		// selection of bytes, or a reassembled pane on its own.
		if b.base != 0 || len(b.label) > 0 && !bytes.HasPrefix(b.label, []byte("Frame (")) {
			return f.decide(false)
		}
		f.kind = paneFrame
	case !f.frames:
		return f.out.begin(b)
	case len(b.label) == 0 || bytes.HasPrefix(b.label, []byte("Frame (")):
		f.kind = paneFrame
		return f.release()
	case bytes.HasPrefix(b.label, []byte("Reassembled TCP (")) && f.held && f.gap():
		f.kind = paneReassembled
	default:
		f.kind = paneSkipped
	}
	return nil
}

func (f *frameStage) write(p []byte) error {
	switch {
	case f.decided && !f.frames:
		return f.out.write(p)
	case f.kind == paneSkipped:
		return nil
	}
	f.data = append(f.data, p...)
	switch {
	case !f.decided && len(f.data) > maxExactFrame:
		return f.decide(false)
	case f.kind == paneFrame && len(f.data) > maxFrame:
		return &PacketError{Line: f.start.line, Msg: fmt.Sprintf("longer than the %d bytes a frame can have", maxFrame)}
	case f.kind == paneReassembled && len(f.data) > maxReassembled:
		return &PacketError{Line: f.start.line, Msg: "reassembled pane longer than the largest MQTT packet"}
	}
	return nil
}

// end finishes the block being read.
func (f *frameStage) end() error {
	if !f.open {
		return nil
	}
	f.open = false
	if !f.decided {
		if err := f.decide(exactFrame(f.data) && !isMQTTRun(f.data)); err != nil || !f.frames {
			return err
		}
	}
	if !f.frames {
		return nil
	}
	switch f.kind {
	case paneFrame:
		return f.frame()
	case paneReassembled:
		return f.reassembled()
	}
	return nil
}

// decide settles what the dump is. Undecided, the first block has been
// gathered; passed on, it goes out as it is.
func (f *frameStage) decide(frames bool) error {
	f.decided, f.frames = true, frames
	if frames {
		return nil
	}
	first := f.data
	if !f.begun {
		return nil
	}
	if err := f.out.begin(f.start); err != nil {
		return err
	}
	f.data = nil
	if len(first) > 0 {
		return f.out.write(first)
	}
	return nil
}

// frame strips a frame's headers and holds its payload.
func (f *frameStage) frame() error {
	if len(f.data) == 0 {
		return nil
	}
	seg, problem := tcpPayload(f.data)
	if problem != "" {
		return &PacketError{Line: f.start.line, Msg: problem}
	}
	if !seg.tcp {
		return nil
	}
	f.heldBuf = append(f.heldBuf[:0], seg.payload...)
	seg.payload = f.heldBuf
	f.held, f.heldAt, f.heldSeg = true, f.start.line, seg
	return nil
}

// gap reports whether the held frame's payload does not follow the last
// payload of its stream in the dump.
func (f *frameStage) gap() bool {
	next, ok := f.streams[f.heldSeg.key]
	return !ok || next != f.heldSeg.seq
}

// release passes the held frame's payload on.
func (f *frameStage) release() error {
	if !f.held {
		return nil
	}
	return f.emit(nil, f.heldSeg.payload)
}

// reassembled completes the held frame with the reassembled pane: the
// payload of the frames the dump left out, found by where the pane's end
// overlaps the held payload's start and by the stream's sequence numbers.
func (f *frameStage) reassembled() error {
	r, seg := f.data, f.heldSeg
	e := overlap(r, seg.payload)
	if e == 0 {
		return f.release() // not this frame's: keep to the frames
	}
	first := seg.seq + uint32(e) - uint32(len(r)) // sequence number of r[0]
	skip := 0
	if next, ok := f.streams[seg.key]; ok {
		if d := int32(next - first); d > 0 {
			skip = min(int(d), len(r)-e) // already passed on with earlier frames
		}
	}
	return f.emit(r[skip:], seg.payload[e:])
}

// emit passes a frame's bytes on as one block and records where its
// stream continues.
func (f *frameStage) emit(a, b []byte) error {
	seg := f.heldSeg
	f.held = false
	if f.streams == nil || len(f.streams) >= 4096 {
		f.streams = map[streamKey]uint32{}
	}
	f.streams[seg.key] = seg.seq + uint32(len(seg.payload))
	if len(a)+len(b) == 0 {
		return nil
	}
	if err := f.out.begin(blockStart{line: f.heldAt}); err != nil {
		return err
	}
	for _, p := range [][]byte{a, b} {
		if len(p) > 0 {
			if err := f.out.write(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *frameStage) finish() error {
	if err := f.end(); err != nil {
		return err
	}
	if !f.decided {
		return f.decide(false)
	}
	return f.release()
}

// abort passes on what the stage holds when the input turns out bad part
// way: an undecided first block goes on as it is (it was not a whole
// frame), a held frame's payload goes on. The dissector shows what came
// before the bad line.
func (f *frameStage) abort() error {
	if !f.decided {
		f.open = false
		return f.decide(false)
	}
	if f.frames {
		return f.release()
	}
	return nil
}

// overlap returns the length of the longest suffix of r that is a prefix
// of p, in time linear in their lengths (Knuth-Morris-Pratt).
func overlap(r, p []byte) int {
	m := min(len(r), len(p))
	if m == 0 {
		return 0
	}
	pat, text := p[:m], r[len(r)-m:]
	fail := make([]int, m)
	for i, k := 1, 0; i < m; i++ {
		for k > 0 && pat[i] != pat[k] {
			k = fail[k-1]
		}
		if pat[i] == pat[k] {
			k++
		}
		fail[i] = k
	}
	k := 0
	for _, c := range text {
		for k > 0 && (k == m || c != pat[k]) {
			k = fail[k-1]
		}
		if c == pat[k] {
			k++
		}
	}
	return k
}

// isMQTTRun reports whether b is a run of MQTT packets that ends exactly
// where b does, each with a fixed header MQTT allows: a dump of MQTT bytes
// that happens to read as a frame too (a PUBLISH carrying a frame as its
// payload) stays MQTT. No real frame starts like this: the link and IP
// headers of frames begin with a byte MQTT does not allow (0x45, 0x60, a
// zero MAC address or link type), or their lengths would have to chain
// exactly.
func isMQTTRun(b []byte) bool {
	for len(b) > 0 {
		h := b[0]
		flags := h & 0x0f
		switch h >> 4 {
		case 0:
			return false
		case 3: // PUBLISH: any flags but QoS 3
			if flags&0x06 == 0x06 {
				return false
			}
		case 6, 8, 10: // PUBREL, SUBSCRIBE, UNSUBSCRIBE
			if flags != 2 {
				return false
			}
		default:
			if flags != 0 {
				return false
			}
		}
		n, i := 0, 1
		for shift := 0; ; shift += 7 {
			if i >= len(b) || i > 4 {
				return false
			}
			n |= int(b[i]&0x7f) << shift
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
		if i+n > len(b) {
			return false
		}
		b = b[i+n:]
	}
	return true
}
