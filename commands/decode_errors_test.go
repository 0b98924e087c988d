package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad input gets one line naming what was wrong and where, the exit code of
// DESIGN.md's table, and never a stack trace; malformed packets are shown as
// far as they decode, then marked.
func TestDecodeBadInput(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "dump.txt")
	writeTestFile(t, badFile, "00000000: 1025 0006\n00000010: zz\n")
	notCapture := filepath.Join(dir, "empty.pcap")
	writeTestFile(t, notCapture, "\xd4\xc3\xb2\xa1short")
	cases := []struct {
		name     string
		args     []string
		code     int
		stderr   string // the whole first line of stderr
		stdoutIn string // a line the output must contain
	}{
		{"bad hex token", []string{"decode", "10zz"}, ExitDecode,
			`mqtap: argument 1: bad hex "zz" at line 1, column 3: not a hex digit`, ""},
		{"odd digits", []string{"decode", "100"}, ExitDecode,
			`mqtap: argument 1: `, ""},
		{"bad hex in a file names the file", []string{"decode", badFile}, ExitDecode,
			`mqtap: ` + badFile + `: bad `, ""},
		{"missing file", []string{"decode", "nothere.pcap"}, ExitDecode,
			`mqtap: open nothere.pcap: no such file (and not hex)`, ""},
		{"truncated capture", []string{"decode", notCapture}, ExitDecode,
			`mqtap: ` + notCapture + `: `, ""},
		{"bad decode-as", []string{"decode", "-d", "tcp.port==x,mqtt", "c000"}, ExitUsage,
			`mqtap: -d "tcp.port==x,mqtt": "x" is not a TCP port`, ""},
		{"unknown preference", []string{"decode", "-o", "mqtt.nope:1", "c000"}, ExitUsage,
			`mqtap: -o "mqtt.nope": unknown preference (known: mqtt.show_msg_as_text, mqtt.default_version)`, ""},
		{"unknown flag", []string{"decode", "--bogus"}, ExitUsage,
			`mqtap: flag provided but not defined: -bogus`, ""},
		{"bad format", []string{"decode", "-T", "xml", "c000"}, ExitUsage,
			`mqtap: -T "xml": want text, json or jsonl`, ""},
		// Topic length 300 in a 5-byte PUBLISH: shown up to the length, then marked.
		{"malformed packet", []string{"decode", "300501012c6162"}, ExitDecode,
			`mqtap: 1 malformed packet`, "[Malformed Packet: MQTT]"},
		// A packet cut short by the end of the input is shown as far as it goes.
		{"truncated packet", []string{"decode", "100c00044d515454"}, ExitDecode,
			`mqtap: 1 malformed packet`, "    Protocol Name: MQTT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runMqtap(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], c.stderr) {
				t.Errorf("stderr %q, want one line starting %q", errOut, c.stderr)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr: %s", errOut)
			}
			if c.stdoutIn != "" && !strings.Contains(out, c.stdoutIn+"\n") {
				t.Errorf("stdout lacks %q:\n%s", c.stdoutIn, out)
			}
		})
	}
}

// Hex on stdin, a CONNECT teaching the version of what follows, and -x.
func TestDecodeStdinAndHexPane(t *testing.T) {
	// v5 CONNECT, then a v5 PUBACK with a reason code: the PUBACK is only
	// read right once the CONNECT set the version.
	in := "10 0d 00 04 4d 51 54 54 05 02 00 3c 00 00 00\n40 03 00 01 10\n"
	var out, errOut strings.Builder
	code := Run([]string{"mqtap", "decode", "-x", "-"}, Stdio{In: strings.NewReader(in), Out: &out, Err: &errOut}, BuildInfo{})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"    Version: MQTT v5.0 (5)\n",
		"    Reason Code: No matching subscribers (16)\n",
		"0000  40 03 00 01 10                                    @....\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// -T json wraps each PDU as tshark does and parses as JSON; jsonl gives one
// object per line.
func TestDecodeJSONFormats(t *testing.T) {
	out, errOut, code := runMqtap(t, "decode", "-T", "json", "c000", "d000")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`"_source": {`, `"mqtt.msgtype": "12"`, `"mqtt.msgtype": "13"`} {
		if !strings.Contains(out, want) {
			t.Errorf("json lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasPrefix(out, "[\n  {\n") || !strings.HasSuffix(out, "  }\n]\n") {
		t.Errorf("not tshark's array layout:\n%s", out)
	}
	out, _, code = runMqtap(t, "decode", "-T", "jsonl", "c000", "d000")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.HasPrefix(lines[1], `{"_index":`) {
		t.Errorf("jsonl: exit %d, %d lines:\n%s", code, len(lines), out)
	}
}

// --color always adds colour and nothing else: without the escape codes the
// text is the plain text.
func TestDecodeColourDoesNotChangeText(t *testing.T) {
	hex := "3011000a73656e736f72732f7431323135"
	plain, _, _ := runMqtap(t, "decode", "--color", "never", hex)
	coloured, _, _ := runMqtap(t, "decode", "--color", "always", hex)
	if plain == coloured {
		t.Fatalf("--color always added no colour")
	}
	if got := ansi.ReplaceAllString(coloured, ""); got != plain {
		t.Errorf("colour changed the text:\n%s\nvs\n%s", got, plain)
	}
}

func writeTestFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Without tshark's preference, printable messages read as text and others
// as hex; the preference, either way, wins; JSON keeps tshark's default.
func TestDecodeMessageText(t *testing.T) {
	const text = "300f000a73656e736f72732f7431323135"   // "215"
	const binary = "300f000a73656e736f72732f7431ff3135" // ff is not UTF-8
	cases := []struct {
		args []string
		want string
	}{
		{[]string{text}, "    Message: 215\n"},
		{[]string{binary}, "    Message: ff3135\n"},
		{[]string{"-o", "mqtt.show_msg_as_text:FALSE", text}, "    Message: 323135\n"},
		{[]string{"-o", "mqtt.show_msg_as_text:TRUE", text}, "    Message: 215\n"},
		{[]string{"-T", "jsonl", text}, `"mqtt.msg":"32:31:35"`},
	}
	for _, c := range cases {
		out, errOut, code := runMqtap(t, append([]string{"decode"}, c.args...)...)
		if code != ExitOK || !strings.Contains(out, c.want) {
			t.Errorf("decode %q: exit %d (%s), want %q in:\n%s", c.args, code, errOut, c.want, out)
		}
	}
}
