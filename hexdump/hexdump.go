// Package hexdump turns hex pasted from logs, firmware traces and bug reports
// into bytes. Parse recognises the dump style on its own, so `mqtap decode`
// can take whatever a user copied without a flag saying where it came from.
//
// Decode does the same on a stream, in memory that does not grow with the
// input: bytes are handed on as the lines holding them are read, and the
// style is detected from a bounded prefix.
package hexdump

import (
	"bytes"
	"io"
)

// Block is one run of bytes found in the input. Most styles give a single
// Block; styles that show several packets give one per packet: tcpdump -X
// (one per segment with a payload) and dumps whose offset restarts at 0
// (Wireshark, tshark -x, concatenated xxd output), and C sources with several
// arrays.
type Block struct {
	// Data holds the application-layer bytes. For tcpdump output, and for
	// other dumps of whole network frames (tshark -x, Wireshark's Copy as
	// Hex Dump, text2pcap input), it is the TCP payload: link, IP and TCP
	// headers are stripped.
	Data []byte
	// Line is the 1-based line where the block starts. For tcpdump it is the
	// last header line before the hex, the one naming source and destination.
	Line int
}

// Style names a dump format.
type Style string

// The styles Parse recognises.
const (
	StylePlain     Style = "plain"     // 100c00044d515454, possibly wrapped (xxd -p)
	StyleSpaced    Style = "spaced"    // 10 0C 00 04, 10:0c:00:04, 10-0c-00-04
	Style0x        Style = "0x"        // 0x10, 0x0c, ...
	StyleCArray    Style = "c-array"   // unsigned char pkt[] = { 0x10, 0x0c };  (also xxd -i, Go []byte{...})
	StyleEscaped   Style = "escaped"   // \x10\x0c, "\x10\x0cMQTT", b'\x10\x0c'
	StyleXXD       Style = "xxd"       // 00000000: 1025 0006 ...  .%..
	StyleHexdumpC  Style = "hexdump-C" // 00000000  10 25 00 06 ...  |.%..|
	StyleOD        Style = "od"        // 000000 10 25 00 06 (od -Ax -tx1, or octal offsets)
	StyleWireshark Style = "wireshark" // 0000   10 25 00 06 ...   .%.. (Copy as Hex Dump, tshark -x, text2pcap)
	StyleTcpdump   Style = "tcpdump"   // tcpdump -X/-x/-XX/-xx
	StyleBase64    Style = "base64"
)

// Parse detects the style of text and decodes it. It returns the detected
// style even when decoding fails, so a caller can say what the input looked
// like. It never returns an empty Block, and never zero blocks without an
// error. It does not panic. The style is detected from the first 64 KiB,
// as Decode does.
func Parse(text []byte) (Style, []Block, error) {
	var c collector
	style, err := decode(windowOf(normalize(text)), &c, false)
	if err != nil {
		return style, nil, err
	}
	c.dropEmpty()
	return style, c.blocks, nil
}

// ParseBase64 decodes base64 input in the standard or URL-safe alphabet,
// padded or not, ignoring whitespace (so wrapped MIME or PEM-style lines
// work). It gives one Block.
func ParseBase64(text []byte) ([]Block, error) {
	var c collector
	if _, err := decode(windowOf(normalize(text)), &c, true); err != nil {
		return nil, err
	}
	c.dropEmpty()
	return c.blocks, nil
}

// Decode reads a dump from r, detects its style as Parse does, and writes
// the bytes it holds to w as it reads them, the blocks one after another.
// Memory stays bounded whatever the size of the input; the style is
// detected from its first 64 KiB. On an error, w may have had some of the
// bytes before it.
func Decode(w io.Writer, r io.Reader) (Style, error) {
	return decode(streamWindow(r), &writerSink{w: w}, false)
}

// DecodeBase64 is ParseBase64 on a stream, as Decode is Parse.
func DecodeBase64(w io.Writer, r io.Reader) error {
	_, err := decode(streamWindow(r), &writerSink{w: w}, true)
	return err
}

func streamWindow(r io.Reader) *window {
	w := newWindow(r)
	w.skipBOM()
	if head, _ := w.prefix(detectLimit); bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		w.useCRLineEnds()
	}
	return w
}

