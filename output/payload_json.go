package output

import "unicode/utf8"

// jsonParser follows the grammar tshark 4.0.17 parses JSON with (the
// tvbparse rules of packet-json.c) and adds the items its callbacks add,
// in their order. Facts that differ from RFC 8259, each checked with
// tshark (testdata/cases/v5-json*.case):
//
//   - Only an object or an array is a JSON text; the payload may hold
//     several, one after the other. The first that does not parse, and all
//     that follows it, is shown as data-text-lines. Nothing of that value
//     is shown in the tree (tvbparse runs the callbacks only once a whole
//     value matched). Whitespace after a parsed value is consumed.
//   - Whitespace may appear between any two elements of a rule, so "1 2",
//     "- 1" and "1 .5 e 3" are numbers (shown as written), and so is the
//     gap in "\u 0041" (which then reads as U+FFFD then "0041"); "\ n"
//     gets through the grammar and makes tshark assert (a Dissector bug
//     that ends the tree).
//   - NaN is a value; a number may not start with "0" followed by digits.
//   - Strings are unescaped by json_string_unescape: a lead byte copies as
//     many bytes as it announces, unchecked; 0xfe/0xff end the string;
//     \u escapes of unprintable characters vanish; lone or broken
//     surrogates become U+FFFD (the character after a lone lead surrogate
//     is swallowed); an escape that ends the string adds nothing. The
//     result is a C string: it ends at its first NUL.
//
// Paths: a member adds "/key" to its parent's path, an array "/[]"; a
// scalar value gets "[Path with value: path:value]" and "[Member with
// value: key:value]", its key being "[]" inside an array.
type jsonParser struct {
	src   []byte
	pos   int
	items []item
	depth uint8
	// paths and keys are the stack of (path, key) packet-json.c keeps for
	// its extended path filtering; the bottom is ("", "").
	paths, keys []string
	// bug is set, and bugAt is the item count, when a string holds an
	// escape tshark asserts on: if the value parses, its callbacks stop
	// there.
	bug     bool
	bugAt   int
	scratch []byte
}

// parse adds the items of the values that parse and returns where the
// text tshark hands to data-text-lines starts, and whether tshark's
// dissector asserted (the tree then ends where it did).
func (p *jsonParser) parse() (rest int, bug bool) {
	p.depth = 1
	p.paths = append(p.paths[:0], "")
	p.keys = append(p.keys[:0], "")
	for {
		mark := len(p.items)
		p.pos = rest
		p.ws()
		var ok bool
		switch p.peek() {
		case '{':
			ok = p.object()
		case '[':
			ok = p.array()
		}
		if !ok {
			p.items = p.items[:mark]
			return rest, false
		}
		if p.bug {
			p.items = p.items[:p.bugAt]
			return rest, true
		}
		p.ws()
		rest = p.pos
	}
}

