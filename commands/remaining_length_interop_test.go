//go:build interop

package commands

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRemainingLengthsMatchTshark: streams whose remaining lengths break
// the protocol (five to eight bytes, wrapping past 2^32, running past the
// segment), each in a capture made by text2pcap, dissected by tshark and
// by mqtap: the MQTT sections and the packet list must be identical.
func TestRemainingLengthsMatchTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		segs []string // hex, one TCP segment each
	}{
		{"wraps-to-five-bytes", []string{"30ffffffff7f", "e000"}},
		{"five-bytes-no-topic", []string{"30808080800000", "e000"}},
		{"five-bytes-publish", []string{"100c00044d5154540402003c0000", "3085808080000001747879", "e000"}},
		{"six-bytes-ping", []string{"c0808080808000", "e000"}},
		{"eight-bytes-disconnect", []string{"e08080808080808000", "c000"}},
		{"five-bytes-connect", []string{"108c80808000" + "00044d5154540402003c0000", "3003000174"}},
		{"cut-in-segment", []string{"c000" + "30ff", "e000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dump strings.Builder
			for _, s := range tc.segs {
				dump.WriteString("000000")
				for i := 0; i+1 < len(s); i += 2 {
					dump.WriteString(" " + s[i:i+2])
				}
				dump.WriteByte('\n')
			}
			txt := filepath.Join(dir, tc.name+".txt")
			pcap := filepath.Join(dir, tc.name+".pcap")
			writeTestFile(t, txt, dump.String())
			if out, err := exec.Command("text2pcap", "-q", "-T", "50000,1883", txt, pcap).CombinedOutput(); err != nil {
				t.Fatalf("text2pcap: %v: %s", err, out)
			}
			for _, mode := range []string{"-V", ""} {
				args := []string{"-o", "mqtt.show_msg_as_text:FALSE"}
				if mode != "" {
					args = append(args, mode)
				}
				want := tshark(t, append([]string{"-r", pcap}, args...)...)
				got, errOut, _ := runMqtap(t, append(append([]string{"decode"}, args...), pcap)...)
				if strings.Contains(errOut, "panic") {
					t.Fatalf("mqtap: %s", errOut)
				}
				if mode == "-V" {
					want, got = strings.Join(mqttSectionsOf(want), ""), strings.Join(mqttSectionsOf(got), "")
					if want == "" {
						t.Fatal("tshark shows no MQTT section")
					}
				}
				if want != got {
					t.Errorf("decode %s differs from tshark:\n%s", mode, firstDiff(want, got))
				}
			}
		})
	}
}
