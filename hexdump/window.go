package hexdump

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Streaming: the parsers read the input through a window that holds only
// the bytes they have not yet released, so a dump of any size is decoded in
// bounded memory. Positions are absolute byte offsets into the input; the
// window knows the line and column of its first byte and counts on from
// there when an error needs a position.

const (
	// readChunk is what one Read asks for.
	readChunk = 64 << 10
	// detectLimit bounds the prefix style detection looks at.
	detectLimit = 64 << 10
	// maxLine bounds a line of a line-based dump (offset styles, tcpdump):
	// tools print lines of at most a few hundred characters.
	maxLine = 64 << 10
	// maxWindow bounds what a free-form parser may look ahead at once: the
	// longest token, comment or run of spaces it needs to see whole.
	maxWindow = 1 << 20
)

// pos is a position in the input: a 1-based line, and the column counted
// in characters, also 1-based.
type pos struct{ line, col int }

// window reads from r, keeping input[off, off+end-start) in mem[start:end].
type window struct {
	r          io.Reader
	mem        []byte
	start, end int
	off        int // absolute offset of mem[start]
	eof        bool
	// at is the position of mem[start]: its line, and the characters
	// before it on that line.
	line, col int
	crToLF    bool // old Mac line ends: every '\r' reads as '\n'
	readErr   error
	tooLong   *SyntaxError // the parse needed more than the window holds
	limit     int          // most bytes the window may hold
	lineEnd   int          // end of the line nextLine returned last
}

func newWindow(r io.Reader) *window {
	return &window{r: r, line: 1, limit: maxWindow}
}

// windowOf reads text that is already in memory.
func windowOf(text []byte) *window {
	return &window{mem: text, end: len(text), eof: true, line: 1, limit: len(text) + maxWindow}
}

// size is how many bytes the window holds.
func (w *window) size() int { return w.end - w.start }

// has reports whether the input has a byte at absolute offset i, reading
// more when needed.
func (w *window) has(i int) bool {
	if i < w.off+w.end-w.start {
		return true
	}
	return w.fill(i)
}

func (w *window) fill(i int) bool {
	for i >= w.off+w.end-w.start {
		if !w.more() {
			return false
		}
	}
	return true
}

// at returns the byte at absolute offset i, which has(i) reported.
func (w *window) at(i int) byte { return w.mem[w.start+i-w.off] }

// slice returns the input from i to j, cut short at the end of the input.
func (w *window) slice(i, j int) []byte {
	if j > i {
		w.has(j - 1)
	}
	j = min(j, w.off+w.end-w.start)
	if j < i {
		return nil
	}
	return w.mem[w.start+i-w.off : w.start+j-w.off]
}