// peek is the byte at pos, 0 at the end (0 starts no token).
func (p *jsonParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// ws skips what tvbparse ignores between elements: space, tab, CR, LF.
func (p *jsonParser) ws() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// lit matches c after optional whitespace.
func (p *jsonParser) lit(c byte) bool {
	p.ws()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *jsonParser) add(f *Field, s string, generated bool) {
	p.items = append(p.items, item{f: f, s: s, depth: p.depth, generated: generated})
}

// object: "{" [ member *( "," member ) ] "}".
func (p *jsonParser) object() bool {
	p.pos++ // '{', checked by the caller
	p.add(fJSONObject, "", false)
	p.depth++
	defer func() { p.depth-- }()
	save, mark := p.pos, len(p.items)
	if !p.member() {
		p.pos, p.items = save, p.items[:mark]
		return p.lit('}')
	}
	for {
		save, mark = p.pos, len(p.items)
		if !p.lit(',') || !p.member() {
			p.pos, p.items = save, p.items[:mark]
			break
		}
	}
	return p.lit('}')
}

// array: "[" [ value *( "," value ) ] "]".
func (p *jsonParser) array() bool {
	p.pos++ // '[', checked by the caller
	p.add(fJSONArray, "", false)
	base := p.paths[len(p.paths)-1]
	p.paths = append(p.paths, base+"/[]")
	p.keys = append(p.keys, "[]")
	p.depth++
	defer func() {
		p.depth--
		p.paths = p.paths[:len(p.paths)-1]
		p.keys = p.keys[:len(p.keys)-1]
	}()
	save, mark := p.pos, len(p.items)
	if !p.value() {
		p.pos, p.items = save, p.items[:mark]
		return p.lit(']')
	}
	for {
		save, mark = p.pos, len(p.items)
		if !p.lit(',') || !p.value() {
			p.pos, p.items = save, p.items[:mark]
			break
		}
	}
	return p.lit(']')
}

// member: string ":" value. The Member item comes first, the Key and the
// generated Path after the value, as packet-json.c's callbacks add them.
func (p *jsonParser) member() bool {
	p.ws()
	start := p.pos
	if !p.stringToken() {
		return false
	}
	inner := p.src[start+1 : p.pos-1]
	save := p.pos
	if !p.lit(':') {
		return false
	}
	p.pos = save
	// packet-json.c unescapes the key before it adds the Member item.
	key := p.unescape(inner)
	path := p.paths[len(p.paths)-1] + "/" + key
	mark := len(p.items)
	p.add(fJSONMember, key, false)
	p.paths = append(p.paths, path)
	p.keys = append(p.keys, key)
	p.depth++
	ok := p.lit(':') && p.value()
	if ok {
		p.add(fJSONKey, key, false)
		p.add(fJSONPath, path, true)
	}
	p.depth--
	p.paths = p.paths[:len(p.paths)-1]
	p.keys = p.keys[:len(p.keys)-1]
	if !ok {
		p.items = p.items[:mark]
	}
	return ok
}

// value: false / null / true / NaN / object / array / number / string,
// tried in that order.
func (p *jsonParser) value() bool {
	p.ws()
	start := p.pos
	var f *Field
	switch c := p.peek(); {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case p.word("false"):
		f = fJSONFalse
	case p.word("null"):
		f = fJSONNull
	case p.word("true"):
		f = fJSONTrue
	case p.word("NaN"):
		f = fJSONNaN
	case c == '"':
		if !p.stringToken() {
			return false
		}
		v := p.unescape(p.src[start+1 : p.pos-1])
		p.scalar(v)
		p.add(fJSONString, v, false)
		return true
	default:
		if !p.number() {
			return false
		}
		// A number is ASCII: its text (with any whitespace in it) is its value.
		v := string(p.src[start:p.pos])
		p.scalar(v)
		p.add(fJSONNumber, v, false)
		return true
	}
	p.scalar(string(p.src[start:p.pos]))
	p.add(f, "", false)
	return true
}

// scalar adds the two generated items every scalar value gets.
func (p *jsonParser) scalar(v string) {
	path, key := p.paths[len(p.paths)-1], p.keys[len(p.keys)-1]
	p.add(fJSONPathWithValue, path+":"+v, true)
	p.add(fJSONMemberWithValue, key+":"+v, true)
}

func (p *jsonParser) word(w string) bool {
	if len(p.src)-p.pos >= len(w) && string(p.src[p.pos:p.pos+len(w)]) == w {
		p.pos += len(w)
		return true
	}
	return false
}

// stringToken matches a string: '"', then any bytes but '"' and '\', or
// escapes ('\' then one of "\/bfnrt or u and four hex digits, whitespace
// allowed after the '\' and after the 'u'), then '"'.
func (p *jsonParser) stringToken() bool {
	if p.peek() != '"' {
		return false
	}
	i := p.pos + 1
	for i < len(p.src) {
		switch p.src[i] {
		case '"':
			p.pos = i + 1
			return true
		case '\\':
			j := skipWS(p.src, i+1)
			if j >= len(p.src) {
				return false
			}
			switch p.src[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i = j + 1
			case 'u':
				k := skipWS(p.src, j+1)
				if k+4 > len(p.src) || !isHex(p.src[k]) || !isHex(p.src[k+1]) || !isHex(p.src[k+2]) || !isHex(p.src[k+3]) {
					return false
				}
				i = k + 4
			default:
				return false
			}
		default:
			i++
		}
	}
	return false
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number: [ "-" ] ( "0" / digit1-9 *DIGIT ) [ "." 1*DIGIT ] [ ("e"/"E")
// [ "-"/"+" ] 1*DIGIT ], whitespace allowed between the parts.
func (p *jsonParser) number() bool {
	if p.peek() == '-' {
		p.pos++
		p.ws()
	}
	switch c := p.peek(); {
	case c == '0':
		p.pos++
	case c >= '1' && c <= '9':
		p.pos++
		if j := skipWS(p.src, p.pos); j < len(p.src) && isDigit(p.src[j]) {
			p.pos = digitsEnd(p.src, j)
		}
	default:
		return false
	}
	// Optional fraction, then optional exponent; each is taken only whole.
	if j := skipWS(p.src, p.pos); j < len(p.src) && p.src[j] == '.' {
		if k := skipWS(p.src, j+1); k < len(p.src) && isDigit(p.src[k]) {
			p.pos = digitsEnd(p.src, k)
		}
	}
	if j := skipWS(p.src, p.pos); j < len(p.src) && (p.src[j] == 'e' || p.src[j] == 'E') {
		k := skipWS(p.src, j+1)
		if k < len(p.src) && (p.src[k] == '-' || p.src[k] == '+') {
			k = skipWS(p.src, k+1)
		}
		if k < len(p.src) && isDigit(p.src[k]) {
			p.pos = digitsEnd(p.src, k)
		}
	}
	return true
}

func digitsEnd(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// unescape is json_string_unescape of tshark 4.0.17 on a string's inner
// bytes, cut at its first NUL. On an escape the function asserts on it
// records the first such place (p.bug, p.bugAt).
func (p *jsonParser) unescape(s []byte) string {
	out := p.scratch[:0]
	defer func() { p.scratch = out }()
	i := 0
loop:
	for i < len(s) {
		c := s[i]
		if c != '\\' {
			n := utf8CharLen(c)
			if n <= 0 {
				break
			}
			end := min(i+n, len(s))
			out = append(out, s[i:end]...)
			i = end
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		c = s[i]
		i++
		switch c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			var r rune
			var ok bool
			r, i, ok = hex4(s, i)
			switch {
			case ok && r >= 0xd800 && r <= 0xdbff:
				if i >= len(s) {
					break loop
				}
				if s[i] != '\\' {
					i++ // swallowed
					ok = false
					break
				}
				i++
				if i >= len(s) {
					break loop
				}
				if s[i] != 'u' {
					i++
					ok = false
					break
				}
				var lo rune
				var ok2 bool
				lo, i, ok2 = hex4(s, i+1)
				if ok2 && lo >= 0xdc00 && lo <= 0xdfff {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
				} else {
					ok = false
				}
			case ok && r >= 0xdc00 && r <= 0xdfff:
				ok = false
			}
			switch {
			case !ok:
				out = append(out, "\uFFFD"...)
			case printable(r) && i < len(s):
				// tshark copies the character only if the escape did not
				// end the string.
				out = utf8.AppendRune(out, r)
			}
		default:
			if !p.bug {
				p.bug, p.bugAt = true, len(p.items)
			}
			return ""
		}
	}
	if n := indexNULBytes(out); n >= 0 {
		out = out[:n]
	}
	return string(out)
}

// hex4 reads up to four hex digits from s[i:] as tshark does: a byte that
// is not one is still consumed, and the escape is then invalid.
func hex4(s []byte, i int) (rune, int, bool) {
	var r rune
	for k := 0; k < 4; k++ {
		if i >= len(s) {
			return r, i, false
		}
		c := s[i]
		i++
		var v byte
		switch {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			return r, i, false
		}
		r = r<<4 | rune(v)
	}
	return r, i, true
}

// utf8CharLen is Wireshark's ws_utf8_char_len: the length a byte announces
// as a UTF-8 lead byte, continuation bytes counting as 1, -1 for 0xfe/0xff.
func utf8CharLen(c byte) int {
	switch {
	case c >= 0xfe:
		return -1
	case c >= 0xfc:
		return 6
	case c >= 0xf8:
		return 5
	case c >= 0xf0:
		return 4
	case c >= 0xe0:
		return 3
	case c >= 0xc0:
		return 2
	}
	return 1
}

func indexNULBytes(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}
