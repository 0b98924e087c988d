package tap

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// Filter picks the packets shown. Each non-empty list must match (a
// packet passes when it matches any entry of every list that is set).
// Filters change what is shown only: a pcap records every byte.
type Filter struct {
	// Types are the packet types shown.
	Types []mqttwire.PacketType
	// Topics are MQTT topic filters ("sensors/#"). A PUBLISH passes when
	// its topic matches one (for an MQTT 5.0 PUBLISH that carries only a
	// Topic Alias, the topic the alias stands for, as it is shown); a
	// SUBSCRIBE or UNSUBSCRIBE when one of its filters, read as a topic,
	// does. Packets without a topic do not pass.
	Topics []string
	// Clients are client ids, or patterns over them (MatchClient). A
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

// MatchClient reports whether a client id matches a --client pattern: the
// id itself, or a pattern where * stands for any run of characters
// (including none, and including "/": client ids are not paths) and ? for
// exactly one character. Every other character stands for itself.
func MatchClient(pattern, id string) bool {
	if pattern == id {
		return true
	}
	// The classic greedy glob: on a mismatch, let the last * take one
	// more character and retry from there. Linear in practice, O(len(p)·
	// len(id)) at worst.
	p, s := 0, 0
	starP, starS := -1, 0
	for s < len(id) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starS = p, s
				p++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(id[s:])
				p++
				s += n
				continue
			default:
				if pattern[p] == id[s] {
					p++
					s++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(id[starS:])
		starS += n
		p, s = starP+1, starS
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
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
		if MatchClient(p, id) {
			return true
		}
	}
	return false
}

// topicAliases is a conversation's MQTT 5.0 topic aliases, kept the way
// the dissection keeps them (output.Conversation, after tshark: one table
// per connection, a PUBLISH with a topic and an alias sets it, one with
// an alias alone looks it up), so that --topic tests the topic shown.
type topicAliases map[uint32]string

// publishTopic is the topic of a dissected PUBLISH: its own, or the one
// its Topic Alias stands for; ok is false when the alias is unknown. It
// records the alias a PUBLISH with both sets.
func (a *topicAliases) publishTopic(d *output.Dissection, p *mqttwire.Publish) (topic string, ok bool) {
	if d.Version != mqttwire.V5 {
		return p.Topic, true
	}
	var me *mqttwire.MalformedError
	if errors.As(d.Err, &me) {
		return p.Topic, true
	}
	alias, has := p.Properties.Int(mqttwire.PropTopicAlias)
	if !has || alias == 0 {
		return p.Topic, true
	}
	if p.Topic != "" {
		if *a == nil {
			*a = make(topicAliases)
		}
		if (*a)[alias] != p.Topic {
			(*a)[alias] = strings.Clone(p.Topic) // decoded strings share the read buffer
		}
		return p.Topic, true
	}
	topic, ok = (*a)[alias]
	return topic, ok
}

// packetMatches applies the type and topic filters to a dissected packet
// (d nil for a PDU not dissected; d.Packet nil when not even its fixed
// header decoded). With topic filters, every PUBLISH that passes the type
// filter keeps aliases, the connection's topic aliases, up to date, whether
// or not it passes the rest.
func (f *Filter) packetMatches(raw []byte, d *output.Dissection, aliases *topicAliases) bool {
	if len(f.Types) > 0 {
		if len(raw) == 0 || !containsType(f.Types, mqttwire.PacketType(raw[0]>>4)) {
			return false // a PUBLISH too: then none is shown, nor needs its alias
		}
	}
	if len(f.Topics) == 0 {
		return true
	}
	if d == nil {
		return false
	}
	switch p := d.Packet.(type) {
	case *mqttwire.Publish:
		topic, ok := aliases.publishTopic(d, p)
		return ok && f.anyTopic(topic)
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
