//go:build !race

// Not under the race detector: its own bookkeeping allocates and would be
// counted. CI's interop pass runs without it, so this runs there.

package mqttwire

import "testing"

// Encode makes room for the whole packet before appending its fields, so
// every valid fixture encodes with exactly one allocation: the result.
func TestEncodeAllocatesOnce(t *testing.T) {
	for _, tp := range validPackets {
		t.Run(tp.name, func(t *testing.T) {
			var err error
			allocs := testing.AllocsPerRun(20, func() { _, err = Encode(tp.want, tp.version) })
			if err != nil {
				t.Fatal(err)
			}
			if allocs != 1 {
				t.Errorf("%v allocations, want 1", allocs)
			}
		})
	}
}
