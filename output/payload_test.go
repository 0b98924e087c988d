package output

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// TestCasesPayloadJSONAndList checks, for the cases made with "#json"
// (the payload sub-dissector cases: JSON of every shape, invalid JSON,
// strings, content types, several PDUs per frame), the -T json layers,
// frame.protocols, the Protocol and Info columns against real tshark.
func TestCasesPayloadJSONAndList(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.json")
	if len(files) < 5 {
		t.Fatalf("%d case .json files: run go test -update", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			segs, p, def := readCase(t, strings.TrimSuffix(f, ".json")+".case")
			fds := dissectSegments(segs, def)
			checkJSONLayers(t, name, f, fds, p)
			checkListLines(t, name, strings.TrimSuffix(f, ".json")+".list.txt", fds)
		})
	}
}

// dissectV5 dissects a PUBLISH after a v5 CONNECT.
func dissectV5(raw []byte) *Dissection {
	c := NewConversation(mqttwire.V5)
	return c.Dissect(raw)
}

// publishV5 is a QoS 0 PUBLISH to "t" with a Content Type property.
func publishV5(ct string, payload []byte) []byte {
	props := append([]byte{0x03, byte(len(ct) >> 8), byte(len(ct))}, ct...)
	body := append([]byte{0, 1, 't'}, varint(len(props))...)
	body = append(append(body, props...), payload...)
	return append(append([]byte{0x30}, varint(len(body))...), body...)
}

// varint is an MQTT variable byte integer (MQTT 5.0 §1.5.5).
func varint(n int) []byte {
	var out []byte
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n > 0 {
			c |= 0x80
		}
		out = append(out, c)
		if n == 0 {
			return out
		}
	}
}

func TestPayloadAPI(t *testing.T) {
	tests := []struct {
		ct, payload     string
		proto, extra    string
		infoSuffix      string
		title, lastLine string
	}{
		{"application/json", `{"a":[1]}`, "MQTT/JSON", ":json", ", JavaScript Object Notation (application/json)",
			"JavaScript Object Notation: application/json", "        [Path: /a]\n"},
		{"application/json", `[1] x`, "MQTT/JSON", ":json:data-text-lines", ", JavaScript Object Notation (application/json)",
			"Line-based text data: application/json (1 lines)", "    x\n"},
		{"application/json", ``, "MQTT/JSON", "", ", JavaScript Object Notation (application/json)",
			"JavaScript Object Notation: application/json", "JavaScript Object Notation: application/json\n"},
		{"text/plain", "a\nb", "MQTT", ":data-text-lines", " (text/plain)", "Line-based text data: text/plain (2 lines)", "    b\n"},
		{"application/json; charset=utf-8", `{}`, "MQTT", "", "", "", "    Message: 7b7d\n"},
		{"application/xml", `<a/>`, "MQTT", "", "", "", "    Message: 3c612f3e\n"},
	}
	for _, tc := range tests {
		d := dissectV5(publishV5(tc.ct, []byte(tc.payload)))
		tree := string(AppendTree(nil, d, Prefs{}, nil))
		if got := Protocol(d); got != tc.proto {
			t.Errorf("%s %q: Protocol %q, want %q", tc.ct, tc.payload, got, tc.proto)
		}
		if got := ExtraProtocols(d); got != tc.extra {
			t.Errorf("%s %q: ExtraProtocols %q, want %q", tc.ct, tc.payload, got, tc.extra)
		}
		if got := Info(d); got != "Publish Message [t]"+tc.infoSuffix {
			t.Errorf("%s %q: Info %q", tc.ct, tc.payload, got)
		}
		if tc.title != "" && !strings.Contains(tree, "\n"+tc.title+"\n") {
			t.Errorf("%s %q: no %q in\n%s", tc.ct, tc.payload, tc.title, tree)
		}
		if !strings.HasSuffix(tree, tc.lastLine) {
			t.Errorf("%s %q: tree does not end with %q:\n%s", tc.ct, tc.payload, tc.lastLine, tree)
		}
	}
	// Not in MQTT 3.1.1 (no properties), nor for a malformed PUBLISH.
	if d := NewConversation(mqttwire.V311).Dissect(publishV5("application/json", []byte("{}"))); Protocol(d) != "MQTT" || len(d.sub) != 0 {
		t.Error("a v3.1.1 PUBLISH got a sub-dissector")
	}
	puback := dissectV5([]byte{0x40, 2, 0, 1})
	js := dissectV5(publishV5("application/json", []byte("{}")))
	if FrameProtocol([]*Dissection{js, puback}) != "MQTT" || FrameProtocol([]*Dissection{puback, js}) != "MQTT/JSON" || FrameProtocol(nil) != "MQTT" {
		t.Error("FrameProtocol is not the last PDU's")
	}
	bug := dissectV5(publishV5("application/json", []byte(`{"a":"\ n"}`)))
	if !bug.EndsFrame() || js.EndsFrame() {
		t.Error("EndsFrame")
	}
}

// TestDissectIntoReuse: a reused Dissection drops the sections of the PDU
// before.
func TestDissectIntoReuse(t *testing.T) {
	c := NewConversation(mqttwire.V5)
	var d Dissection
	c.DissectInto(&d, publishV5("application/json", []byte(`{"a":1} tail`)))
	first := string(AppendTree(nil, &d, Prefs{}, nil))
	c.DissectInto(&d, []byte{0x40, 2, 0, 1})
	if out := AppendTree(nil, &d, Prefs{}, nil); bytes.Contains(out, []byte("JavaScript")) || Protocol(&d) != "MQTT" || ExtraProtocols(&d) != "" {
		t.Errorf("sections left over:\n%s", out)
	}
	c.DissectInto(&d, publishV5("application/json", []byte(`{"a":1} tail`)))
	if again := string(AppendTree(nil, &d, Prefs{}, nil)); again != first {
		t.Errorf("reused:\n%s\nfresh:\n%s", again, first)
	}
}