// decode detects the style from a prefix of the input and runs its parser.
func decode(w *window, s sink, onlyBase64 bool) (Style, error) {
	skipBlankLines(w)
	head, complete := w.prefix(detectLimit)
	if err := checkText(head, complete); err != nil {
		return "", err
	}
	style := StyleBase64
	if !onlyBase64 {
		style = detect(head, complete)
	}
	if style == StylePlain || style == StyleSpaced {
		if !isPlain(completeLines(head, complete)) {
			style = StyleSpaced
		}
	}
	out := &counter{s: s}
	e := &emitter{s: out}
	// Bytes copied from Wireshark ("Copy as Hex Stream", "as C Arrays",
	// "as Escaped String") are often a whole frame: the frame stage strips
	// it to its TCP payload as it does for offset dumps, and passes MQTT
	// bytes on unchanged. Offset and tcpdump dumps have their own.
	var fs *frameStage
	switch style {
	case StylePlain, StyleSpaced, Style0x, StyleCArray, StyleEscaped, StyleBase64:
		fs = newFrameStage(out)
		e.s = fs
	}
	var err error
	switch style {
	case "":
		return "", ErrEmpty
	case StylePlain:
		err = parsePlain(w, e)
	case StyleSpaced:
		err = parseSpaced(w, e)
	case Style0x:
		err = parse0x(w, e)
	case StyleCArray:
		err = parseCArray(w, e)
	case StyleEscaped:
		err = parseEscaped(w, e)
	case StyleBase64:
		err = parseBase64(w, e)
	case StyleTcpdump:
		err = parseTcpdump(w, e)
	default:
		err = parseOffsetDump(w, e, style, head, complete)
	}
	if err == nil {
		err = e.flush()
	}
	if err == nil && fs != nil {
		err = fs.finish()
		e.frames = fs.frames
	}
	if f := w.failure(); f != nil {
		return style, f
	}
	if err != nil {
		return style, err
	}
	if out.n == 0 {
		if style == StyleTcpdump || e.frames {
			return style, ErrNoPayload
		}
		return style, ErrEmpty
	}
	return style, nil
}

// skipBlankLines releases the blank lines at the start, so that the prefix
// detection looks at holds the dump.
func skipBlankLines(w *window) {
	i, lineStart := w.off, w.off
	for w.has(i) && isWhite(w.at(i)) {
		if w.at(i) == '\n' {
			lineStart = i + 1
		}
		if i++; lineStart-w.off >= releaseEvery {
			w.release(lineStart)
		}
	}
	w.release(lineStart)
}

// completeLines cuts a prefix after its last line end, unless it is the
// whole input.
func completeLines(head []byte, complete bool) []byte {
	if complete {
		return head
	}
	if k := bytes.LastIndexByte(head, '\n'); k >= 0 {
		return head[:k+1]
	}
	return head
}

// sink receives what a parser decodes.
type sink interface {
	// begin starts a block.
	begin(b blockStart) error
	// write adds bytes to the block begun last.
	write(p []byte) error
}

// blockStart describes where a block starts.
type blockStart struct {
	line int // as Block.Line
	// base is the offset its dump gives its first byte (offset styles).
	base uint64
	// label is the data source tshark named before the block, as in
	// "Reassembled TCP (200012 bytes):", or "".
	label []byte
}

// collector keeps the blocks, for Parse.
type collector struct{ blocks []Block }

func (c *collector) begin(b blockStart) error {
	c.dropEmpty()
	c.blocks = append(c.blocks, Block{Line: b.line})
	return nil
}

func (c *collector) write(p []byte) error {
	last := &c.blocks[len(c.blocks)-1]
	last.Data = append(last.Data, p...)
	return nil
}

func (c *collector) dropEmpty() {
	if n := len(c.blocks); n > 0 && len(c.blocks[n-1].Data) == 0 {
		c.blocks = c.blocks[:n-1]
	}
}

// counter counts the bytes that reach a sink.
type counter struct {
	s sink
	n int
}

func (c *counter) begin(b blockStart) error { return c.s.begin(b) }

func (c *counter) write(p []byte) error {
	c.n += len(p)
	return c.s.write(p)
}

// writerSink passes the bytes on, for Decode.
type writerSink struct{ w io.Writer }

func (ws *writerSink) begin(blockStart) error { return nil }

func (ws *writerSink) write(p []byte) error {
	_, err := ws.w.Write(p)
	return err
}

// flushAt is how many decoded bytes the emitter gathers before passing
// them on.
const flushAt = 32 << 10

// emitter gathers decoded bytes for a sink. The first error, the parser's
// or the sink's, sticks: parsers stop when err is set.
type emitter struct {
	s      sink
	buf    []byte
	open   bool // a block has begun
	frames bool // the dump is of whole frames (set by the frame stage)
	err    error
}

func (e *emitter) begin(b blockStart) {
	if e.flush() != nil {
		return
	}
	e.open = true
	e.err = e.s.begin(b)
}

// ensureAt begins a block at the line of offset i when none has begun.
func (e *emitter) ensureAt(w *window, i int) {
	if !e.open {
		e.begin(blockStart{line: w.pos(i).line})
	}
}

func (e *emitter) byte(c byte) {
	e.buf = append(e.buf, c)
	if len(e.buf) >= flushAt {
		e.flush()
	}
}

func (e *emitter) bytes(p []byte) {
	e.buf = append(e.buf, p...)
	if len(e.buf) >= flushAt {
		e.flush()
	}
}

func (e *emitter) flush() error {
	if e.err != nil || len(e.buf) == 0 {
		return e.err
	}
	e.err = e.s.write(e.buf)
	e.buf = e.buf[:0]
	return e.err
}

// fail records a parser's error unless one is already set, and returns the
// one that sticks.
func (e *emitter) fail(err error) error {
	if e.err == nil {
		// The bytes decoded before the bad token go on first: a dissector
		// shows the packets before a bad line, then the error.
		if e.flush() == nil {
			if a, ok := e.s.(interface{ abort() error }); ok {
				e.err = a.abort()
			}
		}
	}
	if e.err == nil {
		e.err = err
	}
	return e.err
}
