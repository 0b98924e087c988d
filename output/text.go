package output

import (
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// labelMax is the size of Wireshark's label buffer (ITEM_LABEL_LENGTH): a
// label of this many bytes or more is cut to truncMax bytes (at a UTF-8
// character start) with " [truncated]" after the field name.
const (
	labelMax = 240
	truncMax = 238
)

// bytesShown is how many bytes tshark 4.0 shows of an FT_BYTES value
// before it ends the hex with "…".
const bytesShown = 36

// bytesToString aliases b as a string; items alias the PDU's bytes anyway.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// cutNUL returns s up to its first NUL, and whether anything other than NUL
// follows (tshark's "Trailing stray characters").
func cutNUL(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			for j := i + 1; j < len(s); j++ {
				if s[j] != 0 {
					return s[:i], true
				}
			}
			return s[:i], false
		}
	}
	return s, false
}

// appendDisplayString appends s as tshark 4.0 shows a UTF-8 string: bad
// bytes become U+FFFD (one per maximal invalid subpart), C0 controls are
// escaped as \a \b \f \n \r \t \v or octal, other unprintable characters
// as \uXXXX; a backslash stays as it is.
func appendDisplayString(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 0x20 && c < 0x7f:
				dst = append(dst, c)
			case c == '\a':
				dst = append(dst, '\\', 'a')
			case c == '\b':
				dst = append(dst, '\\', 'b')
			case c == '\f':
				dst = append(dst, '\\', 'f')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c == '\v':
				dst = append(dst, '\\', 'v')
			default:
				dst = append(dst, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			n = invalidSpan(s[i:])
			dst = append(dst, "\uFFFD"...)
			i += n
			continue
		}
		if printable(r) {
			dst = append(dst, s[i:i+n]...)
		} else {
			dst = appendUEscape(dst, r)
		}
		i += n
	}
	return dst
}

// invalidSpan is the length of the maximal subpart of an ill-formed UTF-8
// sequence at the start of s (at least 1): a lead byte and the continuation
// bytes that could still have completed it.
func invalidSpan(s string) int {
	c := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c == 0xe0:
		need, lo = 2, 0xa0
	case c >= 0xe1 && c <= 0xef:
		need = 2
		if c == 0xed {
			hi = 0x9f
		}
	case c == 0xf0:
		need, lo = 3, 0x90
	case c >= 0xf1 && c <= 0xf3:
		need = 3
	case c == 0xf4:
		need, hi = 3, 0x8f
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
	}
	return n
}

// printable follows GLib's g_unichar_isprint, which Wireshark uses: all but
// controls, format characters, surrogates and unassigned code points.
func printable(r rune) bool {
	if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cs, r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Co)
}

func appendUEscape(dst []byte, r rune) []byte {
	const hexd = "0123456789ABCDEF"
	digits := 4
	dst = append(dst, '\\', 'u')
	if r > 0xffff {
		digits = 8
		dst[len(dst)-1] = 'U'
	}
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexd[(r>>(4*uint(i)))&15])
	}
	return dst
}

// appendHexBytes appends up to bytesShown bytes as lower-case hex, "…" when
// there were more, "<MISSING>" for none.
func appendHexBytes(dst []byte, b []byte) []byte {
	if len(b) == 0 {
		return append(dst, "<MISSING>"...)
	}
	const hexd = "0123456789abcdef"
	for i, c := range b {
		if i == bytesShown {
			return append(dst, "…"...)
		}
		dst = append(dst, hexd[c>>4], hexd[c&15])
	}
	return dst
}

// truncateLabel applies Wireshark's label limit to the label that starts
// at dst[start:], whose field name ends at nameEnd.
func truncateLabel(dst []byte, start, nameEnd int) []byte {
	if len(dst)-start < labelMax {
		return dst
	}
	const mark = " [truncated]"
	dst = append(dst, mark...) // room to shift
	copy(dst[nameEnd+len(mark):], dst[nameEnd:len(dst)-len(mark)])
	copy(dst[nameEnd:], mark)
	cut := start + truncMax
	for cut > start && !utf8.RuneStart(dst[cut]) {
		cut--
	}
	return dst[:cut]
}

// appendValidUTF8 appends s with bad UTF-8 replaced by U+FFFD, as the Info
// column shows a topic.
func appendValidUTF8(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			dst = append(dst, "\uFFFD"...)
			i += invalidSpan(s[i:])
			continue
		}
		dst = append(dst, s[i:i+n]...)
		i += n
	}
	return dst
}

// appendFormatText appends s as tshark 4.0's format_text shows bytes that
// were never checked as UTF-8 (strings a dissector built itself, text
// lines): ASCII as appendDisplayString does; a lead byte takes the
// continuation bytes that follow it, up to the length it announces (up to
// six bytes, overlong forms included) and the character is shown if
// printable, as \uXXXX if not; a stray continuation byte, 0xfe, 0xff, a
// sequence cut short (the byte that cut it is read afresh) or a surrogate
// or out-of-range value shows as U+FFFD.
func appendFormatText(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			dst = appendDisplayString(dst, s[i:j])
			i = j
			continue
		}
		var need int
		var r rune
		switch {
		case c&0xe0 == 0xc0:
			need, r = 1, rune(c&0x1f)
		case c&0xf0 == 0xe0:
			need, r = 2, rune(c&0x0f)
		case c&0xf8 == 0xf0:
			need, r = 3, rune(c&0x07)
		case c&0xfc == 0xf8:
			need, r = 4, rune(c&0x03)
		case c&0xfe == 0xfc:
			need, r = 5, rune(c&0x01)
		default:
			dst = append(dst, "\uFFFD"...)
			i++
			continue
		}
		i++
		ok := true
		for ; need > 0; need-- {
			if i >= len(s) || s[i]&0xc0 != 0x80 {
				ok = false
				break
			}
			r = r<<6 | rune(s[i]&0x3f)
			i++
		}
		switch {
		case !ok || r > unicode.MaxRune || r >= 0xd800 && r <= 0xdfff:
			dst = append(dst, "\uFFFD"...)
		case printable(r):
			dst = utf8.AppendRune(dst, r)
		default:
			dst = appendUEscape(dst, r)
		}
	}
	return dst
}
