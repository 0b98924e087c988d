package commands

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/mqtap/mqtap/dissect"
	"github.com/mqtap/mqtap/hexdump"
)

// decodeInput is one argument of decode: hex text, a file, or stdin.
type decodeInput struct {
	arg  int    // 1-based position among the arguments
	name string // file name, "stdin", or "" for hex typed as an argument
	text []byte // hex-dump text (nil for captures)
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
// hex, and opens it. A capture stays a stream, read as it is decoded.
func classifyInputs(args []string, stdin io.Reader, base64 bool) ([]decodeInput, error) {
	var out []decodeInput
	for i, a := range args {
		in := decodeInput{arg: i + 1, base64: base64}
		switch {
		case a == "-":
			in.name = "stdin"
			if err := in.open(stdin); err != nil {
				return nil, err
			}
		case fileExists(a):
			f, err := os.Open(a)
			if err != nil {
				return nil, exitf(ExitDecode, "%v", err)
			}
			in.name, in.closer = a, f
			if err := in.open(f); err != nil {
				f.Close()
				return nil, err
			}
		case looksLikePath(a):
			return nil, exitf(ExitDecode, "open %s: no such file (and not hex)", a)
		default:
			in.text = []byte(a)
		}
		out = append(out, in)
	}
	return out, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
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

// open peeks at a stream: a capture is kept as a stream, anything else is
// read whole as hex-dump text.
func (in *decodeInput) open(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return exitf(ExitDecode, "read %s: %v", in.name, err)
	}
	if isCaptureMagic(head) {
		in.capture = br
		return nil
	}
	text, err := io.ReadAll(br)
	if err != nil {
		return exitf(ExitDecode, "read %s: %v", in.name, err)
	}
	in.text = text
	return nil
}

// runInputs decodes the inputs in order. Consecutive hex inputs form one
// byte stream, as a client sent them, so a CONNECT in the first sets the
// version for the packets in the next.
func runInputs(w io.Writer, inputs []decodeInput, opt dissect.Options) (dissect.Stats, error) {
	var total dissect.Stats
	var pending []byte
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		st, err := dissect.Bytes(w, pending, opt)
		add(&total, st)
		pending = nil
		return err
	}
	defer func() {
		for _, in := range inputs {
			if in.closer != nil {
				in.closer.Close()
			}
		}
	}()
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
		data, err := parseHexInput(in)
		if err != nil {
			return total, err
		}
		pending = append(pending, data...)
	}
	return total, flush()
}

func parseHexInput(in decodeInput) ([]byte, error) {
	var blocks []hexdump.Block
	var err error
	if in.base64 {
		blocks, err = hexdump.ParseBase64(in.text)
	} else {
		_, blocks, err = hexdump.Parse(in.text)
	}
	if err != nil {
		return nil, exitf(ExitDecode, "%s: %v", describeInput(in), err)
	}
	var data []byte
	for _, b := range blocks {
		data = append(data, b.Data...)
	}
	return data, nil
}

func add(t *dissect.Stats, s dissect.Stats) {
	t.Frames += s.Frames
	t.PDUs += s.PDUs
	t.Malformed += s.Malformed
}
