package mqttwire

import "strings"

// MatchTopic applies an MQTT topic filter to a topic name (MQTT 5.0 §4.7):
// '+' matches one level, a final '#' the parent and any levels below, and
// wildcards at the first level do not match topics starting with '$'
// (§4.7.2).
func MatchTopic(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		f, fRest, fMore := strings.Cut(filter, "/")
		if f == "#" {
			return true
		}
		t, tRest, tMore := strings.Cut(topic, "/")
		if f != "+" && f != t {
			return false
		}
		switch {
		case !fMore && !tMore:
			return true
		case !tMore:
			return fRest == "#" // "a/#" matches "a", the parent level
		case !fMore:
			return false
		}
		filter, topic = fRest, tRest
	}
}
