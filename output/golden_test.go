package output

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

var update = flag.Bool("update", false, "regenerate testdata/cases/*.golden with real tshark (testdata/tshark-golden.sh)")

// segment is one TCP segment with data, as in testdata/*/NAME.frames.
type segment struct {
	frame, stream, src int
	payload            []byte
}

// renderSegments reassembles each TCP stream direction, cuts it into PDUs
// as tshark's tcp_dissect_pdus does (a PDU is shown in the frame where it
// completes; one that never completes is never shown) and renders the MQTT
// part of every frame in the format of extract-mqtt.awk.
func renderSegments(segs []segment, p Prefs, def mqttwire.Version) string {
	convs := map[int]*Conversation{}
	bufs := map[[2]int][]byte{}
	var out []byte
	for _, s := range segs {
		c := convs[s.stream]
		if c == nil {
			c = NewConversation(def)
			convs[s.stream] = c
		}
		key := [2]int{s.stream, s.src}
		buf := append(bufs[key], s.payload...)
		var frame []byte
		for {
			n, ok, err := mqttwire.PacketLen(buf)
			if err != nil || !ok || n > len(buf) {
				break // tshark waits for the rest, which never comes
			}
			d := c.Dissect(buf[:n])
			frame = AppendTree(frame, d, p, nil)
			buf = buf[n:]
			if d.EndsFrame() {
				buf = nil // tshark's exception ends the frame
				break
			}
		}
		bufs[key] = append([]byte(nil), buf...)
		if len(frame) > 0 {
			out = append(out, "#frame "+strconv.Itoa(s.frame)+"\n"...)
			out = append(out, frame...)
		}
	}
	return string(out)
}

func readFrames(t testing.TB, path string) []segment {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var segs []segment
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		if len(f) < 4 {
			continue
		}
		var s segment
		s.frame, _ = strconv.Atoi(f[0])
		s.stream, _ = strconv.Atoi(f[1])
		s.src, _ = strconv.Atoi(f[2])
		if s.payload, err = hex.DecodeString(f[3]); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		segs = append(segs, s)
	}
	return segs
}

// readCase reads a testdata/cases file: "I hex" client to broker, "O hex"
// broker to client, one frame each; "#text" sets mqtt.show_msg_as_text.
func readCase(t testing.TB, path string) ([]segment, Prefs, mqttwire.Version) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var segs []segment
	var p Prefs
	var def mqttwire.Version
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case l == "#text":
			p.ShowMsgAsText = true
		case strings.HasPrefix(l, "#default_version "):
			def, _ = mqttwire.ParseVersion(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(l, "#default_version ")), "v"))
		case strings.HasPrefix(l, "I ") || strings.HasPrefix(l, "O "):
			b, err := hex.DecodeString(strings.TrimSpace(l[2:]))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			src := 50000
			if l[0] == 'O' {
				src = 1883
			}
			segs = append(segs, segment{frame: len(segs) + 1, src: src, payload: b})
		}
	}
	return segs, p, def
}

// sections splits -V text into MQTT sections the way the shared fidelity
// tool (mqttdiff.py) does: a title line and the indented lines under it.
func sections(text string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " ")
		if strings.HasPrefix(l, "MQ Telemetry Transport Protocol") || isSubTitle(l) {
			if cur != nil {
				out = append(out, cur)
			}
			cur = []string{l}
			continue
		}
		if cur != nil {
			if strings.HasPrefix(l, " ") && strings.TrimSpace(l) != "" {
				cur = append(cur, l)
			} else {
				out = append(out, cur)
				cur = nil
			}
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// isSubTitle: the payload sub-dissectors' sections are compared too.
func isSubTitle(l string) bool {
	return strings.HasPrefix(l, "JavaScript Object Notation") || strings.HasPrefix(l, "Line-based text data") ||
		strings.HasPrefix(l, "[Dissector bug, protocol JSON")
}

// compare reports the first difference and returns exact sections / total.
func compare(t *testing.T, name, want, got string) (int, int) {
	t.Helper()
	ws, gs := sections(want), sections(got)
	exact := 0
	shown := 0
	for i, w := range ws {
		if i < len(gs) && strings.Join(w, "\n") == strings.Join(gs[i], "\n") {
			exact++
			continue
		}
		if shown < 2 {
			shown++
			g := []string{}
			if i < len(gs) {
				g = gs[i]
			}
			t.Errorf("%s: section %d differs\n%s", name, i+1, lineDiff(w, g))
		}
	}
	if len(gs) != len(ws) {
		t.Errorf("%s: %d sections, tshark has %d", name, len(gs), len(ws))
	}
	if exact == len(ws) && want != got {
		t.Errorf("%s: sections match but the text around them differs\n%s", name,
			lineDiff(strings.Split(want, "\n"), strings.Split(got, "\n")))
	}
	return exact, len(ws)
}

// lineDiff shows the first differing line with some context.
func lineDiff(want, got []string) string {
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
			for j := max(0, i-3); j < i; j++ {
				fmt.Fprintf(&b, "   %s\n", want[j])
			}
			fmt.Fprintf(&b, "-  %q\n+  %q\n", w, g)
			return b.String()
		}
	}
	return "(same lines)"
}

// TestCapturesGolden renders every MQTT PDU of the shared captures and
// compares the MQTT part of each frame with tshark 4.0.17's -V output.
func TestCapturesGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/captures/*.frames")
	if len(files) == 0 {
		t.Fatal("no testdata/captures/*.frames: run testdata/mkcaptures.sh")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".frames")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".frames") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			got := renderSegments(readFrames(t, f), Prefs{}, 0)
			ok, all := compare(t, name, string(want), got)
			t.Logf("%s: MQTT sections exact %d/%d", name, ok, all)
		})
	}
}

// TestHexdumpsGolden renders the client->broker bytes of the shared hex
// dumps (one stream) and compares with their -V sections.
func TestHexdumpsGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/hexdumps/*.hex")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".hex")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".hex") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			got := renderSegments([]segment{{frame: 1, payload: b}}, Prefs{}, 0)
			ok, all := compare(t, name, stripFrames(string(want)), stripFrames(got))
			t.Logf("%s: MQTT sections exact %d/%d", name, ok, all)
		})
	}
}

// stripFrames drops the "#frame N" lines (a hex dump has no frames).
func stripFrames(s string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#frame ") {
			b.WriteString(sc.Text())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestCasesGolden covers what the captures do not (every property, AUTH,
// v5 UNSUBACK, SUBACK failures, v5 DISCONNECT, topic aliases, strings that
// need escaping or truncation, show_msg_as_text, malformed packets...):
// testdata/cases/NAME.case holds the bytes, NAME.golden what real tshark
// printed for them (go test -update runs testdata/tshark-golden.sh).
func TestCasesGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.case")
	if *update {
		cmd := exec.Command("testdata/tshark-golden.sh", files...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tshark-golden.sh: %v\n%s", err, out)
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".case")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".case") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			segs, p, def := readCase(t, f)
			got := renderSegments(segs, p, def)
			ok, all := compare(t, name, string(want), got)
			t.Logf("%s: MQTT sections exact %d/%d", name, ok, all)
			if string(want) != got && !bytes.Equal(want, []byte(got)) && ok == all {
				t.Errorf("%s: text differs outside sections", name)
			}
		})
	}
}
