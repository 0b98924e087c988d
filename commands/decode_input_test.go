package commands

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// frameDumps is where hexdump keeps dumps of whole frames made by tshark
// from the shared captures, each with the TCP payloads it holds.
var frameDumps = filepath.Join("..", "hexdump", "testdata", "frames")

// A dump of whole frames (tshark -x, Wireshark's Copy as Hex Dump,
// text2pcap input, a dump from the IP header) prints exactly what the
// plain hex of the MQTT bytes inside prints, in every output format.
func TestDecodeWholeFrameDumps(t *testing.T) {
	dumps, _ := filepath.Glob(filepath.Join(frameDumps, "*.*"))
	n := 0
	for _, dump := range dumps {
		name := strings.TrimSuffix(filepath.Base(dump), ".gz")
		ext := filepath.Ext(name)
		if ext == ".payload" || ext == ".sh" {
			continue
		}
		n++
		payload, err := os.ReadFile(filepath.Join(frameDumps, strings.TrimSuffix(name, ext)+".payload"))
		if err != nil {
			t.Fatal(err)
		}
		plain := strings.Join(strings.Fields(string(payload)), "")
		text := readMaybeGzip(t, dump)
		for _, args := range [][]string{nil, {"-x"}, {"-T", "jsonl"}, {"-o", "mqtt.show_msg_as_text:TRUE"}} {
			t.Run(filepath.Base(dump)+"/"+strings.Join(args, " "), func(t *testing.T) {
				want, wantErr, wantCode := runDecodeStdin(t, plain, args...)
				got, gotErr, gotCode := runDecodeStdin(t, text, args...)
				if got != want || gotErr != wantErr || gotCode != wantCode {
					t.Errorf("decode of the dump: exit %d, stderr %q, stdout\n%.2000s\nwant as from plain hex: exit %d, stderr %q, stdout\n%.2000s",
						gotCode, gotErr, got, wantCode, wantErr, want)
				}
				if !strings.Contains(want, "MQ Telemetry Transport Protocol") && !strings.Contains(want, `"mqtt"`) {
					t.Errorf("no MQTT in the output:\n%.500s", want)
				}
			})
		}
	}
	if n < 12 {
		t.Errorf("only %d dumps in %s", n, frameDumps)
	}
}

func readMaybeGzip(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(b)
}

// runDecodeStdin runs decode on stdin.
func runDecodeStdin(t *testing.T, in string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	argv := append(append([]string{"mqtap", "decode"}, args...), "-")
	code = Run(argv, Stdio{In: strings.NewReader(in), Out: &out, Err: &errOut}, BuildInfo{Version: "test"})
	return out.String(), errOut.String(), code
}

// Input that is not a hex dump says what it is, naming it, on one line,
// and exits 7 as other bad input to decode does.
func TestDecodeInputNotADump(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "random.bin")
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i*131 + i>>3 + 0x9f) // no pcap magic; NULs, controls, invalid UTF-8
	}
	writeTestFile(t, binary, string(noise))
	raw := filepath.Join(dir, "pkt.bin")
	writeTestFile(t, raw, "\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00")
	utf16 := filepath.Join(dir, "dump.txt")
	writeTestFile(t, utf16, "\xff\xfe1\x000\x00 \x000\x00c\x00")
	empty := filepath.Join(dir, "empty.txt")
	writeTestFile(t, empty, "")
	const notDump = ": neither a pcap/pcapng capture nor a hex dump (binary data; for raw MQTT bytes, pipe them through xxd -p)"
	cases := []struct {
		name   string
		args   []string
		stdin  string
		stderr string
	}{
		{"directory", []string{dir}, "", "mqtap: " + dir + ": is a directory, not a capture or a hex dump"},
		{"random bytes", []string{binary}, "", "mqtap: " + binary + notDump},
		{"raw MQTT bytes", []string{raw}, "", "mqtap: " + raw + notDump},
		{"binary on stdin", []string{"-"}, string(noise), "mqtap: stdin" + notDump},
		{"UTF-16", []string{utf16}, "", "mqtap: " + utf16 + ": UTF-16 text: save the dump as UTF-8 or ASCII"},
		{"empty file", []string{empty}, "", "mqtap: " + empty + ": empty input: no bytes to decode"},
		{"missing file", []string{filepath.Join(dir, "nothere.pcap")}, "", "mqtap: open " + filepath.Join(dir, "nothere.pcap") + ": no such file (and not hex)"},
		{"bad hex deep in a file", []string{"-"}, strings.Repeat("00000000: 1025 0006\n", 1) + "00000004: 4d51 zz\n", `mqtap: stdin: bad hex "zz" at line 2, column 16: not a hex digit`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			argv := append([]string{"mqtap", "decode"}, c.args...)
			code := Run(argv, Stdio{In: strings.NewReader(c.stdin), Out: &out, Err: &errOut}, BuildInfo{Version: "test"})
			if code != ExitDecode {
				t.Errorf("exit %d, want %d", code, ExitDecode)
			}
			if got := errOut.String(); got != c.stderr+"\n" {
				t.Errorf("stderr %q\nwant   %q", got, c.stderr+"\n")
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out.String())
			}
		})
	}
}

