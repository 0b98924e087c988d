package output

import (
	"strconv"
	"unicode/utf8"
)

// JSONObject is a JSON object whose keys keep their order and may repeat,
// as in tshark -T json (a PDU with three properties has three
// "mqtt.property_id" keys; a frame with two PDUs has two "mqtt" layers).
type JSONObject struct {
	Members []JSONMember
	arena   *JSONArena // where AddObject takes its objects from (nil: the heap)
}

// JSONArena hands out JSONObjects and takes them all back at once, keeping
// their member slices: a -T json frame is some twenty objects and a
// hundred members, and allocating them afresh for every frame made the
// garbage collector most of the cost of -T json on large captures.
// Objects from an arena are valid until its next Reset.
type JSONArena struct {
	objs []*JSONObject
	used int
}

// Object returns an empty object whose AddObject children come from the
// arena too. A nil arena allocates.
func (a *JSONArena) Object() *JSONObject {
	if a == nil {
		return &JSONObject{}
	}
	if a.used < len(a.objs) {
		o := a.objs[a.used]
		a.used++
		clear(o.Members) // drop references to the last frame's strings
		o.Members = o.Members[:0]
		return o
	}
	o := &JSONObject{arena: a}
	a.objs = append(a.objs, o)
	a.used++
	return o
}

// Reset takes back every object handed out.
func (a *JSONArena) Reset() { a.used = 0 }

// JSONMember is one key with a string value, an object, or raw JSON (null,
// numbers, arrays the caller built).
type JSONMember struct {
	Key string
	Str string
	Obj *JSONObject
	Raw string // written as is when set
	// Verbatim: Str is written byte for byte, bad UTF-8 included (only
	// '"', '\\' and control characters escaped), as tshark writes a string
	// a dissector built itself (the "json" layer's values).
	Verbatim bool
}

// Add appends a string member.
func (o *JSONObject) Add(key, val string) {
	o.Members = append(o.Members, JSONMember{Key: key, Str: val})
}

// AddRaw appends a member written verbatim ("null", "1").
func (o *JSONObject) AddRaw(key, raw string) {
	o.Members = append(o.Members, JSONMember{Key: key, Raw: raw})
}

// AddObject appends an object member and returns it.
func (o *JSONObject) AddObject(key string) *JSONObject {
	c := o.arena.Object()
	o.Members = append(o.Members, JSONMember{Key: key, Obj: c})
	return c
}

// AppendIndented appends the object as tshark -T json prints it: two spaces
// per level, starting at the given level (the object's own "{" is not
// indented: it follows its key).
func (o *JSONObject) AppendIndented(dst []byte, level int) []byte {
	if len(o.Members) == 0 {
		return append(dst, "{}"...)
	}
	dst = append(dst, "{\n"...)
	for i, m := range o.Members {
		dst = appendIndent(dst, level+1)
		dst = appendJSONString(dst, m.Key)
		dst = append(dst, ": "...)
		dst = m.appendValue(dst, level+1, true)
		if i < len(o.Members)-1 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
	}
	dst = appendIndent(dst, level)
	return append(dst, '}')
}

// appendIndent appends two spaces per level.
func appendIndent(dst []byte, level int) []byte {
	const spaces = "                                                                "
	for n := 2 * level; n > 0; n -= len(spaces) {
		dst = append(dst, spaces[:min(n, len(spaces))]...)
	}
	return dst
}

// AppendCompact appends the object on one line (for jsonl output).
func (o *JSONObject) AppendCompact(dst []byte) []byte {
	dst = append(dst, '{')
	for i, m := range o.Members {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, m.Key)
		dst = append(dst, ':')
		dst = m.appendValue(dst, 0, false)
	}
	return append(dst, '}')
}

func (m *JSONMember) appendValue(dst []byte, level int, indented bool) []byte {
	switch {
	case m.Raw != "":
		return append(dst, m.Raw...)
	case m.Obj != nil && indented:
		return m.Obj.AppendIndented(dst, level)
	case m.Obj != nil:
		return m.Obj.AppendCompact(dst)
	}
	return appendJSONText(dst, m.Str, m.Verbatim)
}

// appendJSONString quotes s; bad UTF-8 becomes U+FFFD (as tshark shows a
// string it fetched as UTF-8).
func appendJSONString(dst []byte, s string) []byte {
	return appendJSONText(dst, s, false)
}

// jsonPlain marks the bytes appendJSONText copies as they are: printable
// ASCII but '"' and '\\'.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONText quotes s as tshark's json_dumper does: '"' and '\\'
// escaped, \b \f \n \r \t, other controls as \u00XX; bad UTF-8 becomes
// U+FFFD unless verbatim.
func appendJSONText(dst []byte, s string, verbatim bool) []byte {
	const hexd = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		// Copy the run of bytes that need no escaping in one go: keys and
		// most values are all such bytes.
		j := i
		for j < len(s) && jsonPlain[s[j]] {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j]...)
			if i = j; i == len(s) {
				break
			}
		}
		c := s[i]
		if c < utf8.RuneSelf || verbatim {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
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
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			dst = append(dst, "\uFFFD"...)
			i += invalidSpan(s[i:])
			continue
		}
		dst = append(dst, s[i:i+n]...)
		i += n
	}
	return append(dst, '"')
}

