package hexdump

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
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

// parseOffsetDump decodes xxd, hexdump -C, od and Wireshark dumps.
func parseOffsetDump(text []byte, style Style) ([]Block, error) {
	if style == StyleOD {
		return parseOD(text)
	}
	return runOffsetParser(text, layoutOf(style, 16))
}

// parseOD reads od output. GNU od prints 6-digit hex offsets with -Ax and
// 7-digit octal (default) or decimal (-Ad) ones otherwise, so a 7-digit dump
// is read in whichever of those makes the offsets agree with the bytes. If
// none does, the reading that got furthest has the error worth showing.
func parseOD(text []byte) ([]Block, error) {
	radices := []int{8, 10, 16}
	if w := firstOffsetWidth(text); w != 7 {
		radices = []int{16}
	}
	var best *SyntaxError
	for _, r := range radices {
		blocks, err := runOffsetParser(text, layoutOf(StyleOD, r))
		var se *SyntaxError
		if !errors.As(err, &se) {
			return blocks, err // done, or an error no radix changes
		}
		if best == nil || se.Line > best.Line || se.Line == best.Line && se.Col > best.Col {
			best = se
		}
	}
	return nil, best
}

func firstOffsetWidth(text []byte) int {
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		if i := skipSpace(ln.text, 0); i < len(ln.text) {
			return hexRun(ln.text[i:])
		}
	}
	return 0
}

func runOffsetParser(text []byte, lay offsetLayout) ([]Block, error) {
	p := offsetParser{lay: lay, sizeHint: len(text) / 4}
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		if err := p.line(ln); err != nil {
			return nil, err
		}
	}
	return p.finish()
}

// offsetParser reads the lines of one offset-style dump, checking that each
// offset matches the bytes before it. An offset of 0 after some bytes starts
// a new Block (Wireshark and tshark -x show one dump per packet).
type offsetParser struct {
	lay      offsetLayout
	blocks   []Block
	cur      []byte // bytes of the open block
	curLine  int    // line of the open block's first offset; 0 when none is open
	base     uint64 // offset of the open block's first byte
	lastLen  int    // bytes on the last data line, which a '*' repeats
	star     line   // a pending '*' line; star.num is 0 when there is none
	starCol  int
	width    int // most bytes seen on one line
	repeated int // bytes added by '*' lines so far
	sizeHint int // capacity for the first block

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
		return nil // the dump after it starts at offset 0, a new block
	}
	// hexdump -C, od and xxd -a print '*' for lines equal to the one before.
	if t[i] == '*' && skipSpace(t, i+1) == len(t) {
		switch {
		case p.star.num != 0:
			return errorInLine(ln, i, i+1, "offset", fmt.Sprintf("a second repeat marker after the one at line %d", p.star.num))
		case p.curLine == 0 || p.lastLen == 0:
			return errorInLine(ln, i, i+1, "offset", "repeat marker with no data line before it to repeat")
		}
		p.star, p.starCol = ln, i
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
		if p.cur == nil {
			p.cur = make([]byte, 0, max(p.sizeHint, n))
			p.sizeHint = 0
		}
		p.cur = append(p.cur, p.lineBuf...)
		p.lastLen = n
		p.width = max(p.width, n)
	}
	return nil
}

// place checks the offset of a line against the bytes read so far, opens a
// new block on a restart at 0, and expands a pending '*' repeat.
func (p *offsetParser) place(ln line, start, digits int, off uint64) error {
	expected := p.base + uint64(len(p.cur))
	bad := func(msg string) error { return errorInLine(ln, start, tokenEnd(ln.text, start), "offset", msg) }
	switch {
	case p.star.num != 0:
		step := uint64(p.lastLen)
		if off < expected || (off-expected)%step != 0 {
			return bad(fmt.Sprintf("expected %s plus a whole number of %d-byte lines, to end the repeat at line %d",
				p.lay.format(expected, digits), step, p.star.num))
		}
		if off-expected > uint64(maxRepeat-p.repeated) {
			return bad(fmt.Sprintf("the repeat at line %d would take the repeated bytes past the %d allowed", p.star.num, maxRepeat))
		}
		p.repeated += int(off - expected)
		p.cur = repeatTail(p.cur, p.lastLen, int(off-expected))
		p.star = line{}
	case p.curLine == 0:
		if off != 0 && !p.lay.anyStart {
			return bad(fmt.Sprintf("expected %s: a packet starts at offset 0", p.lay.format(0, digits)))
		}
		p.curLine, p.base = ln.num, off
	case off == 0 && expected != 0:
		p.flush()
		p.curLine, p.base = ln.num, 0
	case off != expected:
		return bad(fmt.Sprintf("expected %s (%d bytes so far)", p.lay.format(expected, digits), len(p.cur)))
	}
	return nil
}

// repeatTail appends n bytes that continue the period of b's last width
// bytes; n is a multiple of width. It copies what is already filled, so a
// long run costs a few large copies rather than one append per line.
func repeatTail(b []byte, width, n int) []byte {
	start := len(b) - width
	b = slices.Grow(b, n)
	for end := len(b) + n; len(b) < end; {
		b = append(b, b[start:start+min(len(b)-start, end-len(b))]...)
	}
	return b
}

func (p *offsetParser) flush() {
	if len(p.cur) > 0 {
		p.blocks = append(p.blocks, Block{Data: p.cur, Line: p.curLine})
	}
	p.cur, p.curLine, p.base, p.lastLen = nil, 0, 0, 0
}

func (p *offsetParser) finish() ([]Block, error) {
	if p.star.num != 0 {
		return nil, errorInLine(p.star, p.starCol, p.starCol+1, "offset",
			"a repeat marker must be followed by the offset where the repeat ends")
	}
	p.flush()
	return p.blocks, nil
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
