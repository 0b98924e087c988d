package output

import (
	"unicode"
	"unicode/utf8"

	"github.com/mqtap/mqtap/mqttwire"
)

// printableMessage reports whether the PDU's message (a PUBLISH payload
// or a CONNECT's will message) reads as text, for Prefs.AutoMsgText.
func printableMessage(d *Dissection) bool {
	switch pk := d.Packet.(type) {
	case *mqttwire.Publish:
		return printableText(pk.Payload)
	case *mqttwire.Connect:
		return pk.WillFlag && printableText(pk.WillPayload)
	}
	return false
}

// printableText reports whether b is non-empty UTF-8 made of graphic
// characters and ordinary white space.
func printableText(b []byte) bool {
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
