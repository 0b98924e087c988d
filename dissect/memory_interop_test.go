//go:build interop

package dissect

import "testing"

// TestMemoryFlatLarge is TestMemoryFlat on 256 MB, more than four times
// the bound, so a decoder that kept frames or streams would fail it.
func TestMemoryFlatLarge(t *testing.T) {
	testMemoryFlat(t, 256<<20)
}
