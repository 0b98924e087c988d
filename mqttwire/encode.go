package mqttwire

import (
	"fmt"
	"slices"
)

func appendU16(dst []byte, v uint16) []byte { return append(dst, byte(v>>8), byte(v)) }

func appendString(dst []byte, s string) []byte {
	dst = appendU16(dst, uint16(len(s)))
	return append(dst, s...)
}

func appendBytes(dst []byte, b []byte) []byte {
	dst = appendU16(dst, uint16(len(b)))
	return append(dst, b...)
}

// appendHeader writes the fixed header for a body of the given length.
// Every Append calls it first, knowing the packet's size, so it makes room
// for the whole packet at once: Encode then allocates once, not once per
// doubling as the fields are appended.
func appendHeader(dst []byte, first byte, remaining int) ([]byte, error) {
	if remaining > MaxRemaining {
		return dst, fmt.Errorf("encode %v: remaining length %d exceeds %d", PacketType(first>>4), remaining, MaxRemaining)
	}
	dst = slices.Grow(dst, 1+varintLen(remaining)+remaining)
	dst = append(dst, first)
	return appendVarint(dst, remaining), nil
}

// checkLen refuses strings and binary data that a two-byte length cannot carry.
func checkLen(t PacketType, f Field, n int) error {
	if n > 0xFFFF {
		return fmt.Errorf("encode %v: %s is %d bytes, more than 65535", t, f, n)
	}
	return nil
}

// Encode returns the wire form of p for protocol version v.
func Encode(p Packet, v Version) ([]byte, error) {
	return p.Append(nil, v)
}
