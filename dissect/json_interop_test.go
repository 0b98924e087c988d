//go:build interop

package dissect

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/mqtap/mqtap/internal/tsharktest"
)

// testdata/NAME.json (and NAME.digest.json, whose long strings are
// digests) is what the live tshark -T json prints for the capture, so the
// JSON tests cannot drift from tshark. Fails, never skips, without tshark.
func TestJSONReferencesAreCurrent(t *testing.T) {
	for _, file := range sharedCaptures(t) {
		name := baseName(file)
		t.Run(name, func(t *testing.T) {
			args := []string{"-r", file, "-T", "json"}
			for _, port := range capturePorts(name) {
				if port != 1883 {
					args = append(args, "-d", "tcp.port=="+strconv.Itoa(int(port))+",mqtt")
				}
			}
			live := bytes.NewBuffer(tsharktest.Run(t, args...))
			ref, digest := reference(t, name)
			if !digest {
				if !bytes.Equal(ref, live.Bytes()) {
					want, _ := flatten(ref, false)
					got, _ := flatten(live.Bytes(), false)
					compareFlat(t, want, got)
					t.Errorf("testdata/%s.json differs from live tshark", name)
				}
				return
			}
			want, err := flatten(ref, true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := flatten(live.Bytes(), true)
			if err != nil {
				t.Fatal(err)
			}
			compareFlat(t, want, got)
		})
	}
}
