package hexdump

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// parseCArray decodes C and Go array literals: `unsigned char pkt[] = {
// 0x10, 0x0c };`, xxd -i output, Wireshark's Copy as C Arrays, or Go's
// []byte{0x10, 12, 'M'}. Elements follow C: 0x hex, decimal, octal with a
// leading 0, and character literals. Each brace pair is one Block, so a file
// of several packet arrays gives several; text outside the braces (the
// declarations, xxd's `_len` line) is skipped, and so are C comments
// (Wireshark puts /* Frame (105 bytes) */ before each array).
func parseCArray(w *window, e *emitter) error {
	for i := w.off; e.err == nil && w.has(i); {
		if i-w.off >= releaseEvery {
			w.release(i)
		}
		if j := skipComment(w, i); j != i {
			i = j
			continue
		}
		if w.at(i) != '{' {
			i++
			continue
		}
		var err error
		if i, err = emitBraces(w, e, i); err != nil {
			return e.fail(err)
		}
	}
	return e.err
}

// skipComment returns the offset after a // or /* */ comment starting at
// i, or i when none starts there. An unclosed /* runs to the end. A long
// comment is released as it is read.
func skipComment(w *window, i int) int {
	if !w.has(i+1) || w.at(i) != '/' {
		return i
	}
	switch w.at(i + 1) {
	case '/':
		j := i + 2
		for ; w.has(j) && w.at(j) != '\n'; j++ {
			if j-w.off >= releaseEvery {
				w.release(j)
			}
		}
		return j
	case '*':
		j := i + 2
		for ; w.has(j+1) && (w.at(j) != '*' || w.at(j+1) != '/'); j++ {
			if j-w.off >= releaseEvery {
				w.release(j)
			}
		}
		if w.has(j + 1) {
			return j + 2
		}
		return w.off + w.size()
	}
	return i
}

// emitBraces decodes the elements between the brace at open and its
// closing brace, as one block, and returns the offset after it.
func emitBraces(w *window, e *emitter, open int) (int, error) {
	e.begin(blockStart{line: w.pos(open).line})
	tok := token{start: open}
	for i := open + 1; e.err == nil && w.has(i); {
		if i-w.off >= releaseEvery {
			w.releaseIn(&tok, i)
		}
		if j := skipComment(w, i); j != i {
			i = j
			continue
		}
		c := w.at(i)
		switch {
		case isWhite(c) || c == ',':
			i++
		case c == '}':
			return i + 1, nil
		case c == '{':
			return 0, w.errorAt(i, i+1, "array", "nested braces are not supported")
		case c == '\'':
			var tmp [utf8.UTFMax]byte
			out, end, msg := appendCharLiteral(tmp[:0], w.slice(i, i+charLiteralMax), 0)
			if msg != "" {
				return 0, w.errorAt(i, charLiteralEnd(w, i, i+end), "number", msg)
			}
			e.bytes(out)
			i += end
		default:
			end := i
			for w.has(end) && !endsElement(w.at(end)) {
				end++
			}
			v, msg := parseCNumber(w.slice(i, end))
			if msg != "" {
				return 0, w.errorAt(i, end, "number", msg)
			}
			e.byte(v)
			i = end
		}
	}
	if e.err != nil {
		return 0, e.err
	}
	return 0, w.tokenError(&tok, open+1, "array", `no closing "}"`)
}

// charLiteralMax is the longest character literal: a quote, an escape and
// a quote.
const charLiteralMax = escapeMax + 2

// appendCharLiteral decodes a C character literal such as 'M' or '\x10'.
func appendCharLiteral(dst, text []byte, i int) ([]byte, int, string) {
	j := i + 1
	n := len(dst)
	switch {
	case j >= len(text) || text[j] == '\n' || text[j] == '\'':
		return dst, j + 1, "empty character literal"
	case text[j] == '\\':
		var msg string
		if dst, j, msg = appendEscape(dst, text, j); msg != "" {
			return dst[:n], j, msg
		}
	default:
		dst = append(dst, text[j])
		j++
	}
	if j >= len(text) || text[j] != '\'' || len(dst) != n+1 {
		return dst[:n], j, "character literal must be one byte in quotes"
	}
	return dst, j + 1, ""
}

// parseCNumber reads a C or Go integer literal that must fit in a byte.
func parseCNumber(tok []byte) (byte, string) {
	num := bytes.TrimRight(tok, "uUlL") // C suffixes: 0x10u, 16UL
	if len(num) == 0 || num[0] < '0' || num[0] > '9' {
		return 0, "not a number"
	}
	base, digits := 10, num
	if len(num) > 1 && num[0] == '0' {
		switch num[1] {
		case 'x', 'X':
			base, digits = 16, num[2:]
		case 'b', 'B':
			base, digits = 2, num[2:]
		case 'o', 'O':
			base, digits = 8, num[2:]
		default:
			base, digits = 8, num[1:] // C reads a leading 0 as octal
		}
	}
	if len(digits) == 0 {
		return 0, "no digits after the base prefix"
	}
	v := 0
	for _, c := range digits {
		d, ok := unhex(c)
		if !ok || int(d) >= base {
			if base == 10 && hexRun(tok) == len(tok) || base == 8 && hexRun(num) == len(num) {
				return 0, "not a C number: write hex with a 0x prefix"
			}
			return 0, fmt.Sprintf("%q is not a base-%d digit", c, base)
		}
		v = v*base + int(d)
		if v > 0xff {
			return 0, "does not fit in a byte"
		}
	}
	return byte(v), ""
}

// endsElement reports a character that ends an array element.
func endsElement(c byte) bool {
	return isWhite(c) || c == ',' || c == '{' || c == '}' || c == '/'
}

// charLiteralEnd extends a bad character literal that starts at i to its
// closing quote on the same line, so the error shows all of it.
func charLiteralEnd(w *window, i, end int) int {
	for j := i + 1; w.has(j) && w.at(j) != '\n'; j++ {
		if w.at(j) == '\'' {
			return j + 1
		}
	}
	return min(end, w.off+w.size())
}