// JSONLayer is the "mqtt" object tshark -T json prints for the PDU: field
// filter names as keys in tree order, values as strings, bitmask children
// under "<name>_tree", property subtrees as objects, expert infos as
// "_ws.expert" objects.
func JSONLayer(d *Dissection, p Prefs) *JSONObject {
	return jsonLayer(nil, d, p)
}

func jsonLayer(a *JSONArena, d *Dissection, p Prefs) *JSONObject {
	o := a.Object()
	items := d.b.items
	jsonItems(o, items, 0, len(items), 1, p)
	return o
}

// JSONLayers are the layer members the PDU adds to a frame's "layers":
// "mqtt", then "_ws.malformed" when tshark found it malformed, then the
// layers of the payload's sub-dissectors ("json", "data-text-lines").
func JSONLayers(d *Dissection, p Prefs) []JSONMember {
	return AppendJSONLayers(nil, nil, d, p)
}

// AppendJSONLayers appends JSONLayers to out with the objects taken from
// the arena a (nil: the heap).
func AppendJSONLayers(out []JSONMember, a *JSONArena, d *Dissection, p Prefs) []JSONMember {
	if d.b.bare {
		// A protocol item without fields is printed as its label.
		out = append(out, JSONMember{Key: "mqtt", Str: protocolName})
	} else {
		out = append(out, JSONMember{Key: "mqtt", Obj: jsonLayer(a, d, p)})
	}
	if d.Malformed() {
		m := a.Object()
		jsonExpert(m, eiMalformed)
		m.Add("_ws.malformed", "Malformed Packet")
		out = append(out, JSONMember{Key: "_ws.malformed", Obj: m})
	} else if d.Short() && d.Unreassembled {
		m := a.Object()
		jsonExpert(m, eiUnreassembled)
		out = append(out, JSONMember{Key: "_ws.unreassembled", Obj: m})
	} else if d.Short() {
		out = append(out, JSONMember{Key: "_ws.short", Str: ShortMarker})
	}
	return subLayers(out, a, d, p)
}

// jsonItems adds items[from:to] at the given depth (deeper ones are the
// children of the item before them).
func jsonItems(o *JSONObject, items []item, from, to int, depth uint8, p Prefs) {
	for i := from; i < to; i++ {
		it := &items[i]
		if it.depth != depth || it.malformed {
			continue
		}
		if it.ex != nil {
			jsonExpert(o, it.ex)
			continue
		}
		end := i + 1
		for end < to && items[end].depth > depth {
			end++
		}
		f := fieldFor(it.f, p)
		switch {
		case f.Kind == KindNone && end == i+1:
			// A subtree without children is its label's value: "".
			o.Add(f.Name, "")
			continue
		case f.Kind == KindNone:
			jsonItems(o.AddObject(f.Name), items, i+1, end, depth+1, p)
			continue
		case f.Kind == KindText:
			// A text item's key is its label as shown (truncated too).
			label := appendFormatText(nil, it.s)
			o.Add(string(truncateLabel(label, 0, 0)), "")
			continue
		case f.Kind == KindCString && end == i+1:
			o.Members = append(o.Members, JSONMember{Key: f.Name, Str: it.s, Verbatim: true})
			continue
		case f.Kind == KindCString:
			o.Members = append(o.Members, JSONMember{Key: f.Name, Str: it.s, Verbatim: true})
			jsonItems(o.AddObject(f.tree), items, i+1, end, depth+1, p)
			continue
		}
		o.Add(f.Name, jsonValue(f, it))
		if end > i+1 || f.Kind == KindString && stray(it) {
			c := o.AddObject(f.tree)
			jsonItems(c, items, i+1, end, depth+1, p)
			if f.Kind == KindString && stray(it) {
				jsonExpert(c, eiTrailingStray)
			}
		}
	}
}

func stray(it *item) bool {
	if it.f.Counted {
		return false
	}
	_, s := cutNUL(itemString(it))
	return s
}

func jsonExpert(o *JSONObject, e *expert) {
	x := o.AddObject("_ws.expert")
	x.Add(e.Name, "")
	x.Add("_ws.expert.message", e.Message)
	x.Add("_ws.expert.severity", severityCodes[e.Severity])
	x.Add("_ws.expert.group", groupCodes[e.Group])
}

// jsonValue is the value as tshark -T json writes it: integers in decimal,
// or hex as wide as the whole field for BASE_HEX; booleans 0 or 1; bytes as
// colon-separated hex.
func jsonValue(f *Field, it *item) string {
	var buf [64]byte
	switch f.Kind {
	case KindBool:
		if fieldValue(f, it.u) != 0 {
			return "1"
		}
		return "0"
	case KindUint:
		v := fieldValue(f, it.u)
		if f.Base == BaseHex {
			whole := *f
			whole.Mask = 0
			return string(appendUint(buf[:0], &whole, v))
		}
		return strconv.FormatUint(v, 10)
	case KindString:
		s, _ := cutNUL(itemString(it))
		return s
	case KindCString:
		return it.s
	case KindBytes:
		const hexd = "0123456789abcdef"
		out := make([]byte, 0, 3*len(it.b))
		for i, c := range it.b {
			if i > 0 {
				out = append(out, ':')
			}
			out = append(out, hexd[c>>4], hexd[c&15])
		}
		return string(out)
	}
	return ""
}
