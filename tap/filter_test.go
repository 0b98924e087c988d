package tap_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
)

// aliasSession is an MQTT 5.0 client that names a topic once with a
// Topic Alias and then publishes by the alias alone.
func aliasSession(t *testing.T, id string) []wirePacket {
	v := mqttwire.V5
	pub := func(topic string, alias uint32, payload string) []byte {
		p := &mqttwire.Publish{Topic: topic, Payload: []byte(payload)}
		p.Properties.AddInt(mqttwire.PropTopicAlias, alias)
		return encode(t, p, v)
	}
	return []wirePacket{
		{true, encode(t, &mqttwire.Connect{ClientID: id, CleanSession: true, KeepAlive: 30}, v)},
		{false, encode(t, &mqttwire.Connack{}, v)},
		{true, pub("sensors/a", 1, "first")},
		{true, pub("", 1, "second")}, // sensors/a, by alias
		{true, pub("other/b", 2, "third")},
		{true, pub("", 2, "fourth")},    // other/b, by alias
		{true, pub("", 7, "unknown")},   // an alias never set: no topic
		{true, pub("sensors/c", 2, "")}, // alias 2 now stands for sensors/c
		{true, pub("", 2, "fifth")},     // sensors/c, by alias
		{true, encode(t, &mqttwire.Disconnect{}, v)},
	}
}

// TestTopicFilterFollowsAlias: --topic passes an alias-only PUBLISH by the
// topic its alias stands for, as the dissection shows it, and drops one
// whose alias is unknown.
func TestTopicFilterFollowsAlias(t *testing.T) {
	for _, filter := range []tap.Filter{
		{Topics: []string{"sensors/#"}},
		{Topics: []string{"sensors/#"}, Types: []mqttwire.PacketType{mqttwire.TypePublish}},
		{Topics: []string{"sensors/+"}, Clients: []string{"dev*"}},
	} {
		var out bytes.Buffer
		tp := newTap(t, &out, tap.Options{Filter: filter})
		s := tp.Open(clientAddr, serverAddr)
		feed(s, aliasSession(t, "dev/7"), rand.New(rand.NewPCG(9, 10)))
		tp.Close()
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		want := []string{"[sensors/a]", "[sensors/a]", "[sensors/c]", "[sensors/c]"}
		if len(lines) != len(want) {
			t.Fatalf("%+v: shown %d packets, want %d:\n%s", filter, len(lines), len(want), out.String())
		}
		for i, l := range lines {
			if !strings.Contains(l, "Publish Message") || !strings.HasSuffix(l, want[i]) {
				t.Errorf("%+v: line %q, want a PUBLISH ending %q", filter, l, want[i])
			}
		}
	}
}

func TestMatchClient(t *testing.T) {
	for _, tt := range []struct {
		pattern, id string
		want        bool
	}{
		{"dev*", "dev/1", true}, // * crosses "/": ids are not paths
		{"dev*", "dev", true},
		{"dev*", "de", false},
		{"*", "", true},
		{"*", "a/b/c", true},
		{"*/7", "dev/7", true},
		{"*/7", "dev/8", false},
		{"sensor-??", "sensor-01", true},
		{"sensor-??", "sensor-1", false},
		{"sensor-??", "sensor-001", false},
		{"?", "é", true}, // one character, not one byte
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"a**c", "ac", true},
		{"[ab]", "a", false}, // no character classes: [ stands for itself
		{"[ab]", "[ab]", true},
		{"thermo-42", "thermo-42", true},
		{"thermo-42", "thermo-420", false},
		{"dev-*", "dev-*", true},
		{"", "", true},
		{"", "x", false},
	} {
		if got := tap.MatchClient(tt.pattern, tt.id); got != tt.want {
			t.Errorf("MatchClient(%q, %q) = %v, want %v", tt.pattern, tt.id, got, tt.want)
		}
	}
}
