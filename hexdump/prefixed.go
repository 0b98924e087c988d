package hexdump

import "fmt"

// parse0x decodes 0x-prefixed bytes: "0x10, 0x0c", Python's [hex(b) for b in
// data] (which drops leading zeros: 0xc) and its quoted form ['0x10', '0xc'],
// or one long 0x100c0004... word. One or two digits are a single byte;
// longer words are a run of bytes and need an even number of digits.
func parse0x(w *window, e *emitter) error {
	for i := w.off; e.err == nil && w.has(i); {
		if is0xBreak(w.at(i)) {
			i++
			if i-w.off >= releaseEvery {
				w.release(i)
			}
			continue
		}
		e.ensureAt(w, i)
		var err error
		if i, err = read0xWord(w, e, i); err != nil {
			return e.fail(err)
		}
	}
	return e.err
}

// is0xSeparator reports what may stand between 0x words: whitespace, list
// punctuation and the brackets of a Python or JSON list.
func is0xSeparator(c byte) bool {
	return isSpace(c) || c == ',' || c == ';' || c == '[' || c == ']' || c == '(' || c == ')'
}

// is0xBreak is is0xSeparator or a line end: words do not span lines.
func is0xBreak(c byte) bool {
	return c == '\n' || is0xSeparator(c)
}

// read0xWord decodes the word at i, stripping one pair of matching quotes,
// and returns the offset after it. The digits go out as they are read; in
// a word that opens with a quote each character waits for the next, as the
// last may be the closing quote.
func read0xWord(w *window, e *emitter, i int) (int, error) {
	tok := token{start: i}
	first := i
	q := w.at(i)
	if q == '\'' || q == '"' {
		first++
		i++
	} else {
		q = 0
	}
	var x word0x
	var msg string
	for ; w.has(i) && !is0xBreak(w.at(i)); i++ {
		j := i
		if q != 0 {
			if i == first {
				continue // each character waits for the next
			}
			j = i - 1
		}
		if msg = x.feed(e, w.at(j)); msg != "" {
			break
		}
		if i-w.off >= releaseEvery {
			w.releaseIn(&tok, i-1)
		}
	}
	if q != 0 {
		// A quote opens the word: it is quoted if its last character is
		// the same quote; if not, the quote is part of the word.
		end := i
		for ; w.has(end) && !is0xBreak(w.at(end)); end++ {
			if end-w.off >= releaseEvery {
				w.releaseIn(&tok, end-1)
			}
		}
		if end-tok.start < 2 || w.at(end-1) != q {
			return end, w.tokenError(&tok, w.scanEnd(tok.start, end, is0xBreak), "hex", "expected a 0x-prefixed byte")
		}
		i = end
	}
	if msg == "" {
		msg = x.end(e)
	}
	if msg != "" {
		return i, w.tokenError(&tok, w.scanEnd(tok.start, i, is0xBreak), "hex", msg)
	}
	return i, nil
}

// word0x decodes the characters of a 0x word one by one.
type word0x struct {
	n      int // characters fed
	digits int
	hi     byte
}

// feed takes the next character and says what is wrong, if anything.
func (x *word0x) feed(e *emitter, c byte) string {
	x.n++
	switch x.n {
	case 1:
		if c != '0' {
			return "expected a 0x-prefixed byte"
		}
		return ""
	case 2:
		if c != 'x' && c != 'X' {
			return "expected a 0x-prefixed byte"
		}
		return ""
	}
	v, ok := unhex(c)
	if !ok {
		return "not a hex digit"
	}
	if x.digits%2 == 0 {
		x.hi = v
	} else {
		e.byte(x.hi<<4 | v)
	}
	x.digits++
	return ""
}

// end finishes the word.
func (x *word0x) end(e *emitter) string {
	switch {
	case x.n < 2:
		return "expected a 0x-prefixed byte"
	case x.digits == 0:
		return "no hex digits after 0x"
	case x.digits == 1:
		e.byte(x.hi)
	case x.digits%2 != 0:
		return fmt.Sprintf("odd number of hex digits (%d) after 0x", x.digits)
	}
	return ""
}
