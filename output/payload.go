package output

// The payload of an MQTT 5.0 PUBLISH that carries a Content Type property
// (MQTT 5.0 §3.3.2.3.9): tshark 4.0 (packet-mqtt.c) looks the string up in
// Wireshark's "media_type" dissector table and, when a dissector is
// registered for it, hands the payload over. That dissector adds its own
// top-level section after the MQTT one ("JavaScript Object Notation:
// application/json"), may change the Protocol and Info columns, and adds
// its layer to "[Protocols in frame]" and to -T json. The sections are
// built once per PDU by Dissect, like the MQTT tree, and written by
// AppendTree right after it.

// mediaKind is which sub-dissector tshark runs on a payload.
type mediaKind uint8

const (
	mediaNone mediaKind = iota
	mediaJSON           // "json" (packet-json.c)
	mediaText           // "data-text-lines" (packet-text-media.c)
	mediaBug            // the "[Dissector bug, protocol JSON: ...]" tshark shows
)

// mediaTypes are the entries of tshark 4.0.17's media_type table whose
// dissector this package reproduces, in lower case (tshark matches ASCII
// case-insensitively, the whole string as sent: no trimming, no
// parameters, and only up to a NUL). Each was tried with real tshark
// (testdata/cases/v5-content-types.case). Entries that lead to other
// dissectors (application/xml, text/xml: XML; application/cbor: CBOR;
// application/octet-stream: data; application/sdp: SDP; message/http;
// message/sipfrag; application/pkix-cert; application/dns-message;
// application/x-www-form-urlencoded; application/grpc+json...) are not
// reproduced: no section is shown (tshark shows theirs).
var mediaTypes = map[string]mediaKind{
	"application/json":               mediaJSON,
	"application/senml+json":         mediaJSON,
	"application/sensml+json":        mediaJSON,
	"application/json-rpc":           mediaJSON,
	"application/jsonrequest":        mediaJSON,
	"application/dds-web+json":       mediaJSON,
	"application/vnd.oma.lwm2m+json": mediaJSON,
	"application/problem+json":       mediaJSON,
	"application/merge-patch+json":   mediaJSON,
	"application/json-patch+json":    mediaJSON,
	"application/x-ndjson":           mediaJSON,
	// data-text-lines (packet-text-media.c and others that register it).
	"text/plain":                        mediaText,
	"text/html":                         mediaText,
	"text/css":                          mediaText,
	"text/javascript":                   mediaText,
	"text/richtext":                     mediaText,
	"text/enriched":                     mediaText,
	"text/parameters":                   mediaText,
	"text/xml-external-parsed-entity":   mediaText,
	"text/vnd.sun.j2me.app-descriptor":  mediaText,
	"application/x-javascript":          mediaText,
	"application/x-ns-proxy-autoconfig": mediaText,
	"application/vnd.poc.refer-to":      mediaText,
	"application/vnd.drm.message":       mediaText,
	"application/x-rtsp-udp-packetpair": mediaText,
	"application/x-tia-p25-issi":        mediaText,
	"application/x-tia-p25-sndcp":       mediaText,
}

// layerNames are the -T json layer and "[Protocols in frame]" names.
var layerNames = [...]string{mediaJSON: "json", mediaText: "data-text-lines", mediaBug: "_ws.malformed"}

// lookupMedia finds a content type in mediaTypes without allocating.
func lookupMedia(ct string) mediaKind {
	var buf [64]byte
	if len(ct) > len(buf) {
		return mediaNone // longer than any entry
	}
	b := buf[:len(ct)]
	for i := 0; i < len(ct); i++ {
		c := ct[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return mediaTypes[string(b)]
}

// subSection is one top-level section a sub-dissector added: its items
// are d.subItems[from:to], at depth 1 and below.
type subSection struct {
	kind     mediaKind
	from, to int
	lines    int  // data-text-lines: the "(N lines)" of its title
	nonEmpty bool // it had bytes, so tshark lists it in "[Protocols in frame]"
}

// jsonBugAt is where tshark 4.0.17's packet-json.c asserts when a string
// holds an escape its grammar let through ("\ n"): the JSON tree stops there.
const jsonBugAt = `./epan/dissectors/packet-json.c:533: failed assertion "DISSECTOR_ASSERT_NOT_REACHED"`

var eiJSONBug = &expert{"_ws.malformed.dissector_bug", jsonBugAt, "Error", "Malformed"}

// dissectPayload runs the sub-dissector the content type names on the
// payload, as tshark does after the MQTT tree of a PUBLISH.
func (b *builder) dissectPayload(ct string, payload []byte) {
	d := b.d
	// tshark reads the property as a C string.
	if i := indexNUL(ct); i >= 0 {
		ct = ct[:i]
	}
	kind := lookupMedia(ct)
	if kind == mediaNone {
		return
	}
	d.contentType = ct
	switch kind {
	case mediaJSON:
		d.proto = "MQTT/JSON"
		b.info = append(b.info, ", JavaScript Object Notation"...)
		p := jsonParser{src: payload, items: d.subItems}
		rest, bug := p.parse()
		d.subItems = p.items
		d.sub = append(d.sub, subSection{kind: mediaJSON, to: len(d.subItems), nonEmpty: len(payload) > 0})
		if bug {
			d.sub = append(d.sub, subSection{kind: mediaBug, from: len(d.subItems), to: len(d.subItems)})
			b.info = append(b.info, "[Dissector bug, protocol JSON: "...)
			b.info = append(b.info, jsonBugAt...)
			b.info = append(b.info, ']')
			return
		}
		if rest < len(payload) {
			b.textLines(payload[rest:])
		}
	case mediaText:
		b.textLines(payload)
	}
	b.info = append(b.info, " ("...)
	b.info = append(b.info, ct...)
	b.info = append(b.info, ')')
}

// textLines adds a data-text-lines section: one text item per line, a
// line ending after LF, after CR LF, or after a CR alone.
func (b *builder) textLines(text []byte) {
	d := b.d
	s := subSection{kind: mediaText, from: len(d.subItems), nonEmpty: len(text) > 0}
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] != '\n' && text[j] != '\r' {
			j++
		}
		if j < len(text) {
			if text[j] == '\r' && j+1 < len(text) && text[j+1] == '\n' {
				j++
			}
			j++
		}
		d.subItems = append(d.subItems, item{f: fTextLine, depth: 1, s: bytesToString(text[i:j])})
		s.lines++
		i = j
	}
	s.to = len(d.subItems)
	d.sub = append(d.sub, s)
}

