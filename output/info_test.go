package output

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var listLine = regexp.MustCompile(`^ *(\d+) +(\d+)\.(\d+) +(\S+) → (\S+) +(MQTT\S*) (\d+) (.*)$`)

// TestInfoAndListLine checks the Info column of every MQTT frame of the
// captures (the PDUs' Info joined with ", "), its Protocol column
// (FrameProtocol), and that WriteListLine lays out tshark's packet-list
// line byte for byte.
func TestInfoAndListLine(t *testing.T) {
	files, _ := filepath.Glob("testdata/captures/*.list.txt")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".list.txt")
		fds := dissectSegments(readFrames(t, strings.TrimSuffix(f, ".list.txt")+".frames"), 0)
		checkListLines(t, name, f, fds)
	}
}

// checkListLines compares the MQTT lines of tshark's packet list with
// AppendListLine of FrameProtocol and the joined Info of our PDUs.
func checkListLines(t *testing.T, name, file string, fds []frameDissections) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	infos := map[int]string{}
	protos := map[int]string{}
	for _, fd := range fds {
		var parts []string
		for _, d := range fd.ds {
			parts = append(parts, Info(d))
		}
		infos[fd.frame] = strings.Join(parts, ", ")
		protos[fd.frame] = FrameProtocol(fd.ds)
	}
	n, ok := 0, 0
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		m := listLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n++
		no, _ := strconv.Atoi(m[1])
		sec, _ := strconv.Atoi(m[2])
		ns, _ := strconv.Atoi((m[3] + "000000000")[:9])
		length, _ := strconv.Atoi(m[7])
		var b bytes.Buffer
		rel := time.Duration(sec)*time.Second + time.Duration(ns)
		b.Write(AppendListLine(nil, no, rel, len(m[3]), m[4], m[5], protos[no], length, infos[no]))
		if got := strings.TrimSuffix(b.String(), "\n"); got != l {
			t.Errorf("%s frame %d:\n tshark %q\n mqtap  %q", name, no, l, got)
		} else {
			ok++
		}
	}
	t.Logf("%s: list lines exact %d/%d", name, ok, n)
}

func TestHexPane(t *testing.T) {
	want, err := os.ReadFile("testdata/hexpane/seed-v311-qos0-6.golden")
	if err != nil {
		t.Fatal(err)
	}
	// Read the bytes back from tshark's own pane, then print them again.
	var data []byte
	for _, l := range strings.Split(string(want), "\n") {
		if len(l) < 6 {
			continue
		}
		for _, h := range strings.Fields(l[6:min(len(l), 6+47)]) {
			v, _ := strconv.ParseUint(h, 16, 8)
			data = append(data, byte(v))
		}
	}
	got := string(AppendHexPane(nil, "", data)) + "\n"
	if got != string(want) {
		t.Errorf("hex pane:\n%s\nwant\n%s", got, want)
	}
	// Lines tshark printed for frame 17 of v5-big-payload (3470-byte frame,
	// 200012-byte reassembled PDU): offsets widen to 5 digits.
	big := make([]byte, 200012)
	copy(big[0x30d40:], []byte{0x8d, 0x72, 0x8c, 0x81, 0xc3, 0xfa, 0x3e, 0x45, 0x56, 0xcf, 0x20, 0xed})
	out := string(AppendHexPane(nil, "Reassembled TCP (200012 bytes):", big))
	if !strings.HasPrefix(out, "Reassembled TCP (200012 bytes):\n00000  00 00") {
		t.Errorf("title or 5-digit offset missing: %q", out[:60])
	}
	if !strings.HasSuffix(out, "30d40  8d 72 8c 81 c3 fa 3e 45 56 cf 20 ed               .r....>EV. .\n") {
		t.Errorf("last line: %q", out[len(out)-80:])
	}
	// A frame that captured no bytes has an empty pane (this once looped
	// for ever: the offset width loop shifted -1).
	if got := string(AppendHexPane(nil, "Frame (0 bytes):", nil)); got != "Frame (0 bytes):\n" {
		t.Errorf("empty pane: %q", got)
	}
}

// TestColourStripsToPlain renders every golden case with colour and checks
// that removing the ANSI sequences gives the plain text.
func TestColourStripsToPlain(t *testing.T) {
	ansi := regexp.MustCompile("\x1b\\[[0-9;]*m")
	pal := NewPalette(true)
	files, _ := filepath.Glob("testdata/cases/*.case")
	files2, _ := filepath.Glob("testdata/captures/v5-*.frames")
	coloured := false
	for _, f := range append(files, files2...) {
		var segs []segment
		p := Prefs{}
		if strings.HasSuffix(f, ".case") {
			segs, p, _ = readCase(t, f)
		} else {
			segs = readFrames(t, f)
		}
		for _, fd := range dissectSegments(segs, 0) {
			for _, d := range fd.ds {
				plain := AppendTree(nil, d, p, nil)
				col := AppendTree(nil, d, p, pal)
				if !bytes.Equal(col, plain) {
					coloured = true
				}
				if s := ansi.ReplaceAll(col, nil); !bytes.Equal(s, plain) {
					t.Fatalf("%s frame %d: colour changes the text:\n%s\nvs\n%s", f, fd.frame, s, plain)
				}
			}
		}
	}
	if !coloured {
		t.Error("the palette added no colour")
	}
	if got := AppendTree(nil, (&Conversation{}).Dissect([]byte{0xc0, 0}), Prefs{}, NewPalette(false)); bytes.Contains(got, []byte("\x1b")) {
		t.Error("a disabled palette added escapes")
	}
}

func TestPrettyJSON(t *testing.T) {
	out, ok := PrettyJSON([]byte(`{"a":[1,2],"b":{"c":"a long enough value to need its own line","d":true}}`), false)
	if !ok || !bytes.Contains(out, []byte("\n  \"b\": {")) || !json.Valid(out) {
		t.Errorf("PrettyJSON = %q, %v", out, ok)
	}
	if _, ok := PrettyJSON([]byte("not json"), false); ok {
		t.Error("not JSON reported as JSON")
	}
	col, _ := PrettyJSON([]byte(`{"a":1}`), true)
	if !bytes.Contains(col, []byte("\x1b[")) {
		t.Error("no colour")
	}
}
