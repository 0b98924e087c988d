package commands

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// The --output modes of sub.
const (
	outText    = "text"
	outJSON    = "json"
	outJSONL   = "jsonl"
	outHex     = "hex"
	outDissect = "dissect"
)

// messagePrinter writes received messages to stdout in the chosen form.
// It is called on the session's read goroutine; the writer is flushed
// when the session has no more packets buffered (ConnConfig.OnReadIdle),
// so output is line-buffered in effect without a system call per message
// in a burst.
type messagePrinter struct {
	w       *bufio.Writer
	mode    string
	format  msgFormat // -F, or nil
	verbose bool      // -v: topic before payload
	noEOL   bool      // -N
	pretty  bool      // --pretty: indent JSON payloads
	color   bool      // colour them
	buf     []byte
}

func (p *messagePrinter) print(m *received) error {
	if p.mode == outDissect {
		return nil // the dissector shows the message from its event
	}
	b := p.buf[:0]
	switch {
	case p.format != nil:
		b = p.format.appendTo(b, m)
		if !p.noEOL {
			b = append(b, '\n')
		}
	case p.mode == outJSON || p.mode == outJSONL:
		b = appendMessageJSON(b, m, p.mode == outJSON)
		b = append(b, '\n')
	case p.mode == outHex:
		b = append(b, m.p.Topic...)
		b = append(b, '\n')
		b = append(b, hex.Dump(m.p.Payload)...)
	case len(m.p.Payload) == 0:
		// As mosquitto_sub: an empty message prints nothing, or with -v
		// "topic (null)" (nothing at all under -N).
		if p.verbose && !p.noEOL {
			b = append(append(b, m.p.Topic...), " (null)\n"...)
		}
	default:
		if p.verbose {
			b = append(b, m.p.Topic...)
			b = append(b, ' ')
		}
		payload := m.p.Payload
		if p.pretty {
			payload, _ = output.PrettyJSON(payload, p.color)
		}
		b = append(b, payload...)
		// Pretty JSON ends with its own newline.
		if !p.noEOL && (len(b) == 0 || b[len(b)-1] != '\n' || !p.pretty) {
			b = append(b, '\n')
		}
	}
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

// jsonMessage is one message in --output json/jsonl.
type jsonMessage struct {
	Time          string         `json:"time"`
	Topic         string         `json:"topic"`
	QoS           byte           `json:"qos"`
	Retain        bool           `json:"retain"`
	Dup           bool           `json:"dup,omitempty"`
	PacketID      uint16         `json:"packet_id,omitempty"`
	Payload       *string        `json:"payload"`
	PayloadBase64 string         `json:"payload_base64,omitempty"`
	Properties    []jsonProperty `json:"properties,omitempty"`
}

type jsonProperty struct {
	Name  string `json:"name"`
	Key   string `json:"key,omitempty"`
	Value any    `json:"value"`
}

// appendMessageJSON writes the message with its payload as a string when
// it is UTF-8, else in payload_base64 (payload null).
func appendMessageJSON(b []byte, m *received, indent bool) []byte {
	j := jsonMessage{
		Time: m.time.UTC().Format(time.RFC3339Nano), Topic: m.p.Topic, QoS: m.p.QoS,
		Retain: m.p.Retain, Dup: m.p.Dup, PacketID: m.p.PacketID,
	}
	if utf8.Valid(m.p.Payload) {
		s := string(m.p.Payload)
		j.Payload = &s
	} else {
		j.PayloadBase64 = base64.StdEncoding.EncodeToString(m.p.Payload)
	}
	for _, p := range m.p.Properties.List {
		jp := jsonProperty{Name: p.ID.String()}
		spec, _ := mqttwire.LookupProp(p.ID)
		switch {
		case spec == nil:
			jp.Value = nil
		case spec.Type == mqttwire.PropTypeString:
			jp.Value = p.Str
		case spec.Type == mqttwire.PropTypeBinary:
			jp.Value = base64.StdEncoding.EncodeToString(p.Bin)
		case spec.Type == mqttwire.PropTypeStringPair:
			jp.Key, jp.Value = p.Str, p.Value
		default:
			jp.Value = p.Int
		}
		j.Properties = append(j.Properties, jp)
	}
	var out []byte
	if indent {
		out, _ = json.MarshalIndent(j, "", "  ")
	} else {
		out, _ = json.Marshal(j)
	}
	return append(b, out...)
}

// flushOnIdle adapts a bufio.Writer flush to ConnConfig.OnReadIdle,
// remembering the first error.
func flushOnIdle(w *bufio.Writer, errp *error) func() {
	return func() {
		if err := w.Flush(); err != nil && *errp == nil {
			*errp = err
		}
	}
}
