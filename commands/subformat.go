package commands

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mqtap/mqtap/mqttwire"
)

// received is one message as the output formats see it.
type received struct {
	p    *mqttwire.Publish
	time time.Time
}

// msgFormat is a compiled -F format: mosquitto_sub's % fields, @ time
// fields (strftime letters) and \ escapes, parsed once into pieces that
// append to a buffer per message.
type msgFormat []func(dst []byte, m *received) []byte

// formatFields are the % specifiers, as mosquitto_sub defines them.
var formatFields = map[byte]func(dst []byte, m *received) []byte{
	't': func(d []byte, m *received) []byte { return append(d, m.p.Topic...) },
	'p': func(d []byte, m *received) []byte { return append(d, m.p.Payload...) },
	'q': func(d []byte, m *received) []byte { return strconv.AppendInt(d, int64(m.p.QoS), 10) },
	'r': func(d []byte, m *received) []byte { return strconv.AppendInt(d, int64(b2i(m.p.Retain)), 10) },
	'l': func(d []byte, m *received) []byte { return strconv.AppendInt(d, int64(len(m.p.Payload)), 10) },
	'm': func(d []byte, m *received) []byte { return strconv.AppendInt(d, int64(m.p.PacketID), 10) },
	'x': func(d []byte, m *received) []byte { return hex.AppendEncode(d, m.p.Payload) },
	'X': func(d []byte, m *received) []byte {
		return append(d, strings.ToUpper(hex.EncodeToString(m.p.Payload))...)
	},
	// ISO 8601 to the second and Unix time with nanoseconds, as mosquitto.
	'I': func(d []byte, m *received) []byte { return m.time.AppendFormat(d, "2006-01-02T15:04:05-0700") },
	'U': func(d []byte, m *received) []byte {
		return fmt.Appendf(d, "%d.%09d", m.time.Unix(), m.time.Nanosecond())
	},
	'j': func(d []byte, m *received) []byte { return appendMosquittoJSON(d, m, false) },
	'J': func(d []byte, m *received) []byte { return appendMosquittoJSON(d, m, true) },
	'A': propInt(mqttwire.PropTopicAlias),
	'C': propStr(mqttwire.PropContentType),
	'D': func(d []byte, m *received) []byte {
		p, _ := m.p.Properties.Get(mqttwire.PropCorrelationData)
		return append(d, p.Bin...)
	},
	'E': propInt(mqttwire.PropMessageExpiry),
	'F': propInt(mqttwire.PropPayloadFormat),
	'R': propStr(mqttwire.PropResponseTopic),
	'S': func(d []byte, m *received) []byte {
		for i, p := range m.p.Properties.List {
			if p.ID == mqttwire.PropSubscriptionID {
				if i > 0 && len(d) > 0 && d[len(d)-1] != ' ' {
					d = append(d, ' ')
				}
				d = strconv.AppendUint(d, uint64(p.Int), 10)
			}
		}
		return d
	},
	'P': func(d []byte, m *received) []byte {
		for i, kv := range m.p.Properties.UserProperties() {
			if i > 0 {
				d = append(d, ' ')
			}
			d = append(d, kv[0]...)
			d = append(d, ':')
			d = append(d, kv[1]...)
		}
		return d
	},
}

func propInt(id mqttwire.PropID) func([]byte, *received) []byte {
	return func(d []byte, m *received) []byte {
		if v, ok := m.p.Properties.Int(id); ok {
			return strconv.AppendUint(d, uint64(v), 10)
		}
		return d
	}
}

func propStr(id mqttwire.PropID) func([]byte, *received) []byte {
	return func(d []byte, m *received) []byte {
		v, _ := m.p.Properties.String(id)
		return append(d, v...)
	}
}

// timeFields are the @ specifiers: strftime letters as Go layouts.
var timeFields = map[byte]string{
	'a': "Mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'd': "02", 'e': "_2", 'H': "15", 'I': "03",
	'j': "002", 'm': "01", 'M': "04", 'p': "PM", 'S': "05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
	'F': "2006-01-02", 'T': "15:04:05", 'D': "01/02/06", 'R': "15:04",
}

var formatEscapes = map[byte]byte{'\\': '\\', '0': 0, 'a': '\a', 'e': 0x1b, 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}

