package hexdump

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzParse checks that Parse never panics, keeps its promises about blocks
// and errors, and that any single block it decodes reads back the same from
// plain hex.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.*", "testdata/tools/*.*"} {
		names, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, ".bin") || strings.HasSuffix(name, ".sh") {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	for _, s := range []string{
		"{0x10, 'M', 020}", `b'\x10\x0cMQTT'`, "EAwABE1RVFQ=", "0x10,0x0c",
		"00000000  00 00  |..|\n*\n00000010\n", "0000  61 62 20 63 64 20 65 66  ab cd ef\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		style, blocks, err := Parse(in)
		// Streamed a byte at a time, the input reads the same.
		var streamed bytes.Buffer
		style2, err2 := Decode(&streamed, iotest.OneByteReader(bytes.NewReader(in)))
		if style2 != style || (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() ||
			err == nil && !bytes.Equal(streamed.Bytes(), concat(blocks)) {
			t.Fatalf("Decode: %q, %v, %x; Parse: %q, %v, %x", style2, err2, streamed.Bytes(), style, err, concat(blocks))
		}
		if err != nil {
			if blocks != nil {
				t.Fatalf("blocks alongside error %v", err)
			}
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("error message %q is not one line", msg)
			}
			var se *SyntaxError
			if errors.As(err, &se) && (se.Line < 1 || se.Col < 1) {
				t.Fatalf("error position %d:%d", se.Line, se.Col)
			}
			return
		}
		if style == "" || len(blocks) == 0 {
			t.Fatalf("style %q, %d blocks, no error", style, len(blocks))
		}
		lines := bytes.Count(normalize(in), []byte{'\n'}) + 1
		for _, b := range blocks {
			if len(b.Data) == 0 || b.Line < 1 || b.Line > lines {
				t.Fatalf("block of %d bytes at line %d of %d", len(b.Data), b.Line, lines)
			}
		}
		// A '*' line can expand a short input to megabytes; checking those
		// again as plain hex would only slow the fuzzer down.
		if len(blocks) != 1 || len(blocks[0].Data) > 1<<20 {
			return
		}
		enc := hex.EncodeToString(blocks[0].Data)
		style2, again, err := Parse([]byte(enc))
		if err != nil || style2 != StylePlain || len(again) != 1 || !bytes.Equal(again[0].Data, blocks[0].Data) {
			t.Fatalf("plain hex %q read back as %q %v, %v", enc, style2, again, err)
		}
	})
}
