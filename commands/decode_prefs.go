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
	for _, s := range list {
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
