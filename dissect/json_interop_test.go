//go:build interop

package dissect

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// testdata/NAME.json (and NAME.digest.json, whose long strings are
// digests) is what the live tshark -T json prints for the capture, so the
// JSON tests cannot drift from tshark. Fails, never skips, without tshark.
func TestJSONReferencesAreCurrent(t *testing.T) {
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Fatalf("tshark is required for the interop tests: %v", err)
	}
	for _, file := range sharedCaptures(t) {
		name := baseName(file)
		t.Run(name, func(t *testing.T) {
			args := []string{"-r", file, "-T", "json"}
			for _, port := range capturePorts(name) {
				if port != 1883 {
					args = append(args, "-d", "tcp.port=="+strconv.Itoa(int(port))+",mqtt")
				}
			}
			cmd := exec.Command(path, args...)
			cmd.Env = append(os.Environ(), "TZ=UTC")
			var live, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &live, &errOut
			if err := cmd.Run(); err != nil {
				t.Fatalf("tshark %v: %v: %s", args, err, errOut.String())
			}
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
