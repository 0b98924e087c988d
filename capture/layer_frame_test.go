package capture

import (
	"strings"
	"testing"
	"time"
)

func TestAppendEpoch(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 123456789), "1700000000.123456789"},
		{time.Unix(0, 0), "0.000000000"},
		{time.Unix(-2, 5e8), "-1.500000000"},
		{time.Unix(-3, 0), "-3.000000000"},
		// Beyond what an int64 of nanoseconds holds (tshark shows these
		// for pcapng files with coarse resolutions).
		{time.Unix(81985529216486895, 0), "81985529216486895.000000000"},
		{time.Unix(8198552920069657, 4e8), "8198552920069657.400000000"},
	} {
		if got := string(appendEpoch(nil, c.t)); got != c.want {
			t.Errorf("%v: %s, want %s", c.t, got, c.want)
		}
	}
}

// TestLinkTypeLabels: the Frame section's encapsulation line, the
// protocols in the frame and the first section after Frame for each link
// type, as tshark 4.0 prints them for the crafted captures' first frame.
func TestLinkTypeLabels(t *testing.T) {
	cases := map[string]struct{ encap, protocols, next string }{
		"several-pdus-one-segment": {"Ethernet (1)", "eth:ethertype:ip:tcp", "Ethernet II, Src: 00:00:00_33:44:66 (00:00:00:33:44:66), Dst: 00:00:00_33:44:55 (00:00:00:33:44:55)"},
		"sll":                      {"Linux cooked-mode capture v1 (25)", "sll:ethertype:ip:tcp", "Linux cooked capture v1"},
		"sll2":                     {"Linux cooked-mode capture v2 (210)", "sll:ethertype:ip:tcp", "Linux cooked capture v2"},
		"null":                     {"NULL/Loopback (15)", "null:ip:tcp", "Null/Loopback"},
		"loop":                     {"OpenBSD loopback (174)", "null:ip:tcp", "Null/Loopback"},
		"raw":                      {"Raw IP (7)", "raw:ip:tcp", "Raw packet data"},
		"ipv4":                     {"Raw IPv4 (129)", "ip:tcp", "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2"},
		"ipv6":                     {"Raw IPv6 (130)", "ipv6:tcp", "Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2"},
	}
	for _, tc := range craftedCases() {
		want, ok := cases[tc.name]
		if !ok {
			continue
		}
		delete(cases, tc.name)
		p := readAll(t, writePcap(t, tc.link, tc.v6, tc.vlan, tc.segs), Options{PDULen: mqttLen})[0]
		secs := p.Sections()
		frame := secs[0].Lines
		var encap, protos string
		for _, l := range frame {
			if v, ok := strings.CutPrefix(l, "    Encapsulation type: "); ok {
				encap = v
			}
			if v, ok := strings.CutPrefix(l, "    [Protocols in frame: "); ok {
				protos = strings.TrimSuffix(v, "]")
			}
		}
		if encap != want.encap || protos != want.protocols || len(secs) < 2 || secs[1].Lines[0] != want.next {
			t.Errorf("%s: encapsulation %q, protocols %q, next section %q; want %q, %q, %q",
				tc.name, encap, protos, secs[1].Lines[0], want.encap, want.protocols, want.next)
		}
	}
	if len(cases) > 0 {
		t.Errorf("no crafted case for %v", cases)
	}
}
