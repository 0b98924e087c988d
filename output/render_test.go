package output

import (
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// The numbers -T json gives an expert info's severity and group are
// Wireshark's PI_* constants (epan/proto.h); "Undecoded" is PI_UNDECODED,
// not PI_DEBUG.
func TestExpertCodesArePIValues(t *testing.T) {
	pi := map[string]uint32{
		"Chat": 0x00200000, "Note": 0x00400000, "Warning": 0x00600000, "Error": 0x00800000,
		"Sequence": 0x02000000, "Undecoded": 0x05000000, "Malformed": 0x07000000, "Protocol": 0x09000000,
	}
	for _, e := range []*expert{eiIllegalLength, eiUnknownVersion, eiUnknownTopicAlias, eiTrailingStray, eiMalformed, eiJSONBug} {
		if got, want := severityCodes[e.Severity], pi[e.Severity]; got != uitoa(want) {
			t.Errorf("%s: severity %s = %q, want %d", e.Name, e.Severity, got, want)
		}
		if got, want := groupCodes[e.Group], pi[e.Group]; got != uitoa(want) {
			t.Errorf("%s: group %s = %q, want %d", e.Name, e.Group, got, want)
		}
	}
	// A message "a\0b" shown as text: tshark 4.0.17 writes the trailing
	// stray characters' group as 83886080 (v5-big-payload.pcapng with
	// -T json -o mqtt.show_msg_as_text:TRUE).
	d := NewConversation(mqttwire.V311).Dissect([]byte{0x30, 6, 0, 1, 't', 'a', 0, 'b'})
	js := string((&JSONObject{Members: JSONLayers(d, Prefs{ShowMsgAsText: true})}).AppendCompact(nil))
	if want := `"_ws.string.trailing_stray_characters":"","_ws.expert.message":"Trailing stray characters","_ws.expert.severity":"6291456","_ws.expert.group":"83886080"`; !strings.Contains(js, want) {
		t.Errorf("JSON lacks %s:\n%s", want, js)
	}
}

func uitoa(n uint32) string { return string(appendInt(nil, int(n))) }

// tshark -O mqtt: the MQTT tree as -V shows it, the sections of the other
// protocols (payload dissectors, the malformed marker) as one line.
func TestTreeOnlyMQTT(t *testing.T) {
	json := dissectV5(publishV5("application/json", []byte(`{"a":[1,true]}`)))
	text := dissectV5(publishV5("text/plain", []byte("one\ntwo\n")))
	bad := NewConversation(mqttwire.V311).Dissect([]byte{0x30, 5, 1, 0x2c, 'a', 'b', 'c'})
	for _, c := range []struct {
		name   string
		d      *Dissection
		titles []string
	}{
		{"json", json, []string{"JavaScript Object Notation: application/json"}},
		{"text", text, []string{"Line-based text data: text/plain (2 lines)"}},
		{"malformed", bad, []string{"[Malformed Packet: MQTT]"}},
	} {
		full := string(AppendTree(nil, c.d, Prefs{}, nil))
		got := string(AppendTreeOnlyMQTT(nil, c.d, Prefs{}, nil))
		var want strings.Builder
		keep := true
		for _, l := range strings.SplitAfter(full, "\n") {
			if l != "" && l[0] != ' ' {
				keep = strings.HasPrefix(l, sectionTitle)
				want.WriteString(l)
			} else if keep {
				want.WriteString(l)
			}
		}
		if got != want.String() {
			t.Errorf("%s:\n%s", c.name, lineDiff(strings.Split(want.String(), "\n"), strings.Split(got, "\n")))
		}
		for _, title := range c.titles {
			if !strings.Contains(full, title+"\n    ") || !strings.HasSuffix(got, title+"\n") {
				t.Errorf("%s: %q not expanded by -V or not collapsed by -O mqtt:\n%s\n%s", c.name, title, full, got)
			}
		}
		var b strings.Builder
		if err := WriteTreeOnlyMQTT(&b, c.d, Prefs{}, nil); err != nil || b.String() != got {
			t.Errorf("%s: WriteTreeOnlyMQTT differs from AppendTreeOnlyMQTT (%v)", c.name, err)
		}
	}
}