// parseFormat compiles a -F format. %[-][0][width]c pads a field as
// printf does.
func parseFormat(f string) (msgFormat, error) {
	var out msgFormat
	lit := func(s string) {
		b := []byte(s)
		out = append(out, func(d []byte, _ *received) []byte { return append(d, b...) })
	}
	for i := 0; i < len(f); i++ {
		ch := f[i]
		switch {
		case ch == '%' && i+1 < len(f):
			j := i + 1
			left, zero := false, false
			for j < len(f) && (f[j] == '-' || f[j] == '0') {
				left, zero = left || f[j] == '-', zero || f[j] == '0'
				j++
			}
			w := 0
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				w = w*10 + int(f[j]-'0')
				j++
			}
			if j >= len(f) {
				return nil, usageError("-F %q: format ends inside a %% field", f)
			}
			c := f[j]
			i = j
			if c == '%' {
				lit("%")
				continue
			}
			fn, ok := formatFields[c]
			if !ok {
				return nil, usageError("-F %q: unknown field %%%c", f, c)
			}
			if w > 0 {
				fn = padded(fn, w, left, zero)
			}
			out = append(out, fn)
		case ch == '@' && i+1 < len(f):
			i++
			if f[i] == '@' {
				lit("@")
				continue
			}
			if f[i] == 's' {
				out = append(out, func(d []byte, m *received) []byte { return strconv.AppendInt(d, m.time.Unix(), 10) })
				continue
			}
			if f[i] == 'N' {
				out = append(out, func(d []byte, m *received) []byte { return fmt.Appendf(d, "%09d", m.time.Nanosecond()) })
				continue
			}
			layout, ok := timeFields[f[i]]
			if !ok {
				return nil, usageError("-F %q: unknown time field @%c", f, f[i])
			}
			out = append(out, func(d []byte, m *received) []byte { return m.time.AppendFormat(d, layout) })
		case ch == '\\' && i+1 < len(f):
			i++
			e, ok := formatEscapes[f[i]]
			if !ok {
				return nil, usageError("-F %q: unknown escape \\%c", f, f[i])
			}
			lit(string([]byte{e}))
		default:
			j := i
			for j < len(f) && f[j] != '%' && f[j] != '@' && f[j] != '\\' {
				j++
			}
			if j == i {
				j++ // a lone trailing %, @ or \\ is literal
			}
			lit(f[i:j])
			i = j - 1
		}
	}
	return out, nil
}

func padded(fn func([]byte, *received) []byte, w int, left, zero bool) func([]byte, *received) []byte {
	return func(d []byte, m *received) []byte {
		start := len(d)
		d = fn(d, m)
		n := utf8.RuneCount(d[start:])
		if n >= w {
			return d
		}
		pad := bytes.Repeat([]byte{' '}, w-n)
		if zero && !left {
			pad = bytes.Repeat([]byte{'0'}, w-n)
		}
		if left {
			return append(d, pad...)
		}
		field := append([]byte(nil), d[start:]...)
		return append(append(d[:start], pad...), field...)
	}
}

func (f msgFormat) appendTo(dst []byte, m *received) []byte {
	for _, fn := range f {
		dst = fn(dst, m)
	}
	return dst
}

// appendMosquittoJSON is %j (payload as a JSON string) and %J (payload
// inserted as JSON, which it must be; else a string), with mosquitto's
// field names and timestamp layout.
func appendMosquittoJSON(d []byte, m *received, raw bool) []byte {
	d = append(d, `{"tst":"`...)
	d = m.time.AppendFormat(d, "2006-01-02T15:04:05.000000Z-0700")
	d = append(d, `","topic":`...)
	d = appendJSONString(d, m.p.Topic)
	d = fmt.Appendf(d, `,"qos":%d,"retain":%d,"payloadlen":%d`, m.p.QoS, b2i(m.p.Retain), len(m.p.Payload))
	if m.p.QoS > 0 {
		d = fmt.Appendf(d, `,"mid":%d`, m.p.PacketID)
	}
	d = append(d, `,"payload":`...)
	switch {
	case len(m.p.Payload) == 0:
		d = append(d, "null"...)
	case raw && json.Valid(m.p.Payload):
		d = append(d, m.p.Payload...)
	case utf8.Valid(m.p.Payload):
		d = appendJSONString(d, string(m.p.Payload))
	default:
		d = appendJSONString(d, base64.StdEncoding.EncodeToString(m.p.Payload))
	}
	return append(d, '}')
}

// appendJSONString quotes s as JSON without escaping <, > and & (as
// mosquitto writes them).
func appendJSONString(d []byte, s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(d, bytes.TrimSuffix(b.Bytes(), []byte{'\n'})...)
}
