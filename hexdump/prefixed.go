package hexdump

import "fmt"

// parse0x decodes 0x-prefixed bytes: "0x10, 0x0c", Python's [hex(b) for b in
// data] (which drops leading zeros: 0xc) and its quoted form ['0x10', '0xc'],
// or one long 0x100c0004... word.
func parse0x(text []byte) ([]Block, error) {
	data := make([]byte, 0, len(text)/4)
	first := 0
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		t := ln.text
		for i := 0; i < len(t); {
			if is0xSeparator(t[i]) {
				i++
				continue
			}
			end := i
			for end < len(t) && !is0xSeparator(t[end]) {
				end++
			}
			tok := unquote(t[i:end])
			var msg string
			if data, msg = append0x(data, tok); msg != "" {
				return nil, errorInLine(ln, i, end, "hex", msg)
			}
			if first == 0 {
				first = ln.num
			}
			i = end
		}
	}
	if first == 0 {
		return nil, ErrEmpty
	}
	return []Block{{Data: data, Line: first}}, nil
}

// is0xSeparator reports what may stand between 0x words: whitespace, list
// punctuation and the brackets of a Python or JSON list.
func is0xSeparator(c byte) bool {
	return isSpace(c) || c == ',' || c == ';' || c == '[' || c == ']' || c == '(' || c == ')'
}

// unquote strips one pair of matching quotes.
func unquote(tok []byte) []byte {
	if n := len(tok); n >= 2 && (tok[0] == '\'' || tok[0] == '"') && tok[n-1] == tok[0] {
		return tok[1 : n-1]
	}
	return tok
}

// append0x decodes one 0x word. One or two digits are a single byte; longer
// words are a run of bytes and need an even number of digits.
func append0x(dst, tok []byte) ([]byte, string) {
	if len(tok) < 2 || tok[0] != '0' || (tok[1] != 'x' && tok[1] != 'X') {
		return dst, "expected a 0x-prefixed byte"
	}
	digits := tok[2:]
	switch {
	case len(digits) == 0:
		return dst, "no hex digits after 0x"
	case hexRun(digits) < len(digits):
		return dst, "not a hex digit"
	case len(digits) == 1:
		v, _ := unhex(digits[0])
		return append(dst, v), ""
	case len(digits)%2 != 0:
		return dst, fmt.Sprintf("odd number of hex digits (%d) after 0x", len(digits))
	}
	return appendHex(dst, digits)
}
