//go:build interop

package capture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/output"
)

// TestCraftedTsharkJSON compares the JSON lower layers (JSONLayers, and
// JSONSegments before a reassembled PDU) with tshark -T json on the
// crafted captures, which cover the link types, VLAN, IPv6, reassembly,
// retransmissions and out-of-order segments that the shared captures lack.
func TestCraftedTsharkJSON(t *testing.T) {
	requireTshark(t)
	dir := t.TempDir()
	for _, tc := range craftedCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := writePcap(t, tc.link, tc.v6, tc.vlan, tc.segs)
			path := filepath.Join(dir, tc.name+".pcap")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("tshark", "-r", path, "-T", "json", "-d", "tcp.port==1883,mqtt")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			var ref []struct {
				Source struct {
					Layers json.RawMessage `json:"layers"`
				} `json:"_source"`
			}
			if err := json.Unmarshal(out, &ref); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(data), Options{PDULen: mqttLen})
			if err != nil {
				t.Fatal(err)
			}
			for i := range ref {
				p, err := r.Next()
				if err != nil {
					t.Fatalf("frame %d: %v", i+1, err)
				}
				layers := &output.JSONObject{Members: p.JSONLayers()}
				for _, pdu := range p.PDUs {
					if s := pdu.JSONSegments(); s != nil {
						layers.Members = append(layers.Members, output.JSONMember{Key: "tcp.segments", Obj: s})
					}
				}
				// A Malformed frame's marker is compared when no PDU's
				// layers come before it.
				bare := len(p.PDUs) == 0
				if bare {
					layers.Members = append(layers.Members, p.JSONTrailer()...)
				}
				want := lowerLayers(t, ref[i].Source.Layers, bare)
				got := lowerLayers(t, layers.AppendCompact(nil), bare)
				if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
					t.Fatalf("frame %d differs:\n%s", i+1, diffLines(want, got))
				}
			}
		})
	}
}

// lowerLayers flattens a "layers" object into "path = value" lines in
// order (repeated keys kept), leaving out the application's layers
// ("_ws.malformed" too unless keepMalformed).
func lowerLayers(t *testing.T, data []byte, keepMalformed bool) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []string
	var walk func(path string, skip bool)
	walk = func(path string, skip bool) {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := tok.(json.Delim); ok && d == '{' {
			for dec.More() {
				k, _ := dec.Token()
				key := k.(string)
				walk(path+"/"+key, skip || path == "" && (key == "mqtt" || key == "_ws.malformed" && !keepMalformed))
			}
			dec.Token()
			return
		}
		if !skip {
			out = append(out, fmt.Sprintf("%s = %v", path, tok))
		}
	}
	walk("", false)
	return out
}
