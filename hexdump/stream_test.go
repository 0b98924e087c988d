package hexdump

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// dataByte is byte i of the data the lazy dumps below carry.
func dataByte(i int) byte { return byte(i*7 + i>>9) }

// lazyDump is a dump of n bytes of dataByte, produced a piece at a time as
// it is read, without allocating: a test can measure what decoding it
// allocates, and a large one never exists in memory.
type lazyDump struct {
	n       int
	off     int // bytes of data formatted so far
	started bool
	ended   bool
	buf     []byte // formatted, not yet read
	chunk   []byte
	frm     []byte
	num     [20]byte
	// head starts the dump, piece formats the data at off, tail ends it.
	head  string
	piece func(d *lazyDump, data []byte) // appends to d.buf
	width int                            // data bytes a piece
	tail  string
}

func (d *lazyDump) Read(p []byte) (int, error) {
	for len(d.buf) == 0 {
		switch {
		case !d.started:
			d.started = true
			d.buf = append(d.buf, d.head...)
		case d.off < d.n:
			k := min(d.width, d.n-d.off)
			d.chunk = d.chunk[:0]
			for i := range k {
				d.chunk = append(d.chunk, dataByte(d.off+i))
			}
			d.piece(d, d.chunk)
			d.off += k
		case !d.ended:
			d.ended = true
			d.buf = append(d.buf, d.tail...)
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, d.buf)
	d.buf = d.buf[:copy(d.buf, d.buf[n:])]
	return n, nil
}

func (d *lazyDump) hexTo(data []byte, sep string) {
	for i, c := range data {
		if i > 0 {
			d.buf = append(d.buf, sep...)
		}
		d.buf = hex.AppendEncode(d.buf, []byte{c})
	}
}

func (d *lazyDump) offset(width int, suffix string) {
	d.hexNum(d.off, width)
	d.buf = append(d.buf, suffix...)
}

// hexNum appends v in hex, zero-padded to width.
func (d *lazyDump) hexNum(v, width int) {
	s := strconv.AppendInt(d.num[:0], int64(v), 16)
	for range width - len(s) {
		d.buf = append(d.buf, '0')
	}
	d.buf = append(d.buf, s...)
}

func (d *lazyDump) ascii(data []byte) {
	for _, c := range data {
		if c < ' ' || c >= 0x7f {
			c = '.'
		}
		d.buf = append(d.buf, c)
	}
}

// frame wraps data in Ethernet, IPv4 and TCP headers; the sequence number
// follows the data's offset.
func (d *lazyDump) frame(data []byte) []byte {
	f := append(d.frm[:0], make([]byte, 12)...)
	f = append(f, 0x08, 0x00)
	ip := len(f)
	f = append(f, 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, protoTCP, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1)
	binary.BigEndian.PutUint16(f[ip+2:], uint16(40+len(data)))
	binary.BigEndian.PutUint16(f[ip+10:], ^checksum16(f[ip:ip+20]))
	f = binary.BigEndian.AppendUint16(f, 50000)
	f = binary.BigEndian.AppendUint16(f, 1883)
	f = binary.BigEndian.AppendUint32(f, uint32(1000+d.off))
	f = append(f, 0, 0, 0, 1, 0x50, 0x18, 0x02, 0x00, 0, 0, 0, 0)
	d.frm = append(f, data...)
	return d.frm
}

// lazyStyles make dumps of every kind, each with its longest line or token
// as long as the input where the style allows it.
var lazyStyles = map[string]func(n int) *lazyDump{
	"xxd": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 16, piece: func(d *lazyDump, data []byte) {
			d.offset(8, ": ")
			for i, c := range data {
				d.buf = hex.AppendEncode(d.buf, []byte{c})
				if i%2 == 1 {
					d.buf = append(d.buf, ' ')
				}
			}
			d.buf = append(d.buf, ' ')
			d.ascii(data)
			d.buf = append(d.buf, '\n')
		}}
	},
	"hexdump-C": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 16, piece: func(d *lazyDump, data []byte) {
			d.offset(8, "  ")
			d.hexTo(data, " ")
			d.buf = append(d.buf, "  |"...)
			d.ascii(data)
			d.buf = append(d.buf, "|\n"...)
		}}
	},
	"od": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 16, piece: func(d *lazyDump, data []byte) {
			d.offset(6, " ")
			d.hexTo(data, " ")
			d.buf = append(d.buf, '\n')
		}}
	},
	"plain, one line": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 4096, tail: "\n", piece: func(d *lazyDump, data []byte) {
			d.buf = hex.AppendEncode(d.buf, data)
		}}
	},
	"xxd -p": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 30, piece: func(d *lazyDump, data []byte) {
			d.buf = hex.AppendEncode(d.buf, data)
			d.buf = append(d.buf, '\n')
		}}
	},
	"spaced, one line": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 4096, tail: "\n", piece: func(d *lazyDump, data []byte) {
			d.buf = append(d.buf, ' ')
			d.hexTo(data, " ")
		}}
	},
	"one 0x word": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 4096, head: "0x", tail: "\n", piece: func(d *lazyDump, data []byte) {
			d.buf = hex.AppendEncode(d.buf, data)
		}}
	},
	"0x list, one line": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 4096, head: "[", tail: "]\n", piece: func(d *lazyDump, data []byte) {
			for _, c := range data {
				d.buf = append(d.buf, "'0x"...)
				d.buf = hex.AppendEncode(d.buf, []byte{c})
				d.buf = append(d.buf, "', "...)
			}
		}}
	},
	"c array": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 12, head: "unsigned char big[] = {\n", tail: "};\n", piece: func(d *lazyDump, data []byte) {
			d.buf = append(d.buf, " "...)
			for _, c := range data {
				d.buf = append(d.buf, " 0x"...)
				d.buf = hex.AppendEncode(d.buf, []byte{c})
				d.buf = append(d.buf, ',')
			}
			d.buf = append(d.buf, " /* comment */\n"...)
		}}
	},
	"python repr, one line": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 4096, head: "b'", tail: "'\n", piece: func(d *lazyDump, data []byte) {
			for _, c := range data {
				if c >= ' ' && c < 0x7f && c != '\\' && c != '\'' {
					d.buf = append(d.buf, c)
					continue
				}
				d.buf = append(d.buf, `\x`...)
				d.buf = hex.AppendEncode(d.buf, []byte{c})
			}
		}}
	},
	"base64, one line": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 3072, tail: "\n", piece: func(d *lazyDump, data []byte) {
			d.buf = base64.StdEncoding.AppendEncode(d.buf, data)
		}}
	},
	"tshark -x frames": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 1000, piece: func(d *lazyDump, data []byte) {
			f := d.frame(data)
			for off := 0; off < len(f); off += 16 {
				row := f[off:min(off+16, len(f))]
				d.hexNum(off, 4)
				d.buf = append(d.buf, "  "...)
				d.hexTo(row, " ")
				d.buf = append(d.buf, "   "...)
				d.ascii(row)
				d.buf = append(d.buf, '\n')
			}
			d.buf = append(d.buf, '\n')
		}}
	},
	"tcpdump -XX": func(n int) *lazyDump {
		return &lazyDump{n: n, width: 1000, piece: func(d *lazyDump, data []byte) {
			f := d.frame(data)
			d.buf = append(d.buf, "12:00:00.000000 IP 127.0.0.1.50000 > 127.0.0.1.1883: Flags [P.], length 1000\n"...)
			for off := 0; off < len(f); off += 16 {
				row := f[off:min(off+16, len(f))]
				d.buf = append(d.buf, "\t0x"...)
				d.hexNum(off, 4)
				d.buf = append(d.buf, ":  "...)
				for i, c := range row {
					if i > 0 && i%2 == 0 {
						d.buf = append(d.buf, ' ')
					}
					d.buf = hex.AppendEncode(d.buf, []byte{c})
				}
				d.buf = append(d.buf, "  "...)
				d.ascii(row)
				d.buf = append(d.buf, '\n')
			}
		}}
	},
}

