package hexdump

import (
	"bytes"
	"fmt"
)

// span is one whitespace-separated word of a dump line.
type span struct {
	start, end int
	gap        int // width of the whitespace before it; a tab counts as 2
}

// hexArea decodes the bytes of one dump line, the text after its offset,
// and leaves out the ASCII column. The column is found, in order of trust:
// by its marker ('|' of hexdump -C); by the gap of two or more spaces
// before it, which dump tools keep while their byte groups are one space
// apart; and, when a paste has collapsed the whitespace, by finding the
// words that spell the ASCII rendering of the bytes before them. A column
// of hex-looking text ("abcd") is thus never read as bytes.
func (p *offsetParser) hexArea(dst []byte, ln line, from int) ([]byte, error) {
	t := ln.text
	end := len(t)
	strict := !p.lay.ascii
	if m := p.lay.asciiMark; m != 0 {
		if k := bytes.IndexByte(t[from:], m); k >= 0 {
			end, strict = from+k, true
		}
	}
	toks := p.tokenize(t, from, end)
	if len(toks) == 0 {
		return dst, nil
	}
	if strict {
		return p.decodeWords(dst, ln, toks)
	}
	if wide := firstWideGap(toks, 1); wide < len(toks) {
		hexEnd := wide
		if p.middleGap(t, toks, wide) {
			hexEnd = firstWideGap(toks, wide+1)
		}
		return p.decodeWords(dst, ln, toks[:hexEnd])
	}
	return p.collapsedLine(dst, ln, toks)
}

func (p *offsetParser) tokenize(t []byte, from, end int) []span {
	toks := p.toks[:0]
	gap := 0
	for i := from; i < end; {
		if c := t[i]; isSpace(c) {
			gap++
			if c == '\t' {
				gap++
			}
			i++
			continue
		}
		j := i
		for j < end && !isSpace(t[j]) {
			j++
		}
		toks = append(toks, span{start: i, end: j, gap: gap})
		gap, i = 0, j
	}
	p.toks = toks
	return toks
}

// firstWideGap returns the index of the first word at or after from that
// follows two or more spaces, or len(toks).
func firstWideGap(toks []span, from int) int {
	for k := from; k < len(toks); k++ {
		if toks[k].gap >= 2 {
			return k
		}
	}
	return len(toks)
}

// middleGap reports whether the wide gap before toks[wide] is the one older
// Wireshark versions (and hexdump -C without its bars) print between the
// two halves of a line: eight single bytes, the gap, at most eight more.
// Those eight more could also be the ASCII column of the first eight when
// the bytes happen to spell hex digits, so that is ruled out.
func (p *offsetParser) middleGap(t []byte, toks []span, wide int) bool {
	if wide != 8 {
		return false
	}
	second := firstWideGap(toks, wide+1)
	if second-wide > 8 {
		return false
	}
	var half [8]byte
	for k, tk := range toks[:second] {
		if tk.end-tk.start != 2 || hexRun(t[tk.start:tk.end]) != 2 {
			return false
		}
		if k < 8 {
			hi, _ := unhex(t[tk.start])
			lo, _ := unhex(t[tk.start+1])
			half[k] = hi<<4 | lo
		}
	}
	return !renderMatch(half[:], t[toks[wide].start:], p.lay.spaceDot)
}

// decodeWords decodes words that must all be hex.
func (p *offsetParser) decodeWords(dst []byte, ln line, toks []span) ([]byte, error) {
	for _, tk := range toks {
		w := ln.text[tk.start:tk.end]
		if p.lay.wordsSwapped && len(w) != 2 && len(w)%2 == 0 && hexRun(w) == len(w) {
			return dst, errorInLine(ln, tk.start, tk.end, "hex",
				"od -x and hexdump print 16-bit words in host byte order; dump with od -Ax -tx1 or hexdump -C")
		}
		var msg string
		if dst, msg = appendHex(dst, w); msg != "" {
			return dst, errorInLine(ln, tk.start, tk.end, "hex", msg)
		}
	}
	return dst, nil
}

// collapsedLine handles a line with no wide gap: either the dump has no
// ASCII column (tcpdump -x) or the paste squeezed its whitespace. It takes
// the longest run of hex words, up to a line's worth of bytes, whose
// remainder is the ASCII rendering of those bytes; failing that, all the
// hex words up to a line's worth.
func (p *offsetParser) collapsedLine(dst []byte, ln line, toks []span) ([]byte, error) {
	t := ln.text
	limit := min(max(16, p.width), 256)
	start := len(dst)
	ends := p.ends[:0]
	k0 := 0
	for ; k0 < len(toks); k0++ {
		next, msg := appendHex(dst, t[toks[k0].start:toks[k0].end])
		if msg != "" || len(next)-start > limit {
			break
		}
		dst = next
		ends = append(ends, len(dst))
	}
	p.ends = ends
	for k := min(k0, len(toks)-1); k >= 1; k-- {
		if renderMatch(dst[start:ends[k-1]], t[toks[k].start:], p.lay.spaceDot) {
			return dst[:ends[k-1]], nil
		}
	}
	if k0 == len(toks) || len(dst)-start == limit && asciiSized(dst[start:], t[toks[k0].start:]) {
		// All hex, or a full line followed by a column of the right size
		// rendered in some way this does not recognise.
		return dst, nil
	}
	tk := toks[k0]
	_, msg := appendHex(nil, t[tk.start:tk.end])
	if msg == "" {
		msg = fmt.Sprintf("more than %d bytes after one offset", limit)
	}
	return dst, errorInLine(ln, tk.start, tk.end, "hex", msg)
}

// renderMatch reports whether text is the ASCII column for b: printable
// bytes as themselves, others as '.'. Whitespace in text is skipped, as a
// paste may have squeezed it, and a space byte may show as nothing or, if
// spaceDot (tcpdump), as '.'.
func renderMatch(b, text []byte, spaceDot bool) bool {
	j := 0
	for _, c := range b {
		j = skipSpace(text, j)
		switch {
		case c == ' ':
			if spaceDot {
				if j >= len(text) || text[j] != '.' {
					return false
				}
				j++
			}
		case c > ' ' && c < 0x7f:
			if j >= len(text) || text[j] != c {
				return false
			}
			j++
		default:
			if j >= len(text) || text[j] != '.' {
				return false
			}
			j++
		}
	}
	return skipSpace(text, j) == len(text)
}

// asciiSized reports whether text has as many characters as an ASCII column
// for b would, allowing for spaces squeezed out of it.
func asciiSized(b, text []byte) bool {
	n := 0
	for _, c := range text {
		if !isSpace(c) {
			n++
		}
	}
	return len(b)-bytes.Count(b, []byte{' '}) <= n && n <= len(b)
}
