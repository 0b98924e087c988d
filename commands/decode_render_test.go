package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// paneLine is a line of tshark's bytes pane, or the title of one of a
// frame's several panes.
var paneLine = regexp.MustCompile(`^([0-9a-f]{4,}  ([0-9a-f]{2} ){15}[0-9a-f]{2}   .{16}|[0-9a-f]{4,}  [0-9a-f ]{47}   .{1,15}|(Frame|Reassembled TCP) \([0-9]+ bytes\):)$`)

// blocks splits output at empty lines (tshark ends each frame with one).
func blocks(s string) []string {
	s = strings.TrimSuffix(s, "\n\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n\n")
}

// tshark 4.0's -x alone prints each frame's bytes and an empty line: no
// packet list. The pane of frame 6 is the one tshark printed
// (output/testdata/hexpane, tshark -x -Y frame.number==6).
func TestDecodeHexPaneAlone(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			out, errOut, _ := runMqtap(t, "decode", "-x", "-d", "tcp.port=="+capturePort(name)+",mqtt", p)
			list, err := os.ReadFile(filepath.Join(sharedData, "captures", name+".list.txt"))
			if err != nil {
				t.Fatal(err)
			}
			bs := blocks(out)
			if frames := strings.Count(string(list), "\n"); len(bs) != frames {
				t.Fatalf("%d blocks, the capture has %d frames (stderr %q)", len(bs), frames, errOut)
			}
			for i, b := range bs {
				for _, l := range strings.Split(b, "\n") {
					if !paneLine.MatchString(l) {
						t.Fatalf("frame %d: %q is not a bytes-pane line", i+1, l)
					}
				}
			}
			if !strings.HasSuffix(out, "\n\n") {
				t.Errorf("output does not end with tshark's empty line")
			}
			if name == "seed-v311-qos0" {
				want, err := os.ReadFile("../output/testdata/hexpane/seed-v311-qos0-6.golden")
				if err != nil {
					t.Fatal(err)
				}
				if got := bs[5] + "\n\n"; got != string(want) {
					t.Errorf("frame 6:\n%s", firstDiff(string(want), got))
				}
			}
		})
	}
}

// With -V -x (and -O mqtt -x) tshark prints the details, an empty line,
// the bytes, and an empty line.
func TestDecodeDetailsThenHexPane(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			dec := []string{"decode", "-o", "mqtt.show_msg_as_text:FALSE", "-d", "tcp.port==" + capturePort(name) + ",mqtt"}
			panes, _, _ := runMqtap(t, append(dec, "-x", p)...)
			for _, mode := range [][]string{{"-V"}, {"-O", "mqtt"}} {
				details, _, _ := runMqtap(t, append(append(dec, mode...), p)...)
				both, _, _ := runMqtap(t, append(append(dec, mode...), "-x", p)...)
				ds, ps := blocks(details), blocks(panes)
				if len(ds) != len(ps) {
					t.Fatalf("%v: %d frames of details, %d of bytes", mode, len(ds), len(ps))
				}
				var want strings.Builder
				for i := range ds {
					want.WriteString(ds[i] + "\n\n" + ps[i] + "\n\n")
				}
				if d := firstDiff(want.String(), both); d != "" {
					t.Errorf("%v -x: not the details, an empty line, the bytes:\n%s", mode, d)
				}
			}
		})
	}
}

// onlyMQTT is what tshark -O mqtt prints, made from its -V output: the
// MQTT sections whole, every other top-level section as its title line
// ("JavaScript Object Notation: application/json", "[Malformed Packet:
// MQTT]" included). The interop tests check the rule against live tshark.
func onlyMQTT(v string) string {
	var out []string
	keep := false
	for _, l := range strings.Split(v, "\n") {
		if l != "" && l[0] != ' ' {
			keep = strings.HasPrefix(l, "MQ Telemetry Transport Protocol")
			out = append(out, l)
			continue
		}
		if l == "" || keep {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// -O mqtt expands MQTT only: not the JSON payload's tree, not the
// malformed packet's expert info.
func TestDecodeOnlyMQTTMatchesTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			v, err := os.ReadFile(filepath.Join(sharedData, "captures", name+".V.txt"))
			if err != nil {
				t.Fatal(err)
			}
			out, errOut, _ := runMqtap(t, "decode", "-O", "mqtt", "-o", "mqtt.show_msg_as_text:FALSE",
				"-d", "tcp.port=="+capturePort(name)+",mqtt", p)
			if d := firstDiff(onlyMQTT(string(v)), out); d != "" {
				t.Errorf("differs from tshark -O mqtt (stderr %q):\n%s", errOut, d)
			}
		})
	}
}

