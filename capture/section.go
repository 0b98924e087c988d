package capture

import (
	"io"
	"strconv"
	"time"
)

// Section is one top-level block of tshark -V output: Lines[0] is the header
// at column 0, the other lines already carry their indentation (4 spaces per
// level), so printing is a plain join.
type Section struct {
	Lines []string
}

// WriteTo writes the section's lines, each followed by '\n'.
func (s Section) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, l := range s.Lines {
		n, err := io.WriteString(w, l)
		total += int64(n)
		if err != nil {
			return total, err
		}
		n, err = w.Write(nl)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

var nl = []byte{'\n'}

// textBuf accumulates the text of all sections of one frame in a single byte
// slice; lines are turned into substrings of one string at the end, so a frame
// costs one string allocation instead of one per line.
type textBuf struct {
	b    []byte
	ends []int // end offset of each line
	secs []int // first line index of each section
	open bool  // a line is being written
}

func (t *textBuf) reset() {
	t.b = t.b[:0]
	t.ends = t.ends[:0]
	t.secs = t.secs[:0]
	t.open = false
}

// section starts a new section; the following line() is its header.
func (t *textBuf) section() {
	n := len(t.ends)
	if t.open {
		n++
	}
	t.secs = append(t.secs, n)
}

// line starts a new line at the given depth (the previous line is closed).
func (t *textBuf) line(depth int) *textBuf {
	if t.open {
		t.ends = append(t.ends, len(t.b))
	}
	t.open = true
	for i := 0; i < depth; i++ {
		t.b = append(t.b, "    "...)
	}
	return t
}

func (t *textBuf) s(s string) *textBuf  { t.b = append(t.b, s...); return t }
func (t *textBuf) by(p []byte) *textBuf { t.b = append(t.b, p...); return t }
func (t *textBuf) c(c byte) *textBuf    { t.b = append(t.b, c); return t }
func (t *textBuf) u(v uint64) *textBuf  { t.b = strconv.AppendUint(t.b, v, 10); return t }
func (t *textBuf) i(v int) *textBuf     { t.b = strconv.AppendInt(t.b, int64(v), 10); return t }
func (t *textBuf) hex(v uint64, digits int) *textBuf {
	t.b = appendHex(t.b, v, digits)
	return t
}

// dur appends a duration as tshark prints relative times: seconds with 9
// decimals, a '-' sign when negative.
func (t *textBuf) dur(d time.Duration) *textBuf {
	t.b = appendDur(t.b, d)
	return t
}

// finish closes the last line and converts the text into sections, appended
// to dst. The returned sections share one string.
func (t *textBuf) finish(dst []Section) []Section {
	if t.open {
		t.ends = append(t.ends, len(t.b))
		t.open = false
	}
	all := string(t.b)
	// A fresh slice per frame: callers may keep a Packet's Sections.
	lines := make([]string, len(t.ends))
	start := 0
	for i, e := range t.ends {
		lines[i] = all[start:e]
		start = e
	}
	for i, first := range t.secs {
		last := len(lines)
		if i+1 < len(t.secs) {
			last = t.secs[i+1]
		}
		dst = append(dst, Section{Lines: lines[first:last:last]})
	}
	return dst
}

const hexdigits = "0123456789abcdef"

func appendHex(b []byte, v uint64, digits int) []byte {
	var tmp [16]byte
	n := 0
	for v > 0 || n < digits {
		tmp[n] = hexdigits[v&0xf]
		v >>= 4
		n++
	}
	for n > 0 {
		n--
		b = append(b, tmp[n])
	}
	return b
}

func appendDur(b []byte, d time.Duration) []byte {
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	b = strconv.AppendInt(b, int64(d/time.Second), 10)
	b = append(b, '.')
	return appendPad(b, uint64(d%time.Second), 9)
}

func appendPad(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	n := 0
	for v > 0 || n < width {
		tmp[n] = byte('0' + v%10)
		v /= 10
		n++
	}
	for n > 0 {
		n--
		b = append(b, tmp[n])
	}
	return b
}

// appendBits renders a bit-field label prefix the way proto.c does: the whole
// field (bits wide), '.' outside mask, a space every 4 bits, then " = ".
func appendBits(b []byte, value, mask uint64, bits int) []byte {
	for i := bits - 1; i >= 0; i-- {
		if mask&(1<<uint(i)) != 0 {
			if value&(1<<uint(i)) != 0 {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		} else {
			b = append(b, '.')
		}
		if i > 0 && i%4 == 0 {
			b = append(b, ' ')
		}
	}
	return append(b, " = "...)
}

func (t *textBuf) bits(value, mask uint64, bits int) *textBuf {
	t.b = appendBits(t.b, value, mask, bits)
	return t
}

// appendHexBytes appends data as lowercase hex, limited to maxBytes bytes
// followed by "…" when longer (tshark's bytes-field truncation in -V).
func appendHexBytes(b []byte, data []byte, maxBytes int) []byte {
	n := len(data)
	trunc := false
	if maxBytes > 0 && n > maxBytes {
		n = maxBytes
		trunc = true
	}
	for _, c := range data[:n] {
		b = append(b, hexdigits[c>>4], hexdigits[c&0xf])
	}
	if trunc {
		b = append(b, "…"...)
	}
	return b
}