// EndsFrame reports whether tshark stops dissecting the frame after this
// PDU: the JSON dissector asserted on its payload, and the exception ends
// the frame, so the PDUs after it in the same TCP segment are not shown
// (nor their Info, nor their layers). A caller matching tshark drops them.
func (d *Dissection) EndsFrame() bool {
	n := len(d.sub)
	return n > 0 && d.sub[n-1].kind == mediaBug
}

func indexNUL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return -1
}

// Protocol is the Protocol column tshark shows for the PDU: "MQTT", or
// "MQTT/JSON" when the JSON dissector ran on its payload (even an empty
// or invalid one). For a frame, see FrameProtocol.
func Protocol(d *Dissection) string {
	if d.proto == "" {
		return "MQTT"
	}
	return d.proto
}

// FrameProtocol is the Protocol column of a frame holding the PDUs ds:
// each PDU resets the column to "MQTT" and the JSON dissector appends
// "/JSON", so the column is the last PDU's (a JSON PUBLISH followed by a
// PUBACK shows "MQTT"; a PUBACK followed by a JSON PUBLISH "MQTT/JSON").
func FrameProtocol(ds []*Dissection) string {
	if len(ds) == 0 {
		return "MQTT"
	}
	return Protocol(ds[len(ds)-1])
}

// ExtraProtocols is what the PDU's sub-dissectors add to the frame's
// "[Protocols in frame: ...:mqtt]" (frame.protocols): ":json",
// ":json:data-text-lines" (JSON with text after it), ":data-text-lines",
// or "". tshark names "mqtt" once per frame however many PDUs it holds,
// then each PDU's sub-dissectors in order, so the caller appends the
// ExtraProtocols of every PDU after one ":mqtt". A sub-dissector given no
// bytes shows its section but is not listed.
func ExtraProtocols(d *Dissection) string {
	switch len(d.sub) {
	case 0:
		return ""
	case 1:
		if s := d.sub[0]; s.nonEmpty {
			return ":" + layerNames[s.kind]
		}
		return ""
	}
	var out []byte
	for _, s := range d.sub {
		if s.nonEmpty {
			out = append(out, ':')
			out = append(out, layerNames[s.kind]...)
		}
	}
	return string(out)
}

// appendSubTitle appends a section's title line (without the newline).
func appendSubTitle(dst []byte, d *Dissection, s *subSection) []byte {
	switch s.kind {
	case mediaJSON:
		dst = append(dst, "JavaScript Object Notation: "...)
		return appendFormatText(dst, d.contentType)
	case mediaText:
		dst = append(dst, "Line-based text data: "...)
		dst = appendFormatText(dst, d.contentType)
		dst = append(dst, " ("...)
		dst = appendInt(dst, s.lines)
		return append(dst, " lines)"...)
	case mediaBug:
		dst = append(dst, "[Dissector bug, protocol JSON: "...)
		dst = append(dst, jsonBugAt...)
		return append(dst, ']')
	}
	return dst
}

func appendInt(dst []byte, n int) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}

// appendSubSections appends the sections the sub-dissectors added, after
// the MQTT tree; with onlyMQTT (tshark -O mqtt) their title lines alone.
func appendSubSections(dst []byte, d *Dissection, p Prefs, pal *Palette, onlyMQTT bool) []byte {
	for i := range d.sub {
		s := &d.sub[i]
		mark := len(dst)
		dst = appendSubTitle(dst, d, s)
		r := roleTitle
		if s.kind == mediaBug {
			r = roleMalformed
		}
		dst = pal.wrap(dst, mark, r)
		dst = append(dst, '\n')
		if onlyMQTT {
			continue
		}
		if s.kind == mediaBug {
			dst = appendExpert(dst, eiJSONBug, 1, pal)
			continue
		}
		items := d.subItems[s.from:s.to]
		for j := range items {
			dst = appendItem(dst, items, j, p, pal)
		}
	}
	return dst
}

// subLayers appends the -T json layers of the sections: an object of the
// section's fields, or, for a section without items, its title.
func subLayers(out []JSONMember, a *JSONArena, d *Dissection, p Prefs) []JSONMember {
	for i := range d.sub {
		s := &d.sub[i]
		if s.kind == mediaBug {
			m := a.Object()
			jsonExpert(m, eiJSONBug)
			m.Add("_ws.malformed", "Malformed Packet")
			out = append(out, JSONMember{Key: layerNames[mediaBug], Obj: m})
			continue
		}
		if s.from == s.to {
			out = append(out, JSONMember{Key: layerNames[s.kind], Str: string(appendSubTitle(nil, d, s))})
			continue
		}
		o := a.Object()
		jsonItems(o, d.subItems, s.from, s.to, 1, p)
		out = append(out, JSONMember{Key: layerNames[s.kind], Obj: o})
	}
	return out
}
