package output

import (
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// What tshark's packet list (built without a tree) says of PDUs a snap
// length cut: as in the captures cut with editcap (testdata/snaplen in
// commands), only a cut in a bitmask the PDU ends with goes unnoticed.
func TestTreelessReadsPastCut(t *testing.T) {
	subscribe := []byte{0x82, 12, 0, 1, 0, 0, 2, 'a', '/', 0x02, 0, 1, 'b', 0x01} // v5, two filters
	connect := []byte{0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 2, 'i', 'd'}
	publish := []byte{0x30, 8, 0, 1, 't', 'p', 'a', 'y', 'l', 'd'}
	for _, tc := range []struct {
		name string
		raw  []byte
		cut  int // bytes captured
		v    mqttwire.Version
		want bool
	}{
		{"subscribe v5 without its last options", subscribe, len(subscribe) - 1, mqttwire.V5, false},
		{"subscribe v5 cut in the last filter", subscribe, len(subscribe) - 2, mqttwire.V5, true},
		{"subscribe v3.1.1 without its QoS", []byte{0x82, 6, 0, 1, 0, 1, 'a', 0x01}, 7, mqttwire.V311, true},
		{"connect cut in the client id", connect, len(connect) - 1, 0, true},
		{"connect cut in the keep alive", connect, 11, 0, true},
		{"publish cut in the message", publish, 7, mqttwire.V311, true},
		{"connack v3.1.1 without its code", []byte{0x20, 2, 0, 0}, 3, mqttwire.V311, true},
		{"puback cut in the id", []byte{0x40, 2, 0, 1}, 3, mqttwire.V311, true},
	} {
		if got := treelessReadsPastCut(tc.raw[:tc.cut], len(tc.raw), tc.v); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
