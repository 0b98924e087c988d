package output

import (
	"errors"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
)

// Prefs are the tshark preferences that change the MQTT tree.
type Prefs struct {
	// ShowMsgAsText is tshark's mqtt.show_msg_as_text: PUBLISH payloads and
	// will messages as UTF-8 text instead of hex.
	ShowMsgAsText bool
	// AutoMsgText, for the text tree only, shows messages that are
	// printable UTF-8 as text and others as hex, overriding ShowMsgAsText:
	// what mqtap does when the user did not choose tshark's preference.
	// JSON output keeps ShowMsgAsText, so scripts see tshark's fields.
	AutoMsgText bool
}

// Conversation is the state tshark keeps per TCP connection (both
// directions share it): the protocol version learned from CONNECT and the
// topic aliases of MQTT 5.0.
type Conversation struct {
	// Version is the protocol level tshark would use: the level byte of the
	// last CONNECT as sent (any value), or the mqtt.default_version
	// preference before one is seen; 0 means unknown.
	Version mqttwire.Version
	aliases map[uint32]string
}

// NewConversation starts a conversation; v is tshark's mqtt.default_version
// (0 for "None": packets before a CONNECT get the "Unknown version" note).
func NewConversation(v mqttwire.Version) *Conversation {
	return &Conversation{Version: v}
}

// Dissection is one MQTT PDU, decoded, with what rendering it needs.
type Dissection struct {
	Raw    []byte          // the PDU's bytes, fixed header first
	Packet mqttwire.Packet // nil when not even a fixed header decoded, or type 0
	Err    error           // from mqttwire.Decode
	// Version is the conversation's level when this PDU was dissected (for
	// CONNECT: its own level byte), which decides the layout.
	Version mqttwire.Version
	// Reported is the PDU's length when the capture's snap length cut it
	// (Raw is what was captured); 0 otherwise. Reading past Raw is then
	// tshark's BoundsError, "Packet size limited during capture".
	Reported int
	// Unreassembled: the PDU also ran past its segment, which TCP could
	// not reassemble (it was cut): tshark's FragmentBoundsError.
	Unreassembled bool

	// aliasTopic is the topic a v5 PUBLISH's topic alias resolved to.
	aliasTopic string
	aliasState uint8 // aliasNone, aliasResolved, aliasUnknown

	b builder // the tree, built once by Dissect

	// What the payload's sub-dissectors added (payload.go).
	contentType string       // the Content Type that named them, as sent
	proto       string       // the Protocol column, "" for "MQTT"
	sub         []subSection // their top-level sections, in order
	subItems    []item       // the sections' items
}

const (
	aliasNone uint8 = iota
	aliasResolved
	aliasUnknown
)

// codecVersion is the layout the codec should decode with for a level that
// tshark may hold: 3.1 and 5.0 differ, everything else reads like 3.1.1.
func codecVersion(v mqttwire.Version) mqttwire.Version {
	if v == mqttwire.V31 || v == mqttwire.V5 {
		return v
	}
	return mqttwire.V311
}

// Dissect decodes one whole PDU with the version learned so far (a CONNECT
// teaches the version for the PDUs after it) and builds its tree. raw is
// kept, not copied.
func (c *Conversation) Dissect(raw []byte) *Dissection {
	d := new(Dissection)
	c.DissectInto(d, raw)
	return d
}

// DissectInto is Dissect into a reused Dissection, so that decoding a large
// capture does not allocate a tree per PDU.
func (c *Conversation) DissectInto(d *Dissection, raw []byte) {
	c.DissectCut(d, raw, 0, false)
}

// DissectCut is DissectInto for a PDU of reported bytes of which the
// capture kept raw (reported 0: all of them).
func (c *Conversation) DissectCut(d *Dissection, raw []byte, reported int, unreassembled bool) {
	items := d.b.items[:0]
	info := d.b.info[:0]
	sub, subItems := d.sub[:0], d.subItems[:0]
	*d = Dissection{Raw: raw, Version: c.Version, Reported: reported, Unreassembled: unreassembled, sub: sub, subItems: subItems}
	codecRaw := raw
	if short, ok := shortLength(raw); ok {
		codecRaw = short
	}
	if len(raw) > 0 && raw[0]>>4 == byte(mqttwire.TypeConnect) {
		// CONNECT's own level byte shapes CONNECT, and every PDU after it.
		if lvl, ok := connectLevel(codecRaw); ok {
			c.Version = mqttwire.Version(lvl)
			d.Version = c.Version
		}
	}
	d.Packet, _, d.Err = mqttwire.Decode(codecRaw, codecVersion(d.Version))
	if pub, ok := d.Packet.(*mqttwire.Publish); ok && d.Version == mqttwire.V5 && !isMalformed(d.Err) {
		c.resolveAlias(d, pub)
	}
	d.b = builder{items: items, info: info}
	d.b.build(d)
}

// shortLength rewrites a PDU whose remaining length takes 5 to 10 bytes
// with the same value in the protocol's at most 4, for the codec. tshark
// reads up to 10 and goes on with the packet (a capture framed such a
// PDU, as tshark frames them, only from crafted bytes); the builder walks
// the bytes as sent, and needs the packet's fields from the codec.
func shortLength(raw []byte) ([]byte, bool) {
	if len(raw) < 2 {
		return nil, false
	}
	v, w, ok := protobufVarint(raw[1:], varintMaxLen)
	if !ok || w <= 4 || v > mqttwire.MaxRemaining {
		return nil, false
	}
	body := raw[1+w:]
	body = body[:min(uint64(len(body)), v)]
	out := make([]byte, 0, 5+len(body))
	out = append(out, raw[0])
	for n := v; ; n >>= 7 {
		if n < 0x80 {
			out = append(out, byte(n))
			break
		}
		out = append(out, byte(n)|0x80)
	}
	return append(out, body...), true
}

// resolveAlias follows tshark's single pass: a PUBLISH with a topic and a
// topic alias records it; one with an alias and no topic looks it up.
func (c *Conversation) resolveAlias(d *Dissection, pub *mqttwire.Publish) {
	alias, ok := pub.Properties.Int(mqttwire.PropTopicAlias)
	if !ok || alias == 0 {
		return
	}
	if len(pub.Topic) > 0 {
		if c.aliases == nil {
			c.aliases = make(map[uint32]string)
		}
		c.aliases[alias] = strings.Clone(pub.Topic)
		return
	}
	if t, ok := c.aliases[alias]; ok {
		d.aliasTopic, d.aliasState = t, aliasResolved
	} else {
		d.aliasState = aliasUnknown
	}
}

// connectLevel reads the protocol level byte of a CONNECT the way tshark
// does: after the protocol name, whatever its length.
func connectLevel(raw []byte) (byte, bool) {
	h, err := mqttwire.ParseFixedHeader(raw)
	if err != nil {
		return 0, false
	}
	p := 1 + h.LenBytes
	end := min(len(raw), h.Size())
	if p+2 > end {
		return 0, false
	}
	p += 2 + (int(raw[p])<<8 | int(raw[p+1]))
	if p >= end {
		return 0, false
	}
	return raw[p], true
}

func isMalformed(err error) bool {
	var me *mqttwire.MalformedError
	return errors.As(err, &me)
}
