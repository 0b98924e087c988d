package hexdump

import "fmt"

// Plain input has one run of digits per line and the lines join up (xxd -p
// wraps at 60 digits, other tools at odd widths); spaced input separates
// bytes or groups with whitespace, colons, dashes or commas, and each group
// must hold whole bytes. Detection tells them apart on a prefix with
// isPlain; a plain parse then also joins several runs on one line.

// isPlain reports whether no line has a separator inside it.
func isPlain(text []byte) bool {
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		t := ln.text
		i := skipSpace(t, 0)
		for ; i < len(t) && !isHexSeparator(t[i]); i++ {
		}
		if skipSpace(t, i) != len(t) {
			return false
		}
	}
	return true
}

func parsePlain(w *window, e *emitter) error {
	digits := 0
	var hi byte
	// A byte's two digits may sit on two lines; remember where it started
	// so an error can point at it.
	var pending token
	var tok token // the run being read
	inTok := false
	for i := w.off; e.err == nil && w.has(i); i++ {
		c := w.at(i)
		if isWhite(c) {
			inTok = false
			if i-w.off >= releaseEvery {
				w.releaseIn(&pending, i)
			}
			continue
		}
		if !inTok {
			inTok, tok = true, token{start: i}
			e.ensureAt(w, i)
		}
		v, ok := unhex(c)
		if !ok {
			// Name the byte the bad digit belongs to.
			at, to := i, i+2
			if digits%2 == 1 {
				at, to = max(i-1, tok.start), i+1
			} else if !w.has(i+1) || isWhite(w.at(i+1)) {
				to = i + 1
			}
			return e.fail(w.errorAt(at, to, "hex", "not a hex digit"))
		}
		if digits%2 == 0 {
			hi, pending = v, token{start: i}
		} else {
			e.byte(hi<<4 | v)
		}
		digits++
		if i-w.off >= releaseEvery {
			w.releaseIn(&pending, i-1)
		}
	}
	if e.err != nil || w.failure() != nil {
		return e.err
	}
	if digits%2 == 1 {
		msg := fmt.Sprintf("odd number of hex digits (%d in all)", digits)
		return e.fail(w.tokenError(&pending, pending.start+1, "hex", msg))
	}
	return nil
}

func parseSpaced(w *window, e *emitter) error {
	for i := w.off; e.err == nil && w.has(i); {
		if isHexSeparator(w.at(i)) {
			i++
			if i-w.off >= releaseEvery {
				w.release(i)
			}
			continue
		}
		tok := token{start: i}
		e.ensureAt(w, i)
		n := 0
		var hi byte
		for ; w.has(i) && !isHexSeparator(w.at(i)); i++ {
			v, ok := unhex(w.at(i))
			if !ok {
				return e.fail(w.tokenError(&tok, w.scanEnd(tok.start, i, isHexSeparator), "hex", "not a hex digit"))
			}
			if n%2 == 0 {
				hi = v
			} else {
				e.byte(hi<<4 | v)
			}
			n++
			if i-w.off >= releaseEvery {
				w.releaseIn(&tok, i)
			}
		}
		if n%2 != 0 {
			return e.fail(w.tokenError(&tok, i, "hex", "odd number of hex digits"))
		}
	}
	return e.err
}
