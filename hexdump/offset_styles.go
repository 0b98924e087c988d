package hexdump

import (
	"bytes"
	"errors"
	"fmt"
	"math"
)

// offsetLayout describes how a tool prints a dump line: an offset, up to a
// line's worth of bytes, and perhaps the same bytes again as ASCII.
type offsetLayout struct {
	radix  int  // of the offsets; od prints octal unless given -Ax
	colon  bool // the offset ends with ':' (xxd, tcpdump)
	prefix bool // the offset is written 0x0000 (tcpdump)
	// asciiMark opens the ASCII column: '|' for hexdump -C, '>' for
	// od -tx1z. With it the column is found exactly.
	asciiMark byte
	// ascii says an unmarked ASCII column may follow the hex after a gap
	// of two or more spaces (xxd, Wireshark, tcpdump -X).
	ascii bool
	// spaceDot says the ASCII column shows a space as '.', as tcpdump does.
	spaceDot bool
	// wordsSwapped says 16-bit groups are in host byte order (od -x and
	// hexdump without -C), so they cannot be read as bytes.
	wordsSwapped bool
	// anyStart allows a first offset other than 0: a dump of part of a
	// file (xxd -s, hexdump -s, od -j) or of selected packet bytes.
	anyStart bool
	// labels allows tshark's data-source lines between dumps.
	labels bool
}

func layoutOf(style Style, radix int) offsetLayout {
	switch style {
	case StyleXXD:
		return offsetLayout{radix: 16, colon: true, ascii: true, anyStart: true}
	case StyleHexdumpC:
		return offsetLayout{radix: 16, asciiMark: '|', anyStart: true}
	case StyleOD:
		return offsetLayout{radix: radix, asciiMark: '>', wordsSwapped: true, anyStart: true}
	case StyleWireshark:
		return offsetLayout{radix: 16, ascii: true, anyStart: true, labels: true}
	}
	// tcpdump: the headers are stripped from offset 0, so a packet must
	// start there.
	return offsetLayout{radix: 16, colon: true, prefix: true, ascii: true, spaceDot: true}
}

// maxRepeat bounds what the '*' lines of a dump may expand to in all, so a
// typo in an offset cannot ask for terabytes.
const maxRepeat = 16 << 20

// parseOffsetDump decodes xxd, hexdump -C, od and Wireshark dumps, line by
// line. head is the prefix detection looked at. The blocks go through a
// frame stage, which strips the headers when the dump is of whole network
// frames (see frames.go).
func parseOffsetDump(w *window, e *emitter, style Style, head []byte, complete bool) error {
	radix := 16
	if style == StyleOD {
		var err error
		if radix, err = odRadix(head, complete); err != nil {
			return e.fail(err)
		}
	}
	fs := newFrameStage(e.s)
	e.s = fs
	p := offsetParser{lay: layoutOf(style, radix), e: e}
	for ln, ok := w.nextLine(); ok && e.err == nil; ln, ok = w.nextLine() {
		if err := p.line(ln); err != nil {
			return e.fail(err)
		}
	}
	if e.err != nil || w.failure() != nil {
		return e.err
	}
	if err := p.finish(); err != nil {
		return e.fail(err)
	}
	if e.flush() != nil {
		return e.err
	}
	err := fs.finish()
	e.frames = fs.frames
	return e.fail(err)
}

// odRadix picks the radix of od's offsets. GNU od prints 6-digit hex
// offsets with -Ax and 7-digit octal (default) or decimal (-Ad) ones
// otherwise, so a 7-digit dump is read in whichever of those makes the
// offsets agree with the bytes of the prefix. If none does, the reading
// that got furthest has the error worth showing.
func odRadix(head []byte, complete bool) (int, error) {
	if firstOffsetWidth(head) != 7 {
		return 16, nil
	}
	var best *SyntaxError
	for _, r := range []int{8, 10, 16} {
		p := offsetParser{lay: layoutOf(StyleOD, r), e: &emitter{s: discard{}}}
		sc := lineScanner{rest: completeLines(head, complete)}
		var err error
		for ln, ok := sc.next(); ok && err == nil; ln, ok = sc.next() {
			err = p.line(ln)
		}
		if err == nil && complete {
			err = p.finish()
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			return r, nil
		}
		if best == nil || se.Line > best.Line || se.Line == best.Line && se.Col > best.Col {
			best = se
		}
	}
	return 0, best
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) begin(blockStart) error { return nil }
func (discard) write([]byte) error     { return nil }