// FuzzPayloadJSON: any payload under a JSON content type dissects without
// panic, every output form is produced, and colour strips to plain text.
func FuzzPayloadJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"c":true}`, `[1 2]`, `{"a":"\ud83d\ude00\u 0041"}`, `{"a":"\ n"}`,
		"[1] x\r\ny", `{"k":"` + "\xff\xc0\xaf" + `"}`, "", "  ", `[01]`, `{"a":1}{"b":2}`, `[- 1 . 5 e + 3]`} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte("a\rb\n"), "text/plain")
	f.Fuzz(func(t *testing.T, payload []byte, ct string) {
		if len(ct) > 0xffff {
			return
		}
		raw := publishV5(ct, payload)
		d := dissectV5(raw)
		plain := AppendTree(nil, d, Prefs{}, nil)
		col := AppendTree(nil, d, Prefs{}, NewPalette(true))
		if s := stripANSI(col); !bytes.Equal(s, plain) {
			t.Fatalf("colour changes the text:\n%s\nvs\n%s", s, plain)
		}
		_ = Info(d)
		_ = Protocol(d)
		_ = ExtraProtocols(d)
		for _, m := range JSONLayers(d, Prefs{}) {
			if m.Obj != nil {
				m.Obj.AppendCompact(nil)
			}
		}
	})
}

// stripANSI drops SGR escape sequences.
func stripANSI(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] == ';' || b[j] >= '0' && b[j] <= '9') {
				j++
			}
			if j < len(b) && b[j] == 'm' {
				i = j
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// BenchmarkPayloadJSON: dissect and render a PUBLISH with a JSON payload,
// the per-PDU work of decoding a capture of JSON telemetry.
func BenchmarkPayloadJSON(b *testing.B) {
	payload := []byte(`{"data":[{"temperature":10,"timestamp":"2017-06-14T17:52:25.428Z"},` +
		`{"humidity":55.5,"ok":true,"tags":["a","b"],"unit":"\u00b0C"}]}`)
	raw := publishV5("application/json", payload)
	c := NewConversation(mqttwire.V5)
	var d Dissection
	buf := make([]byte, 0, 8192)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		c.DissectInto(&d, raw)
		buf = AppendTree(buf[:0], &d, Prefs{}, nil)
	}
	benchSink = buf
}

// TestTsharkCase compares case files made by testdata/tshark-golden.sh
// with "#json" against tshark's outputs stored beside them: -V, -T json and
// the packet list. MQTAP_CASE names one case file (for differential runs on
// generated payloads); otherwise every such committed case is compared.
func TestTsharkCase(t *testing.T) {
	cases := []string{os.Getenv("MQTAP_CASE")}
	if cases[0] == "" {
		jsons, _ := filepath.Glob("testdata/cases/*.json")
		if len(jsons) == 0 {
			t.Fatal("no case files with tshark JSON in testdata/cases")
		}
		cases = cases[:0]
		for _, j := range jsons {
			cases = append(cases, strings.TrimSuffix(j, ".json")+".case")
		}
	}
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			base := strings.TrimSuffix(c, ".case")
			want, err := os.ReadFile(base + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			segs, p, def := readCase(t, c)
			ok, all := compare(t, base, string(want), renderSegments(segs, p, def))
			t.Logf("sections exact %d/%d", ok, all)
			fds := dissectSegments(segs, def)
			checkJSONLayers(t, base, base+".json", fds, p)
			checkLayerBytes(t, base+".json", fds, p)
			checkListLines(t, base, base+".list.txt", fds)
		})
	}
}

// TestCasesJSONBytes compares the -T json text of the payload layers
// ("json", "data-text-lines") byte for byte with tshark's file, as
// JSONObject.AppendIndented writes them at a layer's depth: escapes, bad
// UTF-8 written verbatim, indentation.
func TestCasesJSONBytes(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.json")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			segs, p, def := readCase(t, strings.TrimSuffix(f, ".json")+".case")
			checkLayerBytes(t, f, dissectSegments(segs, def), p)
		})
	}
}

func checkLayerBytes(t *testing.T, file string, fds []frameDissections, p Prefs) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := tsharkLayerTexts(string(data), "json", "data-text-lines")
	if len(want) == 0 {
		t.Fatal("no payload layers in " + file)
	}
	var got []string
	for _, fd := range fds {
		for _, d := range fd.ds {
			for _, m := range JSONLayers(d, p) {
				if m.Key != "json" && m.Key != "data-text-lines" {
					continue
				}
				b := appendJSONString([]byte("        "), m.Key)
				b = append(b, ": "...)
				b = m.appendValue(b, 4, true)
				got = append(got, string(b))
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d payload layers, tshark has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("payload layer %d:\n%s", i, lineDiff(strings.Split(want[i], "\n"), strings.Split(got[i], "\n")))
		}
	}
}

// tsharkLayerTexts cuts the given layers out of tshark -T json text, each
// from its key line to its closing line, without a trailing comma.
func tsharkLayerTexts(text string, keys ...string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		for _, k := range keys {
			head := `        "` + k + `": `
			if !strings.HasPrefix(lines[i], head) {
				continue
			}
			j := i
			if strings.HasSuffix(lines[i], "{") {
				for j < len(lines) && lines[j] != "        }" && lines[j] != "        }," {
					j++
				}
			}
			out = append(out, strings.TrimSuffix(strings.Join(lines[i:j+1], "\n"), ","))
			i = j
		}
	}
	return out
}
