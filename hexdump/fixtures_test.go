package hexdump

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The captures in testdata are copies of ../../shared/testdata/hexdumps:
// the bytes one MQTT client sent, dumped by each tool.
var fixtureCaptures = []string{"seed-v311-qos0", "v31-qos1", "v311-qos2-retain", "v5-qos1-properties"}

// fixtureStyles maps each fixture extension to the style it must be read as.
var fixtureStyles = []struct {
	ext   string
	style Style
}{
	{"hex", StylePlain},
	{"spaced", StyleSpaced},
	{"0x", Style0x},
	{"xxd", StyleXXD},
	{"hexdump-C", StyleHexdumpC},
	{"od", StyleOD},
	{"wireshark-hex", StyleWireshark},
	{"tcpdump-X", StyleTcpdump},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixtureBytes(t testing.TB, capture string) []byte {
	t.Helper()
	want, err := hex.DecodeString(strings.TrimSpace(string(readFixture(t, capture+".hex"))))
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// Every dump of a capture decodes to the bytes of its .hex file, in the
// style it was made in; and so do copies with Windows line ends, extra
// blank lines around, and the case of every letter flipped.
func TestFixtures(t *testing.T) {
	variants := []struct {
		name string
		edit func(string) string
	}{
		{"as-is", func(s string) string { return s }},
		{"crlf", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"blank-lines", func(s string) string { return "\n  \n\t\n" + s + "\n\n \n" }},
		{"upper", strings.ToUpper},
		{"lower", strings.ToLower},
	}
	for _, capture := range fixtureCaptures {
		want := fixtureBytes(t, capture)
		for _, fs := range fixtureStyles {
			text := string(readFixture(t, capture+"."+fs.ext))
			for _, v := range variants {
				t.Run(capture+"."+fs.ext+"/"+v.name, func(t *testing.T) {
					style, blocks, err := Parse([]byte(v.edit(text)))
					if err != nil {
						t.Fatalf("Parse: %v", err)
					}
					if style != fs.style {
						t.Errorf("style = %q, want %q", style, fs.style)
					}
					var got []byte
					for _, b := range blocks {
						got = append(got, b.Data...)
					}
					if !bytes.Equal(got, want) {
						t.Errorf("bytes differ\n got %x\nwant %x", got, want)
					}
					if fs.style != StyleTcpdump && len(blocks) != 1 {
						t.Errorf("%d blocks, want 1", len(blocks))
					}
				})
			}
		}
	}
}