// mqtt.default_version takes what tshark takes: each value's name or
// description, ASCII case-insensitively ("MQTT v5.0", "none"), besides
// mqtap's own spellings.
func TestDecodeDefaultVersionTsharkSpellings(t *testing.T) {
	// A v5 PUBACK with a reason code, no CONNECT before it.
	const puback = "4003000110"
	decode := func(v string) string {
		t.Helper()
		out, errOut, code := runMqtap(t, "decode", "-o", "mqtt.default_version:"+v, puback)
		if code != ExitOK {
			t.Fatalf("-o mqtt.default_version:%s: exit %d: %s", v, code, errOut)
		}
		return out
	}
	for short, forms := range map[string][]string{
		"v50":  {"MQTT v5.0", "mqtt V5.0", "V50", "5"},
		"v311": {"MQTT v3.1.1", "MQTT V3.1.1", "V311"},
		"v31":  {"MQTT v3.1", "mqtt v3.1"},
		"none": {"None", "NONE"},
	} {
		want := decode(short)
		for _, f := range forms {
			if got := decode(f); got != want {
				t.Errorf("%q does not decode as %s:\n%s", f, short, firstDiff(want, got))
			}
		}
	}
	if !strings.Contains(decode("MQTT v5.0"), "Reason Code: No matching subscribers (16)") {
		t.Errorf(`"MQTT v5.0" did not decode the PUBACK as 5.0`)
	}
	if !strings.Contains(decode("None"), "Unknown version") {
		t.Errorf(`"None" did not leave the version unknown`)
	}
	for _, bad := range []string{"MQTT v6.0", "MQTT  v5.0", "garbage"} {
		if _, _, code := runMqtap(t, "decode", "-o", "mqtt.default_version:"+bad, puback); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, ExitUsage)
		}
	}
}

// tshark's -T json -x adds *_raw fields mqtap does not write: rather than
// JSON that is not tshark's, a usage error.
func TestDecodeJSONHexPaneRefused(t *testing.T) {
	for _, f := range []string{"json", "jsonl"} {
		out, errOut, code := runMqtap(t, "decode", "-T", f, "-x", "c000")
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "_raw") {
			t.Errorf("-T %s -x: exit %d, stdout %q, stderr %q", f, code, out, errOut)
		}
	}
}

// --pretty without -V puts each JSON payload beneath its packet-list line.
func TestDecodePrettyUnderPacketList(t *testing.T) {
	t.Setenv("TZ", "UTC")
	p := filepath.Join(sharedData, "captures", "v5-qos1-properties.pcapng")
	out, errOut, code := runMqtap(t, "decode", "--pretty", "--color", "never", p)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	list, err := os.ReadFile(filepath.Join(sharedData, "captures", "v5-qos1-properties.list.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(list), "\n")
	// Frame 8 is the PUBLISH with the JSON payload.
	pretty := `{ "data": [{ "temperature": 10, "timestamp": "2017-06-14T17:52:25.428Z" }] }` + "\n"
	want := strings.Join(lines[:8], "") + pretty + strings.Join(lines[8:], "")
	if d := firstDiff(want, out); d != "" {
		t.Errorf("not the list with the payload under frame 8:\n%s", d)
	}
}

// Hex input always shows the MQTT tree: with -x it is laid out as tshark
// -V -x lays out a frame, the tree, an empty line, the bytes, an empty line.
func TestDecodeHexInputTreeThenHexPane(t *testing.T) {
	tree, _, _ := runMqtap(t, "decode", "c000")
	out, errOut, code := runMqtap(t, "decode", "-x", "c000")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := strings.TrimSuffix(tree, "\n") + "\n0000  c0 00                                             ..\n\n"
	if !strings.HasPrefix(tree, "MQ Telemetry Transport Protocol, Ping Request\n") || out != want {
		t.Errorf("-x on hex input:\n%s", firstDiff(want, out))
	}
}

// broker and proxy read -o through the same parser as decode, so they take
// tshark's spellings too.
func TestTapPrefsTsharkSpellings(t *testing.T) {
	want, err := parsePrefs([]string{"mqtt.default_version:v50"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"MQTT v5.0", "mqtt V5.0"} {
		got, err := parsePrefs([]string{"mqtt.default_version:" + f})
		if err != nil || got.Version != want.Version {
			t.Errorf("%q: version %v, %v; want %v", f, got.Version, err, want.Version)
		}
	}
}