// Consecutive hex inputs are still one stream: a CONNECT in a file sets
// the version for the next argument, and the stream ends with the run.
func TestDecodeHexRunAcrossInputs(t *testing.T) {
	dir := t.TempDir()
	connect := filepath.Join(dir, "connect.xxd")
	writeTestFile(t, connect, "00000000: 100d 0004 4d51 5454 0502 003c 0000 00    ...MQTT...<...\n")
	together, _, code := runMqtap(t, "decode", "100d00044d5154540502003c00000040030001"+"10")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	split, errOut, code := runMqtap(t, "decode", connect, "40 03 00 01 10")
	if code != ExitOK || split != together {
		t.Errorf("exit %d (%s), output\n%s\nwant\n%s", code, errOut, split, together)
	}
}

// A bad line part way through a dump: the packets before it are shown (in
// JSON, as a closed array a parser can read), then the error, exit 7. The
// bytes of the packet the bad line cut are not shown as a packet.
func TestDecodeShowsPacketsBeforeBadLine(t *testing.T) {
	const dump = "300f000a73656e736f72732f7431323135\n300f000a73656e736f72732f74313231zz\n"
	for _, mode := range [][]string{nil, {"-T", "json"}} {
		out, errOut, code := runDecodeStdin(t, dump, mode...)
		if code != ExitDecode || errOut != "mqtap: stdin: bad hex \"zz\" at line 2, column 33: not a hex digit\n" {
			t.Errorf("%v: exit %d, stderr %q", mode, code, errOut)
		}
		if n := strings.Count(out, "sensors/t1"); n != 1 {
			t.Errorf("%v: %d PUBLISHes shown, want the one before the bad line:\n%s", mode, n, out)
		}
		if mode != nil {
			var v []any
			if err := json.Unmarshal([]byte(out), &v); err != nil || len(v) != 1 {
				t.Errorf("JSON output (%d packets): %v\n%s", len(v), err, out)
			}
		}
	}
}

// Wireshark's "Copy as Hex Stream" of a whole frame (frame 4 of the seed
// capture: loopback Ethernet, IPv4, TCP, a CONNECT) decodes as its TCP
// payload would.
func TestDecodeHexStreamOfFrame(t *testing.T) {
	const frame = "000000000000000000000000080045000042e4514000400658627f0000017f000001" +
		"e408075beaa9ba826a28125280180040fe3600000101080addfd8f6e00b4b2dd" +
		"100c00044d5154540402000f0000"
	got, errOut, code := runMqtap(t, "decode", frame)
	want, _, _ := runMqtap(t, "decode", "100c00044d5154540402000f0000")
	if code != ExitOK || got != want || !strings.Contains(got, "Keep Alive: 15") {
		t.Errorf("exit %d (%s):\n%s\nwant:\n%s", code, errOut, got, want)
	}
}
