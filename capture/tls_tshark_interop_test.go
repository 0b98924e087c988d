//go:build interop

package capture

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTLSTshark compares the Protocol and Info columns of every frame of
// the TLS captures on port 8883, whole and cut into segments of 100, 7 and
// 1 bytes (records and their headers split), with tshark's packet list.
func TestTLSTshark(t *testing.T) {
	requireTshark(t)
	dir := t.TempDir()
	for _, tc := range tlsListCases() {
		orig, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 100, 7, 1} {
			name := filepath.Base(tc.file)
			data := orig
			if n > 0 {
				name = fmt.Sprintf("%s-%d.pcap", name, n)
				data = resegment(t, orig, n)
			}
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command("tshark", "-r", path)
				cmd.Env = append(os.Environ(), "TZ=UTC")
				out, err := cmd.Output()
				if err != nil {
					t.Fatal(err)
				}
				list := strings.Split(strings.TrimSpace(string(out)), "\n")
				// The columns are taken before the next frame is read:
				// the TCP summary's options point into the frame.
				r, err := NewReader(bytes.NewReader(data), Options{PDULen: mqttLen})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for {
					p, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, p.Protocol+" "+p.TCPInfo())
				}
				if len(got) != len(list) {
					t.Fatalf("frames: got %d, tshark %d", len(got), len(list))
				}
				fails := 0
				for i, g := range got {
					m := listRE.FindStringSubmatch(list[i])
					if m == nil {
						t.Fatalf("frame %d: list line %q", i+1, list[i])
					}
					if w := m[5] + " " + m[7]; g != w && fails < 5 {
						fails++
						t.Errorf("frame %d: got %q, want %q", i+1, g, w)
					}
				}
			})
		}
	}
}
