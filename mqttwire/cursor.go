package mqttwire

import (
	"bytes"
	"unicode/utf8"
	"unsafe"
)

// cursor walks the bytes of one packet, keeping the offset for errors, the
// first structural error (after which every read fails) and the first rule
// violation (after which decoding goes on).
type cursor struct {
	b    []byte // the packet from its first byte, cut at its end or at the input's end
	pos  int
	size int // the packet's declared size; > len(b) when the input was cut short
	typ  PacketType
	hdr  FixedHeader
	bad  *MalformedError
	rule *ProtocolError
	// In a property block's sub-cursor, errors name the property being
	// read and say that it ran past the block, not past the packet.
	within string // "property block", or "" for the packet itself
	item   string // the property whose value is being read
}

// names returns what an error at the cursor is about (the property being
// read, else the field) and where the bytes ended ("packet", or "the
// property block").
func (c *cursor) names(f Field) (what, end string) {
	what, end = string(f), "packet"
	if c.item != "" {
		what = c.item
	}
	if c.within != "" {
		end = "the " + c.within
	}
	return what, end
}

func (c *cursor) left() int { return len(c.b) - c.pos }

// fail records a structural error for a field needing n bytes at c.pos.
func (c *cursor) fail(f Field, n int, what string) {
	if c.bad != nil {
		return
	}
	// Report the bytes there are: when the input was cut short the packet
	// may have promised more (that is what Incomplete says).
	end := ""
	if c.within != "" {
		if c.item != "" {
			what = c.item
		}
		end = " in the " + c.within
	}
	e := malformed(c.typ, f, c.pos, "%s needs %d bytes, %d left%s", what, n, c.left(), end)
	e.Incomplete = c.pos+n <= c.size // the packet promised them; the input ended
	c.bad = e
}

// overrun records a length field whose value runs past the packet.
func (c *cursor) overrun(f Field, at, length int) {
	if c.bad != nil {
		return
	}
	what, end := c.names(f)
	e := malformed(c.typ, f, at, "%s length %d overruns %s", what, length, end)
	e.Length = length
	e.Incomplete = c.pos+length <= c.size
	c.bad = e
}

func (c *cursor) violate(f Field, off int, code ReasonCode, format string, args ...any) {
	if c.rule == nil {
		c.rule = violation(c.typ, f, off, code, format, args...)
	}
}

func (c *cursor) u8(f Field) byte {
	if c.bad != nil || c.left() < 1 {
		c.fail(f, 1, string(f))
		return 0
	}
	v := c.b[c.pos]
	c.pos++
	return v
}

func (c *cursor) u16(f Field) uint16 {
	if c.bad != nil || c.left() < 2 {
		c.fail(f, 2, string(f))
		return 0
	}
	v := uint16(c.b[c.pos])<<8 | uint16(c.b[c.pos+1])
	c.pos += 2
	return v
}

func (c *cursor) u32(f Field) uint32 {
	if c.bad != nil || c.left() < 4 {
		c.fail(f, 4, string(f))
		return 0
	}
	b := c.b[c.pos:]
	c.pos += 4
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (c *cursor) varint(f Field) uint32 {
	if c.bad != nil {
		return 0
	}
	v, n, err := readVarint(c.b[c.pos:])
	if err != nil {
		err.Packet, err.Field, err.Offset = c.typ, f, c.pos
		if err.Incomplete && c.size <= len(c.b) {
			err.Incomplete = false // cut short by the packet's own end, not the input's
		}
		c.bad = err
		return 0
	}
	c.pos += n
	return v
}

// binary reads two-byte-length-prefixed data (MQTT 5.0 §1.5.6).
func (c *cursor) binary(f Field) []byte {
	at := c.pos
	n := int(c.u16(f))
	if c.bad != nil {
		return nil
	}
	if c.left() < n {
		c.overrun(f, at, n)
		return nil
	}
	v := c.b[c.pos : c.pos+n : c.pos+n]
	c.pos += n
	return v
}

// str reads a UTF-8 string (MQTT 5.0 §1.5.4) and checks it is well formed;
// a bad string is a rule violation, so the rest of the packet still decodes.
func (c *cursor) str(f Field) string {
	at := c.pos
	b := c.binary(f)
	if c.bad != nil {
		return ""
	}
	if !validUTF8(b) {
		c.violate(f, at+2, CodeMalformedPacket, "%s is not valid UTF-8 or contains U+0000", f)
	}
	return bytesToString(b)
}

// rest returns the bytes up to the end of the packet.
func (c *cursor) rest() []byte {
	if c.bad != nil {
		return nil
	}
	v := c.b[c.pos:len(c.b):len(c.b)]
	c.pos = len(c.b)
	return v
}

// err is the error Decode returns: the structural one first.
func (c *cursor) err() error {
	if c.bad != nil {
		return c.bad
	}
	if c.rule != nil {
		return c.rule
	}
	return nil
}

// validUTF8 checks MQTT's rules for strings: well-formed UTF-8 and no U+0000
// (MQTT 5.0 §1.5.4). IndexByte and utf8.Valid both scan words at a time,
// several times faster on a typical topic than a loop over its bytes.
func validUTF8(b []byte) bool {
	return bytes.IndexByte(b, 0) < 0 && utf8.Valid(b)
}

// bytesToString aliases b as a string without copying; see the package
// comment on aliasing.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
