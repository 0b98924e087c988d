package hexdump

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrEmpty is returned for input that holds no bytes at all: nothing but
// whitespace, or only empty arrays, empty strings or offsets without data.
var ErrEmpty = errors.New("empty input: no bytes to decode")

// ErrNoPayload is returned for tcpdump output, or a dump of whole frames,
// in which no packet carries a TCP payload (only handshakes and bare ACKs,
// or no TCP at all).
var ErrNoPayload = errors.New("no TCP payload in any packet of the dump")

// ErrBinary is returned for input that is not text at all: a binary file,
// such as raw packet bytes or a file that is neither a capture nor a dump.
var ErrBinary = errors.New("binary data, not a hex dump")

// ErrUTF16 is returned for UTF-16 text (Windows PowerShell's ">" writes it);
// dumps are read as ASCII or UTF-8.
var ErrUTF16 = errors.New("UTF-16 text: save the dump as UTF-8 or ASCII")

// SyntaxError names the offending token and where it is.
type SyntaxError struct {
	Line, Col int    // 1-based; Col counts characters, not bytes
	Token     string // the offending text, shortened if long
	Msg       string // what is wrong with it
	// Kind says what the token was read as: "hex" (when empty), "offset",
	// "base64", "escape", "string", "number" or "array".
	Kind string
}

func (e *SyntaxError) Error() string {
	kind := e.Kind
	if kind == "" {
		kind = "hex"
	}
	return fmt.Sprintf("bad %s %q at line %d, column %d: %s", kind, e.Token, e.Line, e.Col, e.Msg)
}

// PacketError reports a tcpdump packet whose headers cannot be stripped.
type PacketError struct {
	Line int // the packet's line, as in Block.Line
	Msg  string
}

func (e *PacketError) Error() string {
	return fmt.Sprintf("packet at line %d: %s", e.Line, e.Msg)
}

// maxToken bounds the token quoted in an error: a plain hex line can be
// thousands of characters, and the message must stay on one readable line.
const maxToken = 32

// errorInLine builds a SyntaxError for ln.text[start:end].
func errorInLine(ln line, start, end int, kind, msg string) *SyntaxError {
	return &SyntaxError{
		Line:  ln.num,
		Col:   utf8.RuneCount(ln.text[:start]) + 1,
		Token: shorten(ln.text[start:end]),
		Msg:   msg,
		Kind:  kind,
	}
}

// shorten cuts a token to maxToken bytes on a rune boundary.
func shorten(tok []byte) string {
	if len(tok) <= maxToken {
		return string(tok)
	}
	cut := maxToken
	for cut > 0 && !utf8.RuneStart(tok[cut]) {
		cut--
	}
	return string(tok[:cut]) + "..."
}
