package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snaplenPort is the port each snap-length reference was decoded with.
func snaplenPort(name string) string {
	if strings.Contains(name, "will-auth") || strings.Contains(name, "bad-password") {
		return "1885"
	}
	return "1883"
}

// Captures cut by a snap length (testdata/snaplen, gen.sh: editcap -s of
// the shared captures, and crafted ones): TCP counts the bytes the cut
// removed, the MQTT trees stop where the bytes do with tshark's "[Packet
// size limited during capture: MQTT truncated]" (or, for a PDU that also
// runs past its segment, "[BoundError Unreassembled Packet: MQTT]"); -V
// and -T json are tshark 4.0's, byte for byte.
func TestDecodeSnaplenCaptures(t *testing.T) {
	t.Setenv("TZ", "UTC")
	files, _ := filepath.Glob("testdata/snaplen/*.pcap*")
	if len(files) == 0 {
		t.Fatal("no testdata/snaplen captures")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		t.Run(name, func(t *testing.T) {
			decodeAs := "tcp.port==" + snaplenPort(name) + ",mqtt"
			for _, ref := range []struct {
				suffix string
				args   []string
			}{
				{".V.txt", []string{"-V", "-o", "mqtt.show_msg_as_text:FALSE"}},
				{".json", []string{"-T", "json"}},
				{".list.txt", nil},
			} {
				want, err := os.ReadFile(strings.TrimSuffix(f, filepath.Ext(f)) + ref.suffix)
				if err != nil {
					t.Fatal(err)
				}
				if ref.suffix != ".list.txt" && !strings.Contains(string(want), "during capture") && !strings.Contains(string(want), "Unreassembled") {
					t.Fatalf("%s%s: the cut reaches no MQTT PDU", name, ref.suffix)
				}
				got, errOut, code := runMqtap(t, append(append([]string{"decode", "-d", decodeAs}, ref.args...), f)...)
				if code != ExitOK && code != ExitDecode {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if d := firstDiff(string(want), got); d != "" {
					t.Errorf("%s differs from tshark's:\n%s", ref.suffix, d)
				}
			}
		})
	}
}
