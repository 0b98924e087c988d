package hexdump

import "fmt"

// parseHexWords decodes hex without offsets or prefixes. Plain input has one
// run of digits per line and the lines join up (xxd -p wraps at 60 digits,
// other tools at odd widths); spaced input separates bytes or groups with
// whitespace, colons, dashes or commas, and each group must hold whole bytes.
func parseHexWords(text []byte) (Style, []Block, error) {
	if isPlain(text) {
		blocks, err := parsePlain(text)
		return StylePlain, blocks, err
	}
	blocks, err := parseSpaced(text)
	return StyleSpaced, blocks, err
}

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

func parsePlain(text []byte) ([]Block, error) {
	data := make([]byte, 0, len(text)/2)
	first := 0
	digits := 0
	// A byte's two digits may sit on two lines; remember where it started
	// so an error can point at it.
	var hi byte
	var pending line
	pendingAt := 0
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		t := ln.text
		start := skipSpace(t, 0)
		end := tokenEnd(t, start)
		if start == end {
			continue
		}
		if first == 0 {
			first = ln.num
		}
		for i := start; i < end; i++ {
			v, ok := unhex(t[i])
			if !ok {
				// Name the byte the bad digit belongs to.
				at, to := i, min(i+2, end)
				if digits%2 == 1 {
					at, to = max(i-1, start), i+1
				}
				return nil, errorInLine(ln, at, to, "hex", "not a hex digit")
			}
			if digits%2 == 0 {
				hi, pending, pendingAt = v, ln, i
			} else {
				data = append(data, hi<<4|v)
			}
			digits++
		}
	}
	if digits == 0 {
		return nil, ErrEmpty
	}
	if digits%2 == 1 {
		msg := fmt.Sprintf("odd number of hex digits (%d in all)", digits)
		return nil, errorInLine(pending, pendingAt, pendingAt+1, "hex", msg)
	}
	return []Block{{Data: data, Line: first}}, nil
}

func parseSpaced(text []byte) ([]Block, error) {
	data := make([]byte, 0, len(text)/3)
	first := 0
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		t := ln.text
		for i := 0; i < len(t); {
			if isHexSeparator(t[i]) {
				i++
				continue
			}
			end := i
			for end < len(t) && !isHexSeparator(t[end]) {
				end++
			}
			var msg string
			if data, msg = appendHex(data, t[i:end]); msg != "" {
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
