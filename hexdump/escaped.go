package hexdump

import (
	"bytes"
	"unicode/utf8"
)

// parseEscaped decodes escaped strings: bare \x10\x0c, C or Go string
// literals ("\x10\x0cMQTT", Wireshark's Copy as Escaped String, Go's %q) and
// Python bytes reprs (b'\x10\x0c\x00\x04MQTT'). Inside quotes every
// character stands for itself; adjacent literals join, as in C and Python.
// Outside quotes only escapes are allowed, so stray words are reported
// rather than read as bytes.
func parseEscaped(w *window, e *emitter) error {
	i := w.off + skipDeclaration(w.slice(w.off, w.off+detectLimit))
	for e.err == nil && w.has(i) {
		if i-w.off >= releaseEvery {
			w.release(i)
		}
		c := w.at(i)
		switch {
		case isWhite(c) || c == '+' || c == ',' || c == ';' || c == '(' || c == ')':
			i++
		case c == '\\' && continuesLine(w, i):
			i = skipSpaceIn(w, i+1) + 1
		case c == '\\':
			e.ensureAt(w, i)
			j, msg := emitEscape(w, e, i)
			if msg != "" {
				return e.fail(w.errorAt(i, j, "escape", msg))
			}
			i = j
		case c == '"' || c == '\'':
			e.ensureAt(w, i)
			var err error
			if i, err = emitQuoted(w, e, i); err != nil {
				return e.fail(err)
			}
		case (c == 'b' || c == 'B') && w.has(i+1) && (w.at(i+1) == '"' || w.at(i+1) == '\''):
			i++ // Python bytes prefix
		default:
			end := w.scanEnd(i, i, func(c byte) bool { return isWhite(c) || c == '\\' })
			return e.fail(w.errorAt(i, end, "hex", `outside quotes only \x escapes are allowed`))
		}
	}
	return e.err
}

// skipDeclaration skips a declaration before the first literal, such as
// `char pkt[] = ` or `payload := `, recognised by its '='.
func skipDeclaration(text []byte) int {
	p := bytes.IndexAny(text, "\"'\\")
	if p < 0 {
		return 0
	}
	return bytes.LastIndexByte(text[:p], '=') + 1
}

// continuesLine reports a backslash that ends its line: a C or Python line
// continuation, not an escape.
func continuesLine(w *window, i int) bool {
	j := skipSpaceIn(w, i+1)
	return w.has(j) && w.at(j) == '\n'
}

// skipSpaceIn returns the offset of the first non-space byte at or after i.
func skipSpaceIn(w *window, i int) int {
	for w.has(i) && isSpace(w.at(i)) {
		i++
	}
	return i
}

// emitEscape decodes the escape at i and returns the offset after it, or
// the end of what was read and why it is not valid.
func emitEscape(w *window, e *emitter, i int) (int, string) {
	var tmp [utf8.UTFMax]byte
	out, j, msg := appendEscape(tmp[:0], w.slice(i, i+escapeMax), 0)
	j = min(i+j, w.off+w.size())
	if msg == "" {
		e.bytes(out)
	}
	return j, msg
}

// escapeMax is the longest escape: \U and eight digits.
const escapeMax = 10

// emitQuoted decodes the string literal whose opening quote is at i and
// returns the offset after its closing quote.
func emitQuoted(w *window, e *emitter, i int) (int, error) {
	tok := token{start: i}
	q := w.at(i)
	for j := i + 1; w.has(j); {
		if j-w.off >= releaseEvery {
			w.releaseIn(&tok, j)
		}
		c := w.at(j)
		switch {
		case c == q:
			return j + 1, nil
		case c == '\n':
			end := w.scanEnd(tok.start, j, func(c byte) bool { return c == '\n' })
			return 0, w.tokenError(&tok, end, "string", "no closing quote")
		case c == '\\' && continuesLine(w, j):
			j = skipSpaceIn(w, j+1) + 1
		case c == '\\':
			k, msg := emitEscape(w, e, j)
			if msg != "" {
				return 0, w.errorAt(j, k, "escape", msg)
			}
			j = k
		default:
			e.byte(c)
			j++
		}
	}
	end := w.scanEnd(tok.start, w.off+w.size(), func(c byte) bool { return c == '\n' })
	return 0, w.tokenError(&tok, end, "string", "no closing quote")
}
