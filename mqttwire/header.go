package mqttwire

// FixedHeader is the fixed header of a packet as it was sent.
type FixedHeader struct {
	Byte      byte // packet type << 4 | flags
	Remaining int  // remaining length
	LenBytes  int  // bytes the remaining length took (1 to 4)
}

// Type is the packet type in the high nibble.
func (h FixedHeader) Type() PacketType { return PacketType(h.Byte >> 4) }

// Flags is the low nibble.
func (h FixedHeader) Flags() byte { return h.Byte & 0x0F }

// Size is the whole packet's length: fixed header plus remaining length.
func (h FixedHeader) Size() int { return 1 + h.LenBytes + h.Remaining }

// MaxRemaining is the largest remaining length four bytes can carry
// (MQTT 5.0 §1.5.5).
const MaxRemaining = 268435455

// ParseFixedHeader reads the fixed header at the start of b. An error
// wrapping ErrIncomplete means b ends inside the header.
func ParseFixedHeader(b []byte) (FixedHeader, error) {
	if len(b) == 0 {
		return FixedHeader{}, &MalformedError{Field: FieldFixedHeader, Length: -1, Reason: "no bytes", Incomplete: true}
	}
	h := FixedHeader{Byte: b[0]}
	t := h.Type()
	v, n, err := readVarint(b[1:])
	if err != nil {
		err.Packet, err.Field, err.Offset = t, FieldRemainingLength, 1
		return h, err
	}
	h.Remaining, h.LenBytes = int(v), n
	return h, nil
}

// PacketLen returns the total length of the packet that starts at b[0].
// ok is false when b is too short to tell; err is set when the remaining
// length is not a valid variable byte integer.
func PacketLen(b []byte) (n int, ok bool, err error) {
	h, err := ParseFixedHeader(b)
	if err != nil {
		if me, is := err.(*MalformedError); is && me.Incomplete {
			return 0, false, nil
		}
		return 0, false, err
	}
	return h.Size(), true, nil
}

// readVarint decodes a variable byte integer (MQTT 5.0 §1.5.5). It rejects
// a fifth byte and non-minimal encodings, which the specification forbids.
func readVarint(b []byte) (uint32, int, *MalformedError) {
	var v uint32
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, 0, &MalformedError{Length: -1, Reason: "variable byte integer cut short", Incomplete: true}
		}
		c := b[i]
		v |= uint32(c&0x7F) << (7 * i)
		if c&0x80 == 0 {
			if c == 0 && i > 0 {
				return 0, 0, &MalformedError{Length: -1, Reason: "variable byte integer not in its shortest form"}
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, &MalformedError{Length: -1, Reason: "variable byte integer longer than 4 bytes"}
}

// varintLen is the number of bytes v takes as a variable byte integer.
func varintLen(v int) int {
	switch {
	case v < 1<<7:
		return 1
	case v < 1<<14:
		return 2
	case v < 1<<21:
		return 3
	}
	return 4
}

func appendVarint(dst []byte, v int) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v > 0 {
			c |= 0x80
		}
		dst = append(dst, c)
		if v == 0 {
			return dst
		}
	}
}
