package hexdump

import "unicode/utf8"

// simpleEscapes maps the one-letter escapes of C, Go and Python to bytes.
var simpleEscapes = [256]byte{
	'a': 7, 'b': 8, 'f': 12, 'n': 10, 'r': 13, 't': 9, 'v': 11,
	'\\': '\\', '\'': '\'', '"': '"', '?': '?',
}

// appendEscape decodes the backslash escape at text[i] and appends its bytes.
// It accepts what C, Go and Python print for bytes: \xHH (one or two
// digits, as C stops at a non-digit), octal \NNN, the one-letter escapes,
// and \u/\U code points, which Go's %q uses and which become UTF-8. It
// returns the index after the escape, or why it is not valid.
func appendEscape(dst, text []byte, i int) ([]byte, int, string) {
	if i+1 >= len(text) {
		return dst, i + 1, "backslash at end of input"
	}
	c := text[i+1]
	switch {
	case c == 'x' || c == 'X':
		n := min(hexRun(text[i+2:]), 2)
		if n == 0 {
			return dst, i + 2, "no hex digits after \\x"
		}
		var v byte
		for _, d := range text[i+2 : i+2+n] {
			h, _ := unhex(d)
			v = v<<4 | h
		}
		return append(dst, v), i + 2 + n, ""
	case '0' <= c && c <= '7':
		v, j := 0, i+1
		for j < len(text) && j < i+4 && '0' <= text[j] && text[j] <= '7' {
			v = v*8 + int(text[j]-'0')
			j++
		}
		if v > 0xff {
			return dst, j, "octal escape is more than a byte"
		}
		return append(dst, byte(v)), j, ""
	case c == 'u' || c == 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if hexRun(text[i+2:]) < n {
			return dst, i + 2, "\\" + string(c) + " needs " + string(rune('0'+n)) + " hex digits"
		}
		var r rune
		for _, d := range text[i+2 : i+2+n] {
			h, _ := unhex(d)
			r = r<<4 | rune(h)
		}
		if !utf8.ValidRune(r) {
			return dst, i + 2 + n, "not a valid Unicode code point"
		}
		return utf8.AppendRune(dst, r), i + 2 + n, ""
	case simpleEscapes[c] != 0:
		return append(dst, simpleEscapes[c]), i + 2, ""
	}
	return dst, i + 2, "unknown escape sequence"
}
