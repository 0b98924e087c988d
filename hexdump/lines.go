package hexdump

import "bytes"

// line is one line of input, without its terminator.
type line struct {
	num  int // 1-based
	text []byte
}

// lineScanner walks text line by line. Parsers read lines lazily so that a
// large dump does not need a slice of every line.
type lineScanner struct {
	rest []byte
	num  int
}

// next returns the following line with any trailing '\r' removed, so CRLF
// input reads like LF input.
func (s *lineScanner) next() (line, bool) {
	if len(s.rest) == 0 {
		return line{}, false
	}
	s.num++
	t := s.rest
	if i := bytes.IndexByte(t, '\n'); i >= 0 {
		t, s.rest = t[:i], t[i+1:]
	} else {
		s.rest = nil
	}
	t = bytes.TrimSuffix(t, []byte{'\r'})
	return line{num: s.num, text: t}, true
}

// normalize drops a UTF-8 byte order mark (Windows editors add one) and turns
// old Mac CR-only line ends into LF, so that line numbers in errors are right.
func normalize(text []byte) []byte {
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0 {
		text = bytes.ReplaceAll(text, []byte{'\r'}, []byte{'\n'})
	}
	return text
}

// isSpace reports whitespace within a line. '\r' counts, so a stray CR in
// CRLF input never becomes part of a token.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// isWhite reports whitespace including line ends, for parsers that read
// the input as one stream.
func isWhite(c byte) bool {
	return isSpace(c) || c == '\n'
}

// isBlank reports whether a line holds only whitespace.
func isBlank(t []byte) bool {
	return skipSpace(t, 0) == len(t)
}

// skipSpace returns the index of the first non-space byte of t at or after i.
func skipSpace(t []byte, i int) int {
	for i < len(t) && isSpace(t[i]) {
		i++
	}
	return i
}

// tokenEnd returns the index of the first space byte of t at or after i.
func tokenEnd(t []byte, i int) int {
	for i < len(t) && !isSpace(t[i]) {
		i++
	}
	return i
}

// hexValues maps a byte to its value as a hex digit, or 0xff; a constant
// string, so the hot loop indexes it instead of branching.
const hexValues = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// unhex returns the value of a hex digit.
func unhex(c byte) (byte, bool) {
	v := hexValues[c]
	return v, v != 0xff
}

func isHex(c byte) bool {
	return hexValues[c] != 0xff
}

// hexRun returns the number of hex digits at the start of t.
func hexRun(t []byte) int {
	n := 0
	for n < len(t) && isHex(t[n]) {
		n++
	}
	return n
}

// appendHex decodes a token made only of hex digits and appends its bytes to
// dst. On failure it returns the reason, naming the first non-hex digit.
func appendHex(dst, tok []byte) ([]byte, string) {
	if n := hexRun(tok); n < len(tok) {
		return dst, "not a hex digit"
	}
	if len(tok)%2 != 0 {
		return dst, "odd number of hex digits"
	}
	for i := 0; i < len(tok); i += 2 {
		hi, _ := unhex(tok[i])
		lo, _ := unhex(tok[i+1])
		dst = append(dst, hi<<4|lo)
	}
	return dst, ""
}
