package tap

import (
	"fmt"
	"path"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
)

// Filter picks the packets shown. Each non-empty list must match (a
// packet passes when it matches any entry of every list that is set).
// Filters change what is shown only: a pcap records every byte.
type Filter struct {
	// Types are the packet types shown.
	Types []mqttwire.PacketType
	// Topics are MQTT topic filters ("sensors/#"). A PUBLISH passes when
	// its topic matches one; a SUBSCRIBE or UNSUBSCRIBE when one of its
	// filters, read as a topic, does. Packets without a topic do not pass.
	Topics []string
	// Clients are client ids, or shell patterns (path.Match) over them. A
	// connection's packets pass once its CONNECT (or a CONNACK's Assigned
	// Client Identifier) names a matching id.
	Clients []string
}

// ParseTypes reads packet type names, as in "publish,subscribe" (any case;
// repeated or comma-separated).
func ParseTypes(list []string) ([]mqttwire.PacketType, error) {
	var out []mqttwire.PacketType
	for _, s := range list {
		for _, name := range strings.Split(s, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			t, ok := typeByName(name)
			if !ok {
				return nil, fmt.Errorf("unknown packet type %q (want connect, publish, subscribe, puback...)", name)
			}
			out = append(out, t)
		}
	}
	return out, nil
}

func typeByName(name string) (mqttwire.PacketType, bool) {
	for t := mqttwire.TypeConnect; t <= mqttwire.TypeAuth; t++ {
		if strings.EqualFold(t.String(), name) {
			return t, true
		}
	}
	return 0, false
}

// ValidateClients checks the --client patterns.
func ValidateClients(list []string) error {
	for _, p := range list {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("client pattern %q: %v", p, err)
		}
	}
	return nil
}

// clientMatches reports whether a learned client id passes (known is false
// before the CONNECT has been seen).
func (f *Filter) clientMatches(id string, known bool) bool {
	if len(f.Clients) == 0 {
		return true
	}
	if !known {
		return false
	}
	for _, p := range f.Clients {
		if ok, _ := path.Match(p, id); ok || p == id {
			return true
		}
	}
	return false
}

// packetMatches applies the type and topic filters to a decoded packet
// (nil when not even its fixed header decoded).
func (f *Filter) packetMatches(raw []byte, p mqttwire.Packet) bool {
	if len(f.Types) > 0 {
		if len(raw) == 0 || !containsType(f.Types, mqttwire.PacketType(raw[0]>>4)) {
			return false
		}
	}
	if len(f.Topics) == 0 {
		return true
	}
	switch p := p.(type) {
	case *mqttwire.Publish:
		return f.anyTopic(p.Topic)
	case *mqttwire.Subscribe:
		for _, s := range p.Subscriptions {
			if f.anyTopic(s.Filter) {
				return true
			}
		}
	case *mqttwire.Unsubscribe:
		for _, s := range p.Filters {
			if f.anyTopic(s) {
				return true
			}
		}
	}
	return false
}

func containsType(ts []mqttwire.PacketType, t mqttwire.PacketType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (f *Filter) anyTopic(topic string) bool {
	for _, flt := range f.Topics {
		if mqttwire.MatchTopic(flt, topic) {
			return true
		}
	}
	return false
}
