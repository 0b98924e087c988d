package hexdump

import (
	"bytes"
	"fmt"
)

// parseCArray decodes C and Go array literals: `unsigned char pkt[] = {
// 0x10, 0x0c };`, xxd -i output, Wireshark's Copy as C Arrays, or Go's
// []byte{0x10, 12, 'M'}. Elements follow C: 0x hex, decimal, octal with a
// leading 0, and character literals. Each brace pair is one Block, so a file
// of several packet arrays gives several; text outside the braces (the
// declarations, xxd's `_len` line) is skipped.
func parseCArray(text []byte) ([]Block, error) {
	var blocks []Block
	for i := 0; ; {
		open := indexOutsideComments(text, i, '{')
		if open < 0 {
			break
		}
		data, next, err := parseBraces(text, open)
		if err != nil {
			return nil, err
		}
		if len(data) > 0 {
			line, _ := position(text, open)
			blocks = append(blocks, Block{Data: data, Line: line})
		}
		i = next
	}
	return blocks, nil
}

// indexOutsideComments finds c at or after text[i], skipping C comments
// (Wireshark puts /* Frame (105 bytes) */ before each array).
func indexOutsideComments(text []byte, i int, c byte) int {
	for i < len(text) {
		if j := skipComment(text, i); j != i {
			i = j
			continue
		}
		if text[i] == c {
			return i
		}
		i++
	}
	return -1
}

// skipComment returns the index after a // or /* */ comment starting at
// text[i], or i when none starts there. An unclosed /* runs to the end.
func skipComment(text []byte, i int) int {
	if i+1 >= len(text) || text[i] != '/' {
		return i
	}
	switch text[i+1] {
	case '/':
		if j := bytes.IndexByte(text[i:], '\n'); j >= 0 {
			return i + j
		}
		return len(text)
	case '*':
		if j := bytes.Index(text[i+2:], []byte("*/")); j >= 0 {
			return i + 2 + j + 2
		}
		return len(text)
	}
	return i
}

// parseBraces decodes the elements between the brace at text[open] and its
// closing brace, and returns the index after it.
func parseBraces(text []byte, open int) ([]byte, int, error) {
	// Guess the size from the text up to the next '}', at about five
	// characters an element ("0x10, "), not from the rest of the input:
	// a file may hold many arrays.
	size := len(text) - open
	if k := bytes.IndexByte(text[open:], '}'); k >= 0 {
		size = k
	}
	data := make([]byte, 0, size/5)
	for i := open + 1; i < len(text); {
		if j := skipComment(text, i); j != i {
			i = j
			continue
		}
		c := text[i]
		switch {
		case isWhite(c) || c == ',':
			i++
		case c == '}':
			return data, i + 1, nil
		case c == '{':
			return nil, 0, errorAt(text, i, i+1, "array", "nested braces are not supported")
		case c == '\'':
			var end int
			var msg string
			if data, end, msg = appendCharLiteral(data, text, i); msg != "" {
				return nil, 0, errorAt(text, i, charLiteralEnd(text, i, end), "number", msg)
			}
			i = end
		default:
			end := i
			for end < len(text) && !endsElement(text[end]) {
				end++
			}
			v, msg := parseCNumber(text[i:end])
			if msg != "" {
				return nil, 0, errorAt(text, i, end, "number", msg)
			}
			data = append(data, v)
			i = end
		}
	}
	return nil, 0, errorAt(text, open, open+1, "array", `no closing "}"`)
}

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

// charLiteralEnd extends a bad character literal that starts at text[i] to
// its closing quote on the same line, so the error shows all of it.
func charLiteralEnd(text []byte, i, end int) int {
	for j := i + 1; j < len(text) && text[j] != '\n'; j++ {
		if text[j] == '\'' {
			return j + 1
		}
	}
	return min(end, len(text))
}
