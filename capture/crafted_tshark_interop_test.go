//go:build interop

package capture

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCraftedTshark compares the crafted captures with tshark: every
// lower-layer section line and the TCP Info column. It fails when tshark is
// missing: CI installs it.
func TestCraftedTshark(t *testing.T) {
	requireTshark(t)
	dir := t.TempDir()
	for _, tc := range craftedCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := writePcap(t, tc.link, tc.v6, tc.vlan, tc.segs)
			path := filepath.Join(dir, tc.name+".pcap")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("tshark", "-r", path, "-V", "-d", "tcp.port==1883,mqtt")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			vpath := filepath.Join(dir, tc.name+".V.txt")
			os.WriteFile(vpath, out, 0o644)
			ref := readV(t, vpath)
			cmd = exec.Command("tshark", "-r", path, "-d", "tcp.port==1883,mqtt")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err = cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			list := strings.Split(strings.TrimSpace(string(out)), "\n")
			pkts := readAll(t, data, Options{PDULen: mqttLen})
			if len(pkts) != len(ref) || len(pkts) != len(list) {
				t.Fatalf("frames: got %d, tshark -V %d, list %d", len(pkts), len(ref), len(list))
			}
			fails := 0
			for i, p := range pkts {
				var want [][]string
				for _, s := range ref[i] {
					if !appSection(s[0]) {
						want = append(want, s)
					}
				}
				got := append([]Section(nil), p.Sections()...)
				for _, pdu := range p.PDUs {
					got = append(got, pdu.Prelude...)
				}
				// The Trailer: the reassembly of a PDU that is not
				// dissected, and the marker of a length tshark could not
				// read, the frame's last section. Without PDUs tshark
				// shows no other application section, and its list shows
				// the TCP layer's Protocol and Info.
				last := ref[i][len(ref[i])-1]
				if p.Malformed {
					want = append(want, last)
				}
				got = append(got, p.Trailer()...)
				m := listRE.FindStringSubmatch(list[i])
				if m == nil {
					t.Fatalf("frame %d: list line %q", i+1, list[i])
				}
				if len(p.PDUs) == 0 {
					if !p.Malformed && appSection(last[0]) {
						t.Errorf("frame %d: tshark shows %q", i+1, last[0])
					}
					if g, w := p.Protocol+" "+p.TCPInfo(), m[5]+" "+m[7]; g != w {
						t.Errorf("frame %d list: got %q, want %q", i+1, g, w)
					}
				} else {
					// What comes before the PDUs' Info, which begins
					// with an MQTT message type; the Protocol column.
					lead, rest, ok := strings.Cut(m[7], p.InfoPrefix())
					if !ok || lead != "" || rest == "" || !strings.Contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ", rest[:1]) {
						t.Errorf("frame %d list: Info %q does not continue InfoPrefix %q with a PDU's", i+1, m[7], p.InfoPrefix())
					}
					if g := p.ListProtocol("MQTT"); (g == "TCP") != (m[5] == "TCP") {
						t.Errorf("frame %d list: Protocol %q, want %q", i+1, g, m[5])
					}
				}
				w := strings.Join(flatten(want), "\n")
				var gl []string
				for _, s := range got {
					gl = append(gl, s.Lines...)
				}
				g := strings.Join(gl, "\n")
				if w != g && fails < 3 {
					fails++
					t.Errorf("frame %d differs:\n%s", i+1, diffLines(flatten(want), gl))
				}
			}
		})
	}
}

func flatten(secs [][]string) []string {
	var out []string
	for _, s := range secs {
		out = append(out, s...)
	}
	return out
}

// requireTshark fails the test when tshark is missing (CI installs it),
// and puts the test in UTC, as the references are made.
func requireTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Fatalf("tshark is required: %v", err)
	}
	time.Local = time.UTC
}

func diffLines(want, got []string) string {
	var b strings.Builder
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			b.WriteString("  want: " + w + "\n   got: " + g + "\n")
		}
	}
	return b.String()
}
