package mqttwire

import (
	"errors"
	"fmt"
	"io"
)

// DefaultMaxPacket is the largest packet a Reader accepts unless told
// otherwise: the protocol's own limit.
const DefaultMaxPacket = 1 + 4 + MaxRemaining

// Reader reads whole packets from a byte stream. It never reads past the
// end of the packet it returns, so the stream can be handed on afterwards;
// give it a buffered reader (anything with ReadByte) for speed.
type Reader struct {
	r  io.Reader
	br io.ByteReader
	// MaxSize is the largest packet accepted, fixed header included.
	MaxSize int
	// Version decodes packets in Next; Next learns it from a CONNECT.
	Version Version
	hdr     [5]byte
}

// TooLargeError is returned for a packet over the reader's MaxSize; its
// bytes have not been read.
type TooLargeError struct {
	Type      PacketType
	Size, Max int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%v of %d bytes exceeds the maximum packet size %d", e.Type, e.Size, e.Max)
}

// NewReader returns a reader for packets of at most maxSize bytes (0 means
// DefaultMaxPacket), decoding as 3.1.1 until told or shown otherwise.
func NewReader(r io.Reader, maxSize int) *Reader {
	if maxSize <= 0 {
		maxSize = DefaultMaxPacket
	}
	br, _ := r.(io.ByteReader)
	return &Reader{r: r, br: br, MaxSize: maxSize, Version: V311}
}

func (r *Reader) readByte() (byte, error) {
	if r.br != nil {
		return r.br.ReadByte()
	}
	if _, err := io.ReadFull(r.r, r.hdr[4:5]); err != nil {
		return 0, err
	}
	return r.hdr[4], nil
}

// ReadPacket returns the next packet's raw bytes in a new slice. io.EOF
// means the stream ended between packets; io.ErrUnexpectedEOF, inside one.
func (r *Reader) ReadPacket() ([]byte, error) {
	var hdr [5]byte
	b, err := r.readByte()
	if err != nil {
		return nil, err
	}
	hdr[0] = b
	n := 1
	var remaining int
	for shift := 0; ; shift += 7 {
		if n == 5 {
			return nil, malformed(PacketType(hdr[0]>>4), FieldRemainingLength, 1, "variable byte integer longer than 4 bytes")
		}
		c, err := r.readByte()
		if err != nil {
			return nil, unexpected(err)
		}
		hdr[n] = c
		n++
		remaining |= int(c&0x7F) << shift
		if c&0x80 == 0 {
			// Refuse what ParseFixedHeader refuses (MQTT 5.0 §1.5.5), so
			// that every packet returned frames the same way in Split.
			if c == 0 && n > 2 {
				return nil, malformed(PacketType(hdr[0]>>4), FieldRemainingLength, 1, "variable byte integer not in its shortest form")
			}
			break
		}
	}
	size := n + remaining
	if size > r.MaxSize {
		return nil, &TooLargeError{Type: PacketType(hdr[0] >> 4), Size: size, Max: r.MaxSize}
	}
	if size <= eagerAlloc {
		buf := make([]byte, size)
		copy(buf, hdr[:n])
		if _, err := io.ReadFull(r.r, buf[n:]); err != nil {
			return nil, unexpected(err)
		}
		return buf, nil
	}
	// A large length is only a claim: grow the buffer as the bytes arrive,
	// so five bytes claiming 256 MB cost 64 KiB, not 256 MB.
	buf := make([]byte, n, eagerAlloc)
	copy(buf, hdr[:n])
	for len(buf) < size {
		if len(buf) == cap(buf) {
			buf = append(make([]byte, 0, min(size, 2*cap(buf))), buf...)
		}
		end := min(cap(buf), size)
		if _, err := io.ReadFull(r.r, buf[len(buf):end]); err != nil {
			return nil, unexpected(err)
		}
		buf = buf[:end]
	}
	return buf, nil
}

// eagerAlloc is the largest packet whose buffer is allocated before its
// bytes arrive.
const eagerAlloc = 64 << 10

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Next reads and decodes the next packet, returning its raw bytes too.
// A CONNECT sets the reader's Version for the packets after it.
func (r *Reader) Next() (Packet, []byte, error) {
	raw, err := r.ReadPacket()
	if err != nil {
		return nil, nil, err
	}
	p, _, err := Decode(raw, r.Version)
	if c, ok := p.(*Connect); ok && (err == nil || c.ProtocolLevel != 0) {
		r.Version = VersionOf(c)
	}
	return p, raw, err
}

// Split cuts b into whole packets. rest holds the bytes of a final packet
// that b does not hold in full; err reports a remaining length that is not
// a valid variable byte integer (rest then starts at the bad packet).
func Split(b []byte) (packets [][]byte, rest []byte, err error) {
	for len(b) > 0 {
		n, ok, err := PacketLen(b)
		if err != nil {
			return packets, b, err
		}
		if !ok || n > len(b) {
			return packets, b, nil
		}
		packets = append(packets, b[:n:n])
		b = b[n:]
	}
	return packets, nil, nil
}
