package dissect

import (
	"unicode"
	"unicode/utf8"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// treePrefs are the preferences for one PDU's text tree. Unless the user
// chose tshark's mqtt.show_msg_as_text, messages that are printable UTF-8
// (JSON readings, plain values) are shown as text and anything else as hex:
// what a person reading the tree wants. JSON output keeps tshark's default,
// so scripts written for tshark -T json see the same fields.
func (o *packetWriter) treePrefs(d *output.Dissection) output.Prefs {
	p := o.opt.Prefs
	if !o.opt.AutoMsgText {
		return p
	}
	switch pk := d.Packet.(type) {
	case *mqttwire.Publish:
		p.ShowMsgAsText = printable(pk.Payload)
	case *mqttwire.Connect:
		p.ShowMsgAsText = pk.WillFlag && printable(pk.WillPayload)
	}
	return p
}

// printable reports whether b is non-empty UTF-8 made of graphic
// characters and ordinary white space.
func printable(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if !unicode.IsGraphic(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		b = b[n:]
	}
	return true
}
