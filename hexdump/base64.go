package hexdump

import (
	"encoding/base64"
	"fmt"
)

// ParseBase64 decodes base64 input in the standard or URL-safe alphabet,
// padded or not, ignoring whitespace (so wrapped MIME or PEM-style lines
// work). It gives one Block.
func ParseBase64(text []byte) ([]Block, error) {
	return parseBase64(normalize(text))
}

func parseBase64(text []byte) ([]Block, error) {
	chars := make([]byte, 0, len(text))
	first, std, url, pad := -1, -1, -1, -1 // positions in text
	for i, c := range text {
		switch {
		case isWhite(c):
			continue
		case c == '=':
			if pad < 0 {
				pad = i
			}
			continue
		case pad >= 0:
			return nil, errorAt(text, i, i+1, "base64", `data after "=" padding`)
		case c == '+' || c == '/':
			if url >= 0 {
				return nil, errorAt(text, i, i+1, "base64", "mixes the standard (+/) and URL-safe (-_) alphabets")
			}
			if std < 0 {
				std = i
			}
		case c == '-' || c == '_':
			if std >= 0 {
				return nil, errorAt(text, i, i+1, "base64", "mixes the standard (+/) and URL-safe (-_) alphabets")
			}
			if url < 0 {
				url = i
			}
		case !isAlnum(c):
			return nil, errorAt(text, i, i+1, "base64", "not a base64 character")
		}
		if first < 0 {
			first = i
		}
		chars = append(chars, c)
	}
	if len(chars) == 0 {
		return nil, ErrEmpty
	}
	last := lastToken(text)
	if len(chars)%4 == 1 {
		msg := fmt.Sprintf("%d base64 characters cannot encode whole bytes: one is missing or extra", len(chars))
		return nil, errorAt(text, last, tokenEndAll(text, last), "base64", msg)
	}
	if pad >= 0 {
		pads := countPadding(text[pad:])
		if pads > 2 || (len(chars)+pads)%4 != 0 {
			return nil, errorAt(text, pad, tokenEndAll(text, pad), "base64", `wrong amount of "=" padding`)
		}
	}
	enc := base64.RawStdEncoding
	if url >= 0 {
		enc = base64.RawURLEncoding
	}
	data := make([]byte, enc.DecodedLen(len(chars)))
	n, err := enc.Decode(data, chars)
	if err != nil {
		// The alphabet and length were checked above; keep the decoder's
		// word rather than guessing if it still objects.
		return nil, errorAt(text, first, tokenEndAll(text, first), "base64", err.Error())
	}
	line, _ := position(text, first)
	return []Block{{Data: data[:n], Line: line}}, nil
}

func countPadding(t []byte) int {
	n := 0
	for _, c := range t {
		if c == '=' {
			n++
		}
	}
	return n
}

// lastToken returns the start of the last whitespace-separated word of text.
func lastToken(text []byte) int {
	end := len(text)
	for end > 0 && isWhite(text[end-1]) {
		end--
	}
	start := end
	for start > 0 && !isWhite(text[start-1]) {
		start--
	}
	return start
}

// tokenEndAll is tokenEnd that also stops at line ends.
func tokenEndAll(text []byte, i int) int {
	for i < len(text) && !isWhite(text[i]) {
		i++
	}
	return i
}

// looksBase64 decides whether input without hex structure is base64. Plain
// hex with a typo ("100c0o04...") is also valid base64, so it asks for more
// evidence than the alphabet: every line is one word, and the text has
// padding or enough letters beyond a-f to rule out a slip of the keyboard.
// Dash-separated hex (10-0c-zz) is left to the hex parser.
func looksBase64(text []byte) bool {
	n, nonHex, padding := 0, 0, false
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		t := ln.text
		start := skipSpace(t, 0)
		end := tokenEnd(t, start)
		if skipSpace(t, end) != len(t) {
			return false
		}
		if dashSeparatedPairs(t[start:end]) {
			return false
		}
		for i := start; i < end; i++ {
			c := t[i]
			switch {
			case c == '=':
				padding = true
				continue
			case padding:
				return false
			case !isAlnum(c) && c != '+' && c != '/' && c != '-' && c != '_':
				return false
			case !isHex(c):
				nonHex++
			}
			n++
		}
	}
	if n%4 == 1 {
		return false
	}
	return padding && n >= 2 || n >= 8 && nonHex >= max(2, n/16)
}

// dashSeparatedPairs reports a word like 10-0c-zz: short parts joined by
// dashes, which is separated hex (perhaps with a typo), not base64.
func dashSeparatedPairs(w []byte) bool {
	parts, run := 0, 0
	for _, c := range w {
		if c == '-' {
			if run == 0 || run > 2 {
				return false
			}
			parts++
			run = 0
			continue
		}
		run++
	}
	return parts > 0 && run > 0 && run <= 2
}
