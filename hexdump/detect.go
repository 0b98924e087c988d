package hexdump

import (
	"bytes"
	"unicode/utf8"
)

// detect picks the style of text, the input or a prefix of it (complete
// says which), from its shape, cheapest and most specific signals first. It
// returns "" when there is nothing but whitespace.
func detect(text []byte, complete bool) Style {
	sc := lineScanner{rest: text}
	var first line
	for {
		ln, ok := sc.next()
		if !ok {
			return ""
		}
		// A tshark -x excerpt may open with a "Frame (N bytes):" label.
		if !isBlank(ln.text) && !isSourceLabel(ln.text) {
			first = ln
			break
		}
	}
	// tcpdump output may open with its "reading from file" notice or a
	// packet header, so look at every line, not just the first.
	if hasTcpdumpOffset(text) {
		return StyleTcpdump
	}
	if s := offsetStyle(first.text); s != "" {
		return s
	}
	return freeFormStyle(text, complete)
}

// hasTcpdumpOffset reports whether some line starts with a tcpdump offset,
// "0x0000:" with at least four digits.
func hasTcpdumpOffset(text []byte) bool {
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		if isTcpdumpOffset(ln.text) {
			return true
		}
	}
	return false
}

func isTcpdumpOffset(t []byte) bool {
	t = t[skipSpace(t, 0):]
	if len(t) < 2 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X') {
		return false
	}
	n := hexRun(t[2:])
	return n >= 4 && len(t) > 2+n && t[2+n] == ':'
}

// offsetStyle classifies a line that starts with an offset. The offset width
// tells the tools apart: Wireshark prints 4 digits, od 6 (-Ax) or 7, hexdump
// -C 8, and xxd follows its offset with a colon. A data line of such a dump
// carries single bytes after the offset, which spaced hex with wide groups
// does not.
func offsetStyle(t []byte) Style {
	t = t[skipSpace(t, 0):]
	n := hexRun(t)
	if n < 4 || n == len(t) {
		return ""
	}
	if t[n] == ':' {
		return StyleXXD
	}
	if !isSpace(t[n]) {
		return ""
	}
	rest := t[n:]
	i := skipSpace(rest, 0)
	tok := rest[i:tokenEnd(rest, i)]
	byteTok := len(tok) == 2 && hexRun(tok) == 2
	switch {
	case hasBarColumn(rest), byteTok && n >= 8:
		return StyleHexdumpC
	case byteTok && n <= 5:
		return StyleWireshark
	case byteTok:
		return StyleOD
	case n == 7 && len(tok) == 4 && hexRun(tok) == 4 && allZero(t[:n]):
		// od -x or plain hexdump: 16-bit words; the od parser explains
		// why these cannot be read.
		return StyleOD
	}
	return ""
}

// hasBarColumn reports the |...| ASCII column of hexdump -C: a bar after a
// gap of two spaces, and a bar at the end.
func hasBarColumn(rest []byte) bool {
	rest = bytes.TrimRight(rest, " \t\r")
	return len(rest) > 1 && rest[len(rest)-1] == '|' && bytes.Contains(rest, []byte("  |"))
}

func allZero(t []byte) bool {
	for _, c := range t {
		if c != '0' {
			return false
		}
	}
	return true
}

// freeFormStyle classifies input without offsets.
func freeFormStyle(text []byte, complete bool) Style {
	// A brace before any quote or backslash opens a C array, even when its
	// elements are character literals like '\x10'; a string literal may
	// contain braces itself.
	if i := bytes.IndexAny(text, "{\"'\\"); i >= 0 && text[i] == '{' {
		return StyleCArray
	}
	// A quoted start without escapes is a string unless it holds 0x
	// words: Python's ['0x10', '0xc'] is a list of hex strings.
	if hasEscape(text) || startsWithQuote(text) && !has0xToken(text) {
		return StyleEscaped
	}
	if has0xToken(text) {
		return Style0x
	}
	if onlyHexWords(text) {
		return StylePlain // parseHexWords tells plain from spaced
	}
	if looksBase64(completeLines(text, complete), complete) {
		return StyleBase64
	}
	return StylePlain // parseHexWords names the bad token
}

// has0xToken reports whether some word of text starts with 0x and a digit.
func has0xToken(text []byte) bool {
	for i := 0; i+2 < len(text); i++ {
		if text[i] == '0' && (text[i+1] == 'x' || text[i+1] == 'X') && isHex(text[i+2]) &&
			(i == 0 || !isAlnum(text[i-1])) {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// onlyHexWords reports whether text has nothing but hex digits and the
// separators of spaced hex.
func onlyHexWords(text []byte) bool {
	for _, c := range text {
		if !isHex(c) && !isHexSeparator(c) {
			return false
		}
	}
	return true
}

// isHexSeparator reports the characters that may separate bytes in spaced
// hex: whitespace, and the colon, dash and comma of MAC-address-like dumps.
func isHexSeparator(c byte) bool {
	return isWhite(c) || c == ':' || c == '-' || c == ','
}

// hasEscape reports a backslash escape for a byte: \x10 or octal \020.
func hasEscape(text []byte) bool {
	for i := 0; i+1 < len(text); i++ {
		if text[i] == '\\' && (text[i+1] == 'x' || text[i+1] == 'X' || '0' <= text[i+1] && text[i+1] <= '7') {
			return true
		}
	}
	return false
}

// startsWithQuote reports input that opens with a string literal, such as
// Python's b'MQTT' or a quoted C string with no escapes in it.
func startsWithQuote(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n\v\f")
	if len(t) > 1 && (t[0] == 'b' || t[0] == 'B') {
		t = t[1:]
	}
	return len(t) > 0 && (t[0] == '"' || t[0] == '\'')
}

// checkText refuses input that is not text: a binary file handed to
// decode, which would otherwise fail on some odd token deep inside. No dump
// tool writes a NUL, and few control characters or invalid UTF-8 sequences
// survive in a paste; random bytes are more than half made of them.
func checkText(head []byte, complete bool) error {
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return ErrUTF16
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return ErrBinary
	}
	odd := 0
	for i := 0; i < len(head); {
		c := head[i]
		if c < utf8.RuneSelf {
			if c < ' ' && !isWhite(c) && c != 0x1a && c != 0x1b || c == 0x7f {
				odd++ // control characters but ESC (colour) and ^Z (DOS end of file)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			if !complete && !utf8.FullRune(head[i:]) {
				break // cut by the end of the prefix
			}
			odd++
		}
		i += max(n, 1)
	}
	if odd > 0 && odd*8 >= len(head) {
		return ErrBinary
	}
	return nil
}
