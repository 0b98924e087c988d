package hexdump

import (
	"fmt"
	"strings"
	"testing"
)

// xxdDump prints data as xxd does, for building large inputs.
func xxdDump(data []byte) string {
	var sb strings.Builder
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		fmt.Fprintf(&sb, "%08x: ", off)
		for i := 0; i < 16; i++ {
			switch {
			case i < len(row):
				fmt.Fprintf(&sb, "%02x", row[i])
			default:
				sb.WriteString("  ")
			}
			if i%2 == 1 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteByte(' ')
		for _, c := range row {
			if c < ' ' || c >= 0x7f {
				c = '.'
			}
			sb.WriteByte(c)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestXXDDumpHelper(t *testing.T) {
	// The helper must print what xxd prints, or the benchmark measures
	// something else.
	want := string(readFixture(t, "v31-qos1.xxd"))
	if got := xxdDump(fixtureBytes(t, "v31-qos1")); got != want {
		t.Errorf("xxdDump differs from xxd:\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkParse decodes a 1 MB xxd dump (about 240 KB of data).
func BenchmarkParse(b *testing.B) {
	data := make([]byte, (1<<20)/68*16)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	text := []byte(xxdDump(data))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		style, blocks, err := Parse(text)
		if err != nil || style != StyleXXD || len(blocks) != 1 || len(blocks[0].Data) != len(data) {
			b.Fatalf("%q %d %v", style, len(blocks), err)
		}
	}
}
