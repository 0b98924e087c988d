package commands

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/mqtap/mqtap/dissect"
	"github.com/mqtap/mqtap/hexdump"
)

// decodeInput is one argument of decode: hex text, a file, or stdin.
type decodeInput struct {
	arg  int    // 1-based position among the arguments
	name string // file name, "stdin", or "" for hex typed as an argument
	// hex is the text of a hex dump: the argument itself, or a file or
	// stdin, read as it is decoded.
	hex io.Reader
	// capture is an open pcap/pcapng stream.
	capture io.Reader
	closer  io.Closer
	base64  bool // the text is base64, not hex (--base64)
}

// captureMagic are the first four bytes of pcap (both byte orders, µs and
// ns) and pcapng files.
var captureMagic = [][]byte{
	{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4},
	{0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d},
	{0x0a, 0x0d, 0x0d, 0x0a},
}

func isCaptureMagic(b []byte) bool {
	for _, m := range captureMagic {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	return false
}

// classifyInputs decides for each argument whether it is a file, stdin or
// hex, and opens it. Files and stdin stay streams, read as they are
// decoded. A file that cannot be used is bad input to decode (exit 7),
// like bad hex.
func classifyInputs(args []string, stdin io.Reader, base64 bool) ([]decodeInput, error) {
	var out []decodeInput
	fail := func(err error) ([]decodeInput, error) {
		for _, in := range out {
			if in.closer != nil {
				in.closer.Close()
			}
		}
		return nil, err
	}
	for i, a := range args {
		in := decodeInput{arg: i + 1, base64: base64}
		st, statErr := os.Stat(a)
		switch {
		case a == "-":
			in.name = "stdin"
			in.open(stdin)
		case statErr == nil && st.IsDir():
			return fail(exitf(ExitDecode, "%s: is a directory, not a capture or a hex dump", a))
		case statErr == nil:
			f, err := os.Open(a)
			if err != nil {
				return fail(exitf(ExitDecode, "%v", err))
			}
			in.name, in.closer = a, f
			in.open(f)
		case looksLikePath(a) && errors.Is(statErr, fs.ErrNotExist):
			return fail(exitf(ExitDecode, "open %s: no such file (and not hex)", a))
		case looksLikePath(a):
			return fail(exitf(ExitDecode, "%v", statErr))
		default:
			in.hex = strings.NewReader(a)
		}
		out = append(out, in)
	}
	return out, nil
}

// looksLikePath tells a mistyped file name from hex: hex never has a path
// separator or a file extension.
func looksLikePath(s string) bool {
	if strings.ContainsAny(s, "/\\") && !strings.ContainsAny(s, " \n\t,") {
		return true
	}
	if i := strings.LastIndexByte(s, '.'); i > 0 && i < len(s)-1 && !strings.ContainsAny(s, " \n\t") {
		ext := s[i+1:]
		for _, e := range []string{"pcap", "pcapng", "cap", "txt", "hex", "bin", "dump", "log"} {
			if strings.EqualFold(ext, e) {
				return true
			}
		}
	}
	return false
}

// open looks at the start of a stream: a capture or hex-dump text, both
// read as they are decoded. A read error shows when the stream is decoded.
func (in *decodeInput) open(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(4); isCaptureMagic(head) {
		in.capture = br
		return
	}
	in.hex = br
}

// runInputs decodes the inputs in order. Consecutive hex inputs form one
// byte stream, as a client sent them, so a CONNECT in the first sets the
// version for the packets in the next.
func runInputs(w io.Writer, inputs []decodeInput, opt dissect.Options) (dissect.Stats, error) {
	var total dissect.Stats
	defer func() {
		for _, in := range inputs {
			if in.closer != nil {
				in.closer.Close()
			}
		}
	}()
	var run hexStream // the run of hex inputs being decoded
	flush := func() error {
		if run == nil {
			return nil
		}
		st, err := run.Close()
		add(&total, st)
		run = nil
		return err
	}
	for _, in := range inputs {
		if in.capture != nil {
			if err := flush(); err != nil {
				return total, err
			}
			st, err := dissect.Capture(w, in.capture, opt)
			add(&total, st)
			if err != nil {
				return total, exitf(ExitDecode, "%s: %v", describeInput(in), err)
			}
			continue
		}
		if run == nil {
			run = newHexStream(w, opt)
		}
		if err := decodeHex(run, in); err != nil {
			// What was decoded before the bad line is shown, and the
			// output ended (a JSON array closed).
			st, _ := run.Abort()
			add(&total, st)
			return total, err
		}
	}
	return total, flush()
}

// decodeHex decodes one hex input into the run's stream. An error writing
// the output is not the input's fault, and is returned as it is.
func decodeHex(run io.Writer, in decodeInput) error {
	out := &outputWriter{w: run}
	var err error
	if in.base64 {
		err = hexdump.DecodeBase64(out, in.hex)
	} else {
		_, err = hexdump.Decode(out, in.hex)
	}
	switch {
	case err == nil:
		return nil
	case out.err != nil:
		return out.err
	case errors.Is(err, hexdump.ErrBinary):
		return exitf(ExitDecode, "%s: neither a pcap/pcapng capture nor a hex dump (binary data; for raw MQTT bytes, pipe them through xxd -p)", describeInput(in))
	}
	return exitf(ExitDecode, "%s: %v", describeInput(in), err)
}

// outputWriter remembers an error of the writer it passes bytes to.
type outputWriter struct {
	w   io.Writer
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

// hexStream takes the MQTT bytes of a run of hex inputs and dissects them
// as they arrive, as dissect.Bytes does. Close ends the run; Abort, when
// the input turned out bad, writes out the packets dissected so far and
// ends the output.
type hexStream interface {
	io.Writer
	Close() (dissect.Stats, error)
	Abort() (dissect.Stats, error)
}

func newHexStream(w io.Writer, opt dissect.Options) hexStream {
	return dissect.NewStream(w, opt)
}

func add(t *dissect.Stats, s dissect.Stats) {
	t.Frames += s.Frames
	t.PDUs += s.PDUs
	t.Malformed += s.Malformed
}
