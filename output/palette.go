package output

import (
	"bytes"
	"strings"

	"github.com/fatih/color"
)

// Palette colours the tree. Colour only ever adds ANSI escape sequences
// around text: stripping them gives the plain output byte for byte. A nil
// *Palette, or one made with NewPalette(false), adds nothing.
type Palette struct {
	on    bool
	codes [roles][2]string // start and reset sequence of each role
}

// role is what a piece of the tree is, for its colour.
type role uint8

const (
	roleTitle role = iota
	roleLabel
	roleValue
	roleExpert
	roleMalformed
	roles
)

// NewPalette returns the colours for the tree, or a palette that adds
// nothing when enabled is false (NO_COLOR, --color never, not a terminal:
// the caller decides).
func NewPalette(enabled bool) *Palette {
	if !enabled {
		return &Palette{}
	}
	p := &Palette{on: true}
	p.codes[roleTitle] = codes(color.New(color.Bold, color.FgBlue))
	p.codes[roleLabel] = codes(color.New(color.FgCyan))
	p.codes[roleValue] = codes(color.New(color.Bold))
	p.codes[roleExpert] = codes(color.New(color.FgYellow))
	p.codes[roleMalformed] = codes(color.New(color.FgRed, color.Bold))
	return p
}

// codes extracts the start and reset sequences of a colour once, so the hot
// path appends two constant strings instead of formatting.
func codes(c *color.Color) [2]string {
	c.EnableColor() // the caller already decided colour is wanted
	s := c.Sprint("\x00")
	i := strings.IndexByte(s, 0)
	return [2]string{s[:i], s[i+1:]}
}

// Enabled reports whether the palette adds colour.
func (p *Palette) Enabled() bool { return p != nil && p.on }

// wrap puts dst[from:] between the colour's start and reset sequences.
func (p *Palette) wrap(dst []byte, from int, r role) []byte {
	if !p.Enabled() {
		return dst
	}
	c := p.codes[r]
	n := len(c[0])
	dst = append(dst, c[0]...)
	copy(dst[from+n:], dst[from:len(dst)-n])
	copy(dst[from:], c[0])
	return append(dst, c[1]...)
}

// colorLine colours a field line that starts at dst[start:]: the name (with
// its bit pattern) as a label, what follows its ": " as a value.
func (p *Palette) colorLine(dst []byte, start int) []byte {
	if !p.Enabled() {
		return dst
	}
	line := dst[start:]
	sep := bytes.Index(line, []byte(": "))
	if sep < 0 {
		return p.wrap(dst, start, roleLabel)
	}
	tail := append([]byte(nil), line[sep:]...)
	dst = p.wrap(dst[:start+sep], start, roleLabel)
	v := len(dst) + 2
	dst = append(dst, tail...)
	return p.wrap(dst, v, roleValue)
}