func firstOffsetWidth(text []byte) int {
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		if i := skipSpace(ln.text, 0); i < len(ln.text) {
			return hexRun(ln.text[i:])
		}
	}
	return 0
}

// offsetParser reads the lines of one offset-style dump, checking that each
// offset matches the bytes before it, and passes the bytes on line by
// line. An offset of 0 after some bytes starts a new block (Wireshark and
// tshark -x show one dump per packet).
type offsetParser struct {
	lay      offsetLayout
	e        *emitter
	count    uint64 // bytes of the open block so far
	curLine  int    // line of the open block's first offset; 0 when none is open
	base     uint64 // offset of the open block's first byte
	last     []byte // bytes of the last data line, which a '*' repeats
	star     line   // a pending '*' line; star.num is 0 when there is none
	starCol  int
	width    int // most bytes seen on one line
	repeated int // bytes added by '*' lines so far
	// label is the tshark data source named before the next block.
	label []byte

	lineBuf []byte // scratch, reused across lines
	toks    []span
	ends    []int
}

// line reads one input line.
func (p *offsetParser) line(ln line) error {
	t := ln.text
	i := skipSpace(t, 0)
	if i == len(t) {
		return nil
	}
	if p.lay.labels && isSourceLabel(t) {
		// The dump after it starts at offset 0, a new block.
		p.label = append(p.label[:0], bytes.TrimSpace(t)...)
		return nil
	}
	// hexdump -C, od and xxd -a print '*' for lines equal to the one before.
	if t[i] == '*' && skipSpace(t, i+1) == len(t) {
		switch {
		case p.star.num != 0:
			return errorInLine(ln, i, i+1, "offset", fmt.Sprintf("a second repeat marker after the one at line %d", p.star.num))
		case p.curLine == 0 || len(p.last) == 0:
			return errorInLine(ln, i, i+1, "offset", "repeat marker with no data line before it to repeat")
		}
		p.star, p.starCol = line{num: ln.num, text: bytes.Clone(t)}, i
		return nil
	}
	off, digits, end, msg := p.lay.parseOffset(t, i)
	if msg != "" {
		return errorInLine(ln, i, tokenEnd(t, i), "offset", msg)
	}
	if err := p.place(ln, i, digits, off); err != nil {
		return err
	}
	var err error
	if p.lineBuf, err = p.hexArea(p.lineBuf[:0], ln, end); err != nil {
		return err
	}
	if n := len(p.lineBuf); n > 0 {
		p.e.bytes(p.lineBuf)
		p.count += uint64(n)
		p.last = append(p.last[:0], p.lineBuf...)
		p.width = max(p.width, n)
	}
	return p.e.err
}

