package mqttwire

import (
	"fmt"
	"strings"
)

// Version is an MQTT protocol level as carried in CONNECT.
type Version byte

// The protocol levels mqtap speaks.
const (
	V31  Version = 3 // MQTT 3.1, protocol name "MQIsdp"
	V311 Version = 4 // MQTT 3.1.1
	V5   Version = 5 // MQTT 5.0
)

// String names the version the way users write it.
func (v Version) String() string {
	switch v {
	case V31:
		return "3.1"
	case V311:
		return "3.1.1"
	case V5:
		return "5.0"
	}
	return fmt.Sprintf("level %d", byte(v))
}

// Valid reports whether v is one of the three protocol levels.
func (v Version) Valid() bool { return v == V31 || v == V311 || v == V5 }

// ProtocolName is the name CONNECT carries for this version.
func (v Version) ProtocolName() string {
	if v == V31 {
		return "MQIsdp"
	}
	return "MQTT"
}

// versionNames maps every spelling users type (mosquitto's -V, tshark's
// mqtt.default_version preference, plain numbers) to a version.
var versionNames = map[string]Version{
	"3": V31, "31": V31, "3.1": V31, "mqttv31": V31, "v31": V31,
	"4": V311, "311": V311, "3.1.1": V311, "mqttv311": V311, "v311": V311,
	"5": V5, "50": V5, "5.0": V5, "mqttv5": V5, "mqttv50": V5, "v5": V5, "v50": V5,
}

// ParseVersion reads a version as users write it: 31, 3.1, mqttv31, 311,
// 3.1.1, mqttv311, 5, 5.0, mqttv5, v50 and so on.
func ParseVersion(s string) (Version, error) {
	if v, ok := versionNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown MQTT version %q (want 3.1, 3.1.1 or 5)", s)
}

// VersionOf returns the version a CONNECT asks for, defaulting to 3.1.1 for
// a level mqtap does not know (as Wireshark does).
func VersionOf(c *Connect) Version {
	if v := Version(c.ProtocolLevel); v.Valid() {
		return v
	}
	return V311
}
