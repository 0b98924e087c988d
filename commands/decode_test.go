package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sharedData is the project's shared test data: real mosquitto captures
// with tshark 4.0's own output beside each, and the same bytes as hex dumps.
// It is a copy of the team's ../shared/testdata, kept in the repository so
// that `go test ./...` works on a fresh clone; .ci/run fails when the
// two differ.
const sharedData = "../testdata/shared"

// capturePort is the port each shared capture was dissected on.
func capturePort(name string) string {
	switch {
	case strings.HasPrefix(name, "crafted-"):
		return "1886"
	case name == "v311-will-auth" || name == "v311-bad-password" || name == "v5-bad-password":
		return "1885"
	}
	return "1883"
}

func sharedCaptures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedData, "captures", "*.pcap*"))
	if err != nil || len(files) < 14 {
		t.Fatalf("shared captures missing (%d found): %v", len(files), err)
	}
	return files
}

func captureName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(strings.TrimSuffix(b, ".pcapng"), ".pcap")
}

// The whole -V output, every layer of every frame, equals tshark's.
func TestDecodeCapturesDetailsMatchTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runMqtap(t, "decode", "-V", "-o", "mqtt.show_msg_as_text:FALSE",
				"-d", "tcp.port=="+capturePort(name)+",mqtt", p)
			if code != ExitOK && !(name == "crafted-malformed" && code == ExitDecode) {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want, err := os.ReadFile(filepath.Join(sharedData, "captures", name+".V.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(string(want), out); d != "" {
				t.Errorf("differs from tshark -V:\n%s", d)
			}
		})
	}
}

// Without -V, the packet list equals tshark's.
func TestDecodeCapturesListMatchesTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			out, errOut, _ := runMqtap(t, "decode", "-d", "tcp.port=="+capturePort(name)+",mqtt", p)
			want, err := os.ReadFile(filepath.Join(sharedData, "captures", name+".list.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(string(want), out); d != "" {
				t.Errorf("differs from tshark's packet list (stderr %q):\n%s", errOut, d)
			}
		})
	}
}

// Every dump style of the same bytes prints the same tree, and that tree's
// MQTT sections are tshark's.
func TestDecodeHexStylesIdentical(t *testing.T) {
	refs, _ := filepath.Glob(filepath.Join(sharedData, "hexdumps", "*.V.txt"))
	if len(refs) < 4 {
		t.Fatalf("shared hex dumps missing")
	}
	for _, ref := range refs {
		name := strings.TrimSuffix(filepath.Base(ref), ".V.txt")
		want := mqttSections(t, ref)
		files, _ := filepath.Glob(filepath.Join(sharedData, "hexdumps", name+".*"))
		styles := 0
		for _, f := range files {
			if strings.HasSuffix(f, ".V.txt") {
				continue
			}
			styles++
			t.Run(filepath.Base(f), func(t *testing.T) {
				out, errOut, code := runMqtap(t, "decode", "-o", "mqtt.show_msg_as_text:FALSE", f)
				if code != ExitOK {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if d := firstDiff(want, out); d != "" {
					t.Errorf("differs from tshark:\n%s", d)
				}
			})
		}
		if styles < 8 {
			t.Errorf("%s: only %d dump styles", name, styles)
		}
	}
}

// mqttSections keeps the MQTT sections of a tshark -V file, with the
// payload sections tshark prints right after them ("JavaScript Object
// Notation: ..."), each PDU followed by the blank line mqtap prints after a
// hex-input PDU.
func mqttSections(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		top := line == "" || line[0] != ' '
		switch {
		case strings.HasPrefix(line, "MQ Telemetry Transport Protocol"):
			if in {
				b.WriteString("\n")
			}
			in = true
		case in && top && !isPayloadSection(line):
			b.WriteString("\n")
			in = false
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	if in {
		b.WriteString("\n")
	}
	return b.String()
}

func isPayloadSection(line string) bool {
	return strings.HasPrefix(line, "JavaScript Object Notation") || strings.HasPrefix(line, "Line-based text data")
}

// firstDiff reports the first differing line with a little context, or "".
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoaTest(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return ""
}

func itoaTest(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")
