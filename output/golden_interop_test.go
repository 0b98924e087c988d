//go:build interop

package output

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/internal/tsharktest"
)

// The goldens under testdata are what tshark prints today: each is made
// again with the live tshark, the way its script made it, and compared.
// The tests fail, never skip, when tshark is missing.

// sharedTestdata is the repository's copy of the shared captures, which
// testdata/mkcaptures.sh copies from (.ci/run keeps it equal to the team's).
const sharedTestdata = "../testdata/shared"

func liveTshark(t *testing.T, args ...string) []byte {
	t.Helper()
	return tsharktest.Run(t, args...)
}

// extractMQTT runs testdata/extract-mqtt.awk on a -V text.
func extractMQTT(t *testing.T, v []byte) []byte {
	t.Helper()
	cmd := exec.Command("awk", "-f", "testdata/extract-mqtt.awk")
	cmd.Stdin = bytes.NewReader(v)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("extract-mqtt.awk: %v", err)
	}
	return out
}

func capturePort(name string) string {
	switch name {
	case "v311-will-auth", "v311-bad-password", "v5-bad-password":
		return "1885"
	}
	if strings.HasPrefix(name, "crafted-") {
		return "1886"
	}
	return "1883"
}

func sameAsCommitted(t *testing.T, committed string, live []byte) {
	t.Helper()
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, live) {
		t.Errorf("%s differs from live tshark:\n%s", committed,
			lineDiff(strings.Split(string(want), "\n"), strings.Split(string(live), "\n")))
	}
}

// sharedCapture is the shared capture the goldens named name were made
// from.
func sharedCapture(t *testing.T, name string) string {
	t.Helper()
	caps, _ := filepath.Glob(filepath.Join(sharedTestdata, "captures", name+".pcap*"))
	if len(caps) != 1 {
		t.Fatalf("no shared capture %s", name)
	}
	return caps[0]
}

// testdata/captures (testdata/mkcaptures.sh): NAME.frames, NAME.golden,
// NAME.json and NAME.list.txt.
func TestCaptureGoldensAreCurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/captures/*.frames")
	if len(files) < 14 {
		t.Fatalf("%d testdata/captures/*.frames", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".frames")
		t.Run(name, func(t *testing.T) {
			capture := sharedCapture(t, name)
			decodeAs := "tcp.port==" + capturePort(name) + ",mqtt"
			base := strings.TrimSuffix(f, ".frames")
			sameAsCommitted(t, f, liveTshark(t, "-r", capture, "-d", decodeAs, "-Y", "tcp.len>0", "-T", "fields",
				"-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.payload"))
			sameAsCommitted(t, base+".golden", extractMQTT(t, liveTshark(t, "-r", capture, "-d", decodeAs, "-V")))
			sameAsCommitted(t, base+".list.txt", liveTshark(t, "-r", capture, "-d", decodeAs))
			if name != "v5-big-payload" { // mkcaptures.sh leaves its 2.5 MB out
				sameAsCommitted(t, base+".json", liveTshark(t, "-r", capture, "-d", decodeAs, "-T", "json"))
			}
		})
	}
}

// testdata/hexdumps/NAME.golden: the MQTT part of tshark -V on the frames
// the client sent (the shared hex dumps' NAME.V.txt).
func TestHexdumpGoldensAreCurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/hexdumps/*.golden")
	if len(files) < 4 {
		t.Fatalf("%d testdata/hexdumps/*.golden", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".golden")
		t.Run(name, func(t *testing.T) {
			capture := sharedCapture(t, name)
			sameAsCommitted(t, f, extractMQTT(t, liveTshark(t, "-r", capture, "-V", "-Y", "tcp.dstport==1883 && mqtt")))
		})
	}
}

// testdata/hexpane/seed-v311-qos0-6.golden: tshark -x of frame 6.
func TestHexPaneGoldenIsCurrent(t *testing.T) {
	sameAsCommitted(t, "testdata/hexpane/seed-v311-qos0-6.golden",
		liveTshark(t, "-r", filepath.Join(sharedTestdata, "captures", "seed-v311-qos0.pcapng"), "-x", "-Y", "frame.number==6"))
}

// text2pcap stamps the frames with the time it runs: the JSON's absolute
// times (and the index named after the day) are not compared.
var caseClock = regexp.MustCompile(`(?m)^(\s*"(?:frame\.time|frame\.time_epoch|_index)": ).*$`)

// testdata/cases (testdata/tshark-golden.sh): NAME.golden, and for the
// "#json" cases NAME.json and NAME.list.txt, made again from copies of the
// case files in a temporary directory.
func TestCaseGoldensAreCurrent(t *testing.T) {
	cases, _ := filepath.Glob("testdata/cases/*.case")
	if len(cases) == 0 {
		t.Fatal("no testdata/cases/*.case")
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Fatalf("tshark is required for the interop tests: %v", err)
	}
	dir := t.TempDir()
	var copies []string
	for _, c := range cases {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		cp := filepath.Join(dir, filepath.Base(c))
		if err := os.WriteFile(cp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, cp)
	}
	if out, err := exec.Command("testdata/tshark-golden.sh", copies...).CombinedOutput(); err != nil {
		t.Fatalf("tshark-golden.sh: %v\n%s", err, out)
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".case")
		t.Run(name, func(t *testing.T) {
			live := func(ext string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name+ext))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			sameAsCommitted(t, "testdata/cases/"+name+".golden", live(".golden"))
			committedJSON, err := os.ReadFile("testdata/cases/" + name + ".json")
			if err != nil {
				if _, err := os.Stat(filepath.Join(dir, name+".json")); err == nil {
					t.Errorf("tshark-golden.sh writes %s.json, which is not committed", name)
				}
				return
			}
			sameAsCommitted(t, "testdata/cases/"+name+".list.txt", live(".list.txt"))
			want := caseClock.ReplaceAll(committedJSON, []byte("${1}…"))
			got := caseClock.ReplaceAll(live(".json"), []byte("${1}…"))
			if !bytes.Equal(want, got) {
				t.Errorf("%s.json differs from live tshark (times aside):\n%s", name,
					lineDiff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")))
			}
		})
	}
}
