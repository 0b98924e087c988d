package hexdump

import "fmt"

// parseBase64 decodes base64 in the standard or URL-safe alphabet, padded
// or not, ignoring whitespace, four characters at a time as they are read.
func parseBase64(w *window, e *emitter) error {
	var quad [4]byte
	nq, chars := 0, 0
	std, url := false, false
	pads := 0
	pad := token{start: -1} // the first "="
	padEnd := -1            // the end of the word it is in
	var last token          // the last word
	lastEnd, inWord := -1, false
	for i := w.off; e.err == nil && w.has(i); i++ {
		c := w.at(i)
		if i-w.off >= releaseEvery {
			w.keep(&pad, i)
			w.releaseIn(&last, i)
		}
		if isWhite(c) {
			if inWord {
				inWord, lastEnd = false, i
				if pad.start >= 0 && padEnd < 0 {
					padEnd = i
				}
			}
			continue
		}
		if !inWord {
			inWord, last = true, token{start: i}
		}
		switch {
		case c == '=':
			if pad.start < 0 {
				pad = token{start: i}
			}
			pads++
			continue
		case pad.start >= 0:
			return e.fail(w.errorAt(i, i+1, "base64", `data after "=" padding`))
		case c == '+' || c == '/':
			if url {
				return e.fail(w.errorAt(i, i+1, "base64", "mixes the standard (+/) and URL-safe (-_) alphabets"))
			}
			std = true
		case c == '-' || c == '_':
			if std {
				return e.fail(w.errorAt(i, i+1, "base64", "mixes the standard (+/) and URL-safe (-_) alphabets"))
			}
			url = true
		case !isAlnum(c):
			return e.fail(w.errorAt(i, i+1, "base64", "not a base64 character"))
		}
		e.ensureAt(w, i)
		quad[nq] = base64Value(c)
		if nq++; nq == 4 {
			e.bytes([]byte{quad[0]<<2 | quad[1]>>4, quad[1]<<4 | quad[2]>>2, quad[2]<<6 | quad[3]})
			nq = 0
		}
		chars++
	}
	if e.err != nil || w.failure() != nil || chars == 0 {
		return e.err
	}
	if inWord {
		lastEnd = w.off + w.size()
		if pad.start >= 0 && padEnd < 0 {
			padEnd = lastEnd
		}
	}
	if chars%4 == 1 {
		msg := fmt.Sprintf("%d base64 characters cannot encode whole bytes: one is missing or extra", chars)
		return e.fail(w.tokenError(&last, lastEnd, "base64", msg))
	}
	if pad.start >= 0 && (pads > 2 || (chars+pads)%4 != 0) {
		return e.fail(w.tokenError(&pad, padEnd, "base64", `wrong amount of "=" padding`))
	}
	switch nq {
	case 2:
		e.byte(quad[0]<<2 | quad[1]>>4)
	case 3:
		e.bytes([]byte{quad[0]<<2 | quad[1]>>4, quad[1]<<4 | quad[2]>>2})
	}
	return e.err
}

// base64Value is the value of a character of either alphabet; mixing them
// is refused before.
func base64Value(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A'
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26
	case '0' <= c && c <= '9':
		return c - '0' + 52
	case c == '+' || c == '-':
		return 62
	}
	return 63
}

// looksBase64 decides whether input without hex structure is base64. Plain
// hex with a typo ("100c0o04...") is also valid base64, so it asks for more
// evidence than the alphabet: every line is one word, and the text has
// padding or enough letters beyond a-f to rule out a slip of the keyboard.
// Dash-separated hex (10-0c-zz) is left to the hex parser.
func looksBase64(text []byte, complete bool) bool {
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
	if complete && n%4 == 1 {
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