// place checks the offset of a line against the bytes read so far, opens a
// new block on a restart at 0, and expands a pending '*' repeat.
func (p *offsetParser) place(ln line, start, digits int, off uint64) error {
	expected := p.base + p.count
	bad := func(msg string) error { return errorInLine(ln, start, tokenEnd(ln.text, start), "offset", msg) }
	switch {
	case p.star.num != 0:
		step := uint64(len(p.last))
		if off < expected || (off-expected)%step != 0 {
			return bad(fmt.Sprintf("expected %s plus a whole number of %d-byte lines, to end the repeat at line %d",
				p.lay.format(expected, digits), step, p.star.num))
		}
		if off-expected > uint64(maxRepeat-p.repeated) {
			return bad(fmt.Sprintf("the repeat at line %d would take the repeated bytes past the %d allowed", p.star.num, maxRepeat))
		}
		n := int(off - expected)
		p.repeated += n
		p.count += uint64(n)
		for ; n > 0; n -= len(p.last) {
			p.e.bytes(p.last)
		}
		p.star = line{}
	case p.curLine == 0:
		if off != 0 && !p.lay.anyStart {
			return bad(fmt.Sprintf("expected %s: a packet starts at offset 0", p.lay.format(0, digits)))
		}
		p.open(ln.num, off)
	case off == 0 && expected != 0:
		p.open(ln.num, 0)
	case off != expected:
		return bad(fmt.Sprintf("expected %s (%d bytes so far)", p.lay.format(expected, digits), p.count))
	}
	return p.e.err
}

// open begins a block at line num whose first byte has offset base.
func (p *offsetParser) open(num int, base uint64) {
	p.e.begin(blockStart{line: num, base: base, label: p.label})
	p.label = p.label[:0]
	p.curLine, p.base, p.count, p.last = num, base, 0, p.last[:0]
}

func (p *offsetParser) finish() error {
	if p.star.num != 0 {
		return errorInLine(p.star, p.starCol, p.starCol+1, "offset",
			"a repeat marker must be followed by the offset where the repeat ends")
	}
	return nil
}

// parseOffset reads the offset at t[i]. It returns the offset, its number of
// digits, and the index after it (and after its colon).
func (lay offsetLayout) parseOffset(t []byte, i int) (off uint64, digits, end int, msg string) {
	j := i
	if lay.prefix {
		if j+1 >= len(t) || t[j] != '0' || (t[j+1] != 'x' && t[j+1] != 'X') {
			return 0, 0, 0, lay.notAnOffset()
		}
		j += 2
	}
	start := j
	radix := uint64(lay.radix)
	for ; j < len(t); j++ {
		d, ok := unhex(t[j])
		if !ok || uint64(d) >= radix {
			break
		}
		if off > (math.MaxUint64-uint64(d))/radix {
			return 0, 0, 0, "offset too large"
		}
		off = off*radix + uint64(d)
	}
	digits = j - start
	switch {
	case digits == 0:
		return 0, 0, 0, lay.notAnOffset()
	case lay.colon && (j >= len(t) || t[j] != ':'):
		return 0, 0, 0, lay.notAnOffset() + `: expected ":" after it`
	case lay.colon:
		j++
	case j < len(t) && !isSpace(t[j]):
		return 0, 0, 0, lay.notAnOffset()
	}
	return off, digits, j, ""
}

func (lay offsetLayout) notAnOffset() string {
	switch lay.radix {
	case 8:
		return "not an octal offset"
	case 10:
		return "not a decimal offset"
	}
	return "not a hex offset"
}

// format writes an offset the way the dump does, for error messages.
func (lay offsetLayout) format(v uint64, width int) string {
	s := fmt.Sprintf("%0*x", width, v)
	switch lay.radix {
	case 8:
		s = fmt.Sprintf("%0*o", width, v)
	case 10:
		s = fmt.Sprintf("%0*d", width, v)
	}
	if lay.prefix {
		s = "0x" + s
	}
	return s
}

// isSourceLabel reports a line by which tshark -x names the data source of
// the dump that follows when a frame has several: "Frame (3470 bytes):",
// "Reassembled TCP (200012 bytes):".
func isSourceLabel(t []byte) bool {
	t = bytes.TrimSpace(t)
	open := bytes.LastIndex(t, []byte(" ("))
	// A dump line, whose ASCII column could read like a label, starts
	// with an offset.
	if open <= 0 || !bytes.HasSuffix(t, []byte(" bytes):")) || hexRun(t) >= 4 {
		return false
	}
	n := t[open+2 : len(t)-len(" bytes):")]
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(n) > 0
}
