package capture

import (
	"io"
	"strconv"
	"strings"
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

// textBuf accumulates the text of a run of sections in one byte slice, each
// line followed by '\n', exactly as tshark prints it: writing the sections
// is one Write of the buffer, with no string per line or per frame. Lines
// become strings only when asked for (finish).
type textBuf struct {
	b    []byte
	open bool // a line is being written
	memo *renderMemo
}

// renderMemo holds the blocks a Reader renders once and copies afterwards.
type renderMemo struct {
	eth      blockCache // the Ethernet section, keyed by its header bytes
	ipHead   blockCache // IPv4 version to ECN, keyed by bytes 0-1
	ipFlags  blockCache // IPv4 flags to protocol, keyed by bytes 6-9
	ipTitle  blockCache // IPv4 header line, keyed by the addresses
	ipAddrs  blockCache // IPv4 checksum status and addresses, likewise
	tcpPorts blockCache // TCP Source and Destination Port lines
	tcpFlags map[uint32][]byte
	// The Arrival Time up to the seconds' dot, and the zone after the
	// nanoseconds, for the second absSec: frames come many per second.
	absSec    int64
	absPrefix []byte
	absZone   string
}

func (t *textBuf) reset() {
	t.b = t.b[:0]
	t.open = false
}

// section starts a new section. Sections are told apart by their header
// line, the only one at column 0 (finish relies on it), so there is
// nothing to record.
func (t *textBuf) section() {}

// indent is the indentation of the deepest lines; line slices it.
const indent = "                                        "

// line starts a new line at the given depth (the previous line is closed).
func (t *textBuf) line(depth int) *textBuf {
	if t.open {
		t.b = append(t.b, '\n')
	}
	t.open = true
	t.b = append(t.b, indent[:4*depth]...)
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

// blockCache remembers the text of a run of lines that depends only on a
// small key (a few header bytes), so frames of a long stream copy it
// instead of rendering it again. It keeps two entries, one per direction
// of a conversation (the MAC, address and port pairs swap).
type blockCache struct {
	e    [2]blockEntry
	next int // the entry to replace on a miss
}

type blockEntry struct {
	key  [16]byte
	n    int // key length; 0 = empty
	text []byte
}

// cached appends the block for key (at most 16 bytes), rendering it with
// render (which must start with line()) only on a miss.
func (t *textBuf) cached(c *blockCache, key []byte, render func()) {
	if t.open {
		t.b = append(t.b, '\n')
		t.open = false
	}
	for i := range c.e {
		e := &c.e[i]
		if e.n == len(key) && e.n > 0 && string(e.key[:e.n]) == string(key) {
			t.b = append(t.b, e.text...)
			t.open = len(e.text) > 0
			return
		}
	}
	start := len(t.b)
	render()
	// The block's last line stays open, as if rendered here.
	e := &c.e[c.next]
	c.next = (c.next + 1) % len(c.e)
	e.n = copy(e.key[:], key)
	e.text = append(e.text[:0], t.b[start:]...)
}

// close ends the last line.
func (t *textBuf) close() {
	if t.open {
		t.b = append(t.b, '\n')
		t.open = false
	}
}

// finish closes the text and converts it into sections appended to dst:
// fresh strings that outlive the buffer. A line at column 0 starts a
// section.
func (t *textBuf) finish(dst []Section) []Section {
	t.close()
	if len(t.b) == 0 {
		return dst
	}
	all := string(t.b[:len(t.b)-1])
	lines := strings.Split(all, "\n")
	first := 0
	for i := 1; i <= len(lines); i++ {
		if i == len(lines) || (lines[i] != "" && lines[i][0] != ' ') {
			dst = append(dst, Section{Lines: lines[first:i:i]})
			first = i
		}
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
	d := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
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