// more reads once more. It returns false at the end of the input, on a
// read error (kept for later), or when the window is full.
func (w *window) more() bool {
	if w.eof {
		return false
	}
	if w.size() >= w.limit {
		if w.tooLong == nil {
			p := w.pos(w.off)
			w.tooLong = &SyntaxError{Line: p.line, Col: p.col, Token: shorten(w.mem[w.start:w.end]), Kind: "hex",
				Msg: fmt.Sprintf("more than %d bytes without a break; this is not a dump mqtap can read", w.limit)}
		}
		return false
	}
	if len(w.mem)-w.end < readChunk {
		if w.start > 0 {
			w.end = copy(w.mem, w.mem[w.start:w.end])
			w.start = 0
		}
		if len(w.mem)-w.end < readChunk {
			grown := make([]byte, max(2*len(w.mem), w.size()+readChunk))
			w.end = copy(grown, w.mem[w.start:w.end])
			w.start, w.mem = 0, grown
		}
	}
	for {
		n, err := w.r.Read(w.mem[w.end:])
		if w.crToLF {
			crToLF(w.mem[w.end : w.end+n])
		}
		w.end += n
		if err != nil {
			w.eof = true
			if !errors.Is(err, io.EOF) {
				w.readErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

func crToLF(b []byte) {
	for i, c := range b {
		if c == '\r' {
			b[i] = '\n'
		}
	}
}

// release drops the input before absolute offset i.
func (w *window) release(i int) {
	if i <= w.off {
		return
	}
	n := min(i-w.off, w.size())
	w.advance(w.mem[w.start : w.start+n])
	w.start += n
	w.off += n
}

// advance moves the window's position over b.
func (w *window) advance(b []byte) {
	if k := bytes.LastIndexByte(b, '\n'); k >= 0 {
		w.line += bytes.Count(b, []byte{'\n'})
		w.col = 0
		b = b[k+1:]
	}
	w.col += utf8.RuneCount(b)
}

// pos returns the position of absolute offset i, which must not have been
// released.
func (w *window) pos(i int) pos {
	b := w.mem[w.start : w.start+min(i-w.off, w.size())]
	line, col := w.line, w.col
	if k := bytes.LastIndexByte(b, '\n'); k >= 0 {
		line += bytes.Count(b, []byte{'\n'})
		col = 0
		b = b[k+1:]
	}
	return pos{line, col + utf8.RuneCount(b) + 1}
}

// errorAt builds a SyntaxError for input[start:end]. Only the start of a
// long token is read: the message shows no more.
func (w *window) errorAt(start, end int, kind, msg string) *SyntaxError {
	p := w.pos(start)
	return &SyntaxError{Line: p.line, Col: p.col, Token: shorten(w.slice(start, min(end, start+maxToken+utf8.UTFMax))), Msg: msg, Kind: kind}
}

// failure is what went wrong with the input itself: a read error, or a
// construct too long for the window. It takes precedence over whatever
// the parser made of the input as far as it got.
func (w *window) failure() error {
	if w.readErr != nil {
		return w.readErr
	}
	if w.tooLong != nil {
		return w.tooLong
	}
	return nil
}

// prefix reads up to n bytes and returns them, with whether they are the
// whole input. Nothing is released, so the parse starts over from them.
func (w *window) prefix(n int) ([]byte, bool) {
	for w.size() < n && w.more() {
	}
	b := w.mem[w.start:w.end]
	if len(b) > n {
		b = b[:n]
	}
	return b, w.eof && len(b) == w.size()
}

// skipBOM drops a UTF-8 byte order mark at the start: it is not part of
// the first line's columns.
func (w *window) skipBOM() {
	w.prefix(3)
	if bytes.HasPrefix(w.mem[w.start:w.end], []byte("\xef\xbb\xbf")) {
		w.start += 3
		w.off += 3
	}
}

// useCRLineEnds makes '\r' end lines, for input that has no '\n'.
func (w *window) useCRLineEnds() {
	w.crToLF = true
	crToLF(w.mem[w.start:w.end])
}

// nextLine releases the line before and returns the next one, without its
// '\n' and a trailing '\r'. The text is valid until the next call. A line
// longer than maxLine ends the input; failure says so.
func (w *window) nextLine() (line, bool) {
	if n := w.lineEnd - w.off; n > 0 && w.mem[w.start+n-1] == '\n' {
		// The line before, whole: no need to count its characters.
		w.start += n
		w.off += n
		w.line++
		w.col = 0
	} else {
		w.release(w.lineEnd)
	}
	i := w.off
	for {
		b := w.mem[w.start:w.end]
		if k := bytes.IndexByte(b[i-w.off:], '\n'); k >= 0 {
			return w.makeLine(b[:i-w.off+k], i+k+1), true
		}
		i = w.off + len(b)
		if len(b) > maxLine {
			if w.tooLong == nil {
				w.tooLong = &SyntaxError{Line: w.line, Col: 1, Token: shorten(b), Kind: "hex",
					Msg: fmt.Sprintf("line longer than %d characters; this is not a dump mqtap can read", maxLine)}
			}
			return line{}, false
		}
		if !w.more() {
			b = w.mem[w.start:w.end]
			if len(b) == 0 || w.tooLong != nil {
				return line{}, false
			}
			return w.makeLine(b, w.off+len(b)), true
		}
	}
}

func (w *window) makeLine(t []byte, end int) line {
	w.lineEnd = end
	return line{num: w.line, text: bytes.TrimSuffix(t, []byte{'\r'})}
}

// token remembers where a token started, so that an error can still name
// it after the window has moved past its start (a token of plain hex can be
// megabytes long).
type token struct {
	start int // absolute offset
	saved bool
	p     pos
	text  []byte // its first bytes, once saved
}

// releaseIn releases the input before i, which lies inside tok, saving
// what an error about tok needs first.
func (w *window) releaseIn(tok *token, i int) {
	w.keep(tok, i)
	w.release(i)
}

// keep saves what an error about tok needs before the input up to i is
// released. A token with a negative start is none.
func (w *window) keep(tok *token, i int) {
	if !tok.saved && tok.start >= 0 && tok.start < i && tok.start >= w.off {
		tok.p = w.pos(tok.start)
		tok.text = append(tok.text[:0], w.slice(tok.start, tok.start+maxToken+utf8.UTFMax)...)
		tok.saved = true
	}
}

// tokenError builds a SyntaxError for the token from tok.start to end.
func (w *window) tokenError(tok *token, end int, kind, msg string) *SyntaxError {
	if !tok.saved {
		return w.errorAt(tok.start, end, kind, msg)
	}
	text := tok.text
	if n := end - tok.start; n < len(text) {
		text = text[:n]
	}
	return &SyntaxError{Line: tok.p.line, Col: tok.p.col, Token: shorten(text), Msg: msg, Kind: kind}
}

// scanEnd returns the offset of the first byte at or after i for which
// stop is true, looking no further than an error message shows.
func (w *window) scanEnd(from, i int, stop func(byte) bool) int {
	for limit := from + maxToken + utf8.UTFMax; i < limit && w.has(i) && !stop(w.at(i)); i++ {
	}
	return i
}

// releaseEvery is how far parsers let the window run before releasing.
const releaseEvery = 32 << 10