// checkWriter checks that what is written is dataByte(0), dataByte(1), ...
type checkWriter struct {
	n   int
	bad int // offset of the first wrong byte, or -1
}

func (c *checkWriter) Write(p []byte) (int, error) {
	for _, b := range p {
		if c.bad < 0 && b != dataByte(c.n) {
			c.bad = c.n
		}
		c.n++
	}
	return len(p), nil
}

// The lazy dumps are what they claim to be.
func TestLazyDumps(t *testing.T) {
	const n = 3000
	for name, mk := range lazyStyles {
		text, err := io.ReadAll(mk(n))
		if err != nil {
			t.Fatal(err)
		}
		if name == "base64, one line" {
			blocks, err := ParseBase64(text)
			if err != nil || !bytes.Equal(concat(blocks), mustLazy(n)) {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if _, blocks, err := Parse(text); err != nil || !bytes.Equal(concat(blocks), mustLazy(n)) {
			t.Errorf("%s: %v\n%.300s", name, err, text)
		}
	}
}

func mustLazy(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = dataByte(i)
	}
	return b
}

// Decode streams: whatever the size of the dump, and however long its
// lines or tokens, what it allocates stays the same, a few hundred KiB
// (the window, the emitter's buffer, the first block an offset dump holds
// back to see whether it is a network frame), far below the bytes decoded.
// Every byte allocated is counted, rather than the heap sampled, so no
// peak is missed and the GC's timing does not matter; the dumps allocate
// nothing themselves once under way.
func TestDecodeBoundedMemory(t *testing.T) {
	const small, large = 1 << 20, 4 << 20
	const bound = 2 << 20 // half the large dump's bytes
	for name, mk := range lazyStyles {
		t.Run(name, func(t *testing.T) {
			a1 := decodeAllocs(t, name, mk, small)
			a2 := decodeAllocs(t, name, mk, large)
			t.Logf("%d bytes: %d allocated; %d bytes: %d allocated", small, a1, large, a2)
			if a2 > bound {
				t.Errorf("decoding %d bytes allocated %d bytes in all, want at most %d", large, a2, bound)
			}
			if a2 > a1+32<<10 {
				t.Errorf("allocations grow with the input: %d bytes for %d, %d for %d", a1, small, a2, large)
			}
		})
	}
}

// decodeAllocs decodes a lazy dump of n bytes, checks them, and returns
// how many bytes Decode allocated.
func decodeAllocs(t *testing.T, name string, mk func(int) *lazyDump, n int) uint64 {
	t.Helper()
	in := mk(n)
	out := checkWriter{bad: -1}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var err error
	if strings.HasPrefix(name, "base64") {
		err = DecodeBase64(&out, in)
	} else {
		_, err = Decode(&out, in)
	}
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if out.n != n || out.bad >= 0 {
		t.Fatalf("decoded %d bytes, first wrong at %d; want %d", out.n, out.bad, n)
	}
	return after.TotalAlloc - before.TotalAlloc
}

// BenchmarkDecode streams a 1 MB xxd dump; B/op is what streaming costs,
// whatever the size of the input.
func BenchmarkDecode(b *testing.B) {
	text := []byte(xxdDump(mustLazy((1 << 20) / 68 * 16)))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		style, err := Decode(io.Discard, bytes.NewReader(text))
		if err != nil || style != StyleXXD {
			b.Fatalf("%q %v", style, err)
		}
	}
}

// BenchmarkDecodePlain streams 1 MB of plain hex (xxd -p style lines),
// which goes through the frame stage first (is it a whole frame copied
// from Wireshark?): B/op stays what streaming costs.
func BenchmarkDecodePlain(b *testing.B) {
	data := mustLazy(1 << 19)
	var text []byte
	for len(data) > 0 {
		n := min(30, len(data))
		text = fmt.Appendf(text, "%x\n", data[:n])
		data = data[n:]
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		style, err := Decode(io.Discard, bytes.NewReader(text))
		if err != nil || style != StylePlain {
			b.Fatalf("%q %v", style, err)
		}
	}
}
