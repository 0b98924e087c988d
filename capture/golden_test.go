package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// mqttLen is a minimal MQTT PDU length: fixed header byte, remaining length
// varint, then that many bytes. Like tshark's get_mqtt_pdu_len (which uses
// dissect_uleb128), it accepts varints longer than MQTT's 4 bytes.
func mqttLen(b []byte) (int, bool, error) {
	if len(b) < 2 {
		return 0, false, nil
	}
	v, mul := 0, 1
	for i := 1; i <= 8; i++ {
		if i >= len(b) {
			return 0, false, nil
		}
		v += int(b[i]&0x7f) * mul
		if b[i]&0x80 == 0 {
			return 1 + i + v, true, nil
		}
		mul *= 128
	}
	return 0, false, errors.New("remaining length longer than 8 bytes")
}

// capturePorts gives the -d tcp.port==N,mqtt used to make each reference.
func capturePorts(name string) []uint16 {
	switch {
	case strings.HasPrefix(name, "crafted-"):
		return []uint16{1883, 1886}
	case name == "v311-will-auth", name == "v311-bad-password", name == "v5-bad-password":
		return []uint16{1883, 1885}
	}
	return []uint16{1883}
}

// refFrame is one frame of a tshark -V file: its top-level sections.
type refFrame [][]string

func readV(t *testing.T, path string) []refFrame {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var frames []refFrame
	var cur refFrame
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "":
			if cur != nil {
				frames = append(frames, cur)
				cur = nil
			}
		case l[0] != ' ':
			cur = append(cur, []string{l})
		default:
			cur[len(cur)-1] = append(cur[len(cur)-1], l)
		}
	}
	if cur != nil {
		frames = append(frames, cur)
	}
	return frames
}

// appSection reports sections rendered by the application layer (not ours).
func appSection(header string) bool {
	return strings.HasPrefix(header, "MQ Telemetry Transport Protocol") ||
		strings.HasPrefix(header, "JavaScript Object Notation") ||
		strings.HasPrefix(header, "[Malformed Packet")
}

type listLine struct {
	src, dst, proto, info string
	length                int
}

var listRE = regexp.MustCompile(`^\s*(\d+)\s+(\S+)\s+(\S+) → (\S+)\s+(\S+) (\d+) (.*)$`)

func readList(t *testing.T, path string) []listLine {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []listLine
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		m := listRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("bad list line %q", l)
		}
		var n int
		fmt.Sscan(m[6], &n)
		out = append(out, listLine{src: m[3], dst: m[4], proto: m[5], length: n, info: m[7]})
	}
	return out
}

func captureNames(t testing.TB) []string {
	files, _ := filepath.Glob("testdata/*.pcap*")
	names := append([]string(nil), files...)
	if len(names) == 0 {
		t.Fatal("no captures in testdata")
	}
	return names
}

func baseName(f string) string {
	b := filepath.Base(f)
	return strings.TrimSuffix(strings.TrimSuffix(b, ".pcapng"), ".pcap")
}

// TestGolden renders every frame of every reference capture and compares the
// lower-layer sections (and the reassembly preludes) with tshark's -V output
// line for line, and the list columns for frames without PDUs.
func TestGolden(t *testing.T) {
	time.Local = time.UTC // references were made with TZ=UTC
	for _, file := range captureNames(t) {
		name := baseName(file)
		t.Run(name, func(t *testing.T) {
			ref := readV(t, filepath.Join("testdata", name+".V.txt"))
			list := readList(t, filepath.Join("testdata", name+".list.txt"))
			fh, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			r, err := NewReader(fh, Options{Ports: capturePorts(name), PDULen: mqttLen})
			if err != nil {
				t.Fatal(err)
			}
			var secOK, secTotal, lineOK, lineTotal, fails int
			for i := 0; ; i++ {
				p, err := r.Next()
				if err == io.EOF {
					if i != len(ref) {
						t.Errorf("got %d frames, reference has %d", i, len(ref))
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if i >= len(ref) {
					t.Fatalf("more frames than the reference")
				}
				var want [][]string
				json := false
				for _, s := range ref[i] {
					if strings.HasPrefix(s[0], "JavaScript Object Notation") {
						json = true
					}
					if !appSection(s[0]) {
						want = append(want, s)
					}
				}
				if json {
					p.AppendProtocols(":json")
				}
				got := append([]Section(nil), p.Sections()...)
				for _, pdu := range p.PDUs {
					got = append(got, pdu.Prelude...)
				}
				for si := 0; si < len(want) || si < len(got); si++ {
					secTotal++
					var w, g []string
					if si < len(want) {
						w = want[si]
					}
					if si < len(got) {
						g = got[si].Lines
					}
					same := len(w) == len(g)
					for li := 0; li < len(w) || li < len(g); li++ {
						lineTotal++
						if li < len(w) && li < len(g) && w[li] == g[li] {
							lineOK++
							continue
						}
						same = false
						if fails < 15 {
							fails++
							var wl, gl string
							if li < len(w) {
								wl = w[li]
							}
							if li < len(g) {
								gl = g[li]
							}
							t.Errorf("frame %d section %d line %d:\n want %q\n  got %q", i+1, si, li, wl, gl)
						}
					}
					if same {
						secOK++
					}
				}
				// List columns.
				l := list[i]
				if p.Src != l.src || p.Dst != l.dst || p.Length != l.length {
					t.Errorf("frame %d list: got %s → %s %d, want %s → %s %d", i+1, p.Src, p.Dst, p.Length, l.src, l.dst, l.length)
				}
				if len(p.PDUs) == 0 && (p.TCPInfo() != l.info || l.proto != "TCP") {
					t.Errorf("frame %d info:\n want %s %q\n  got TCP %q", i+1, l.proto, l.info, p.TCPInfo())
				}
				if len(p.PDUs) > 0 && !strings.HasPrefix(l.proto, "MQTT") {
					t.Errorf("frame %d: %d PDUs but tshark shows %s", i+1, len(p.PDUs), l.proto)
				}
			}
			t.Logf("%s: sections %d/%d, lines %d/%d", name, secOK, secTotal, lineOK, lineTotal)
		})
	}
}
