package commands

import (
	"strconv"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// parseDecodeAs reads tshark's decode-as syntax, tcp.port==N,mqtt.
func parseDecodeAs(s string) (uint16, error) {
	spec, proto, ok := strings.Cut(s, ",")
	if !ok || strings.ToLower(strings.TrimSpace(proto)) != "mqtt" {
		return 0, usageError("-d %q: want tcp.port==N,mqtt", s)
	}
	field, val, ok := strings.Cut(strings.TrimSpace(spec), "==")
	if !ok || strings.TrimSpace(field) != "tcp.port" {
		return 0, usageError("-d %q: want tcp.port==N,mqtt", s)
	}
	port, err := strconv.ParseUint(strings.TrimSpace(val), 10, 16)
	if err != nil || port == 0 {
		return 0, usageError("-d %q: %q is not a TCP port", s, val)
	}
	return uint16(port), nil
}

type decodePrefs struct {
	output.Prefs
	Version mqttwire.Version
}

// parsePrefs reads tshark's -o NAME:VALUE preferences that change MQTT's
// dissection.
func parsePrefs(list []string) (decodePrefs, error) {
	// Until told otherwise, messages read as text when they are text.
	p := decodePrefs{Prefs: output.Prefs{AutoMsgText: true}}
	for _, s := range tsharkEnumPrefs(list) {
		name, val, ok := strings.Cut(s, ":")
		if !ok {
			name, val, ok = strings.Cut(s, "=")
		}
		if !ok {
			return p, usageError("-o %q: want NAME:VALUE", s)
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(name) {
		case "mqtt.show_msg_as_text":
			b, err := parseTsharkBool(val)
			if err != nil {
				return p, usageError("-o %s: %q is not TRUE or FALSE", name, val)
			}
			p.ShowMsgAsText, p.AutoMsgText = b, false
		case "mqtt.default_version":
			if strings.EqualFold(val, "none") {
				p.Version = 0
				continue
			}
			v, err := parseVersionFlag("-o "+name, val)
			if err != nil {
				return p, err
			}
			p.Version = v
		default:
			return p, usageError("-o %q: unknown preference (known: mqtt.show_msg_as_text, mqtt.default_version)", name)
		}
	}
	return p, nil
}

func parseTsharkBool(s string) (bool, error) {
	switch strings.ToUpper(s) {
	case "TRUE", "1", "YES", "ON":
		return true, nil
	case "FALSE", "0", "NO", "OFF":
		return false, nil
	}
	return false, strconv.ErrSyntax
}

// parseVersionFlag reads a version in any spelling users type.
func parseVersionFlag(flag, s string) (mqttwire.Version, error) {
	v, err := mqttwire.ParseVersion(s)
	if err != nil {
		return 0, usageError("%s: %v", flag, err)
	}
	return v, nil
}

// defaultVersionVals is tshark 4.0's enum for mqtt.default_version
// (packet-mqtt.c mqtt_protocol_version_vals): each value's name and its
// description, which tshark -G defaultprefs lists ("One of: None, MQTT
// v3.1, MQTT v3.1.1, MQTT v5.0 (case-insensitive)") and writes in
// preference files.
var defaultVersionVals = []struct{ name, desc string }{
	{"none", "None"},
	{"v31", "MQTT v3.1"},
	{"v311", "MQTT v3.1.1"},
	{"v50", "MQTT v5.0"},
}

// tsharkEnumPrefs rewrites an mqtt.default_version value given as tshark
// accepts it to its name: tshark's enum preferences match the value with
// ASCII case folding against each name, then against each description
// ("MQTT v5.0", "mqtt v3.1.1", "NONE"). Other values are left for
// parsePrefs, which also takes the spellings mqtap accepts elsewhere.
func tsharkEnumPrefs(list []string) []string {
	out := append([]string(nil), list...)
	for i, s := range out {
		sep := strings.IndexAny(s, ":=")
		if sep < 0 || strings.TrimSpace(s[:sep]) != "mqtt.default_version" {
			continue
		}
		val := strings.TrimSpace(s[sep+1:])
		for _, e := range defaultVersionVals {
			if asciiEqualFold(val, e.name) || asciiEqualFold(val, e.desc) {
				out[i] = s[:sep+1] + e.name
				break
			}
		}
	}
	return out
}

// asciiEqualFold is g_ascii_strcasecmp(a, b) == 0: only A-Z fold.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
