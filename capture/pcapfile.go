package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// ErrUnknownFormat is returned by NewReader when the input is neither pcap
// nor pcapng.
var ErrUnknownFormat = errors.New("capture: not a pcap or pcapng file")

// ErrTruncated matches (errors.Is) the *TruncatedError that Reader.Next
// returns when the file ends inside a record.
var ErrTruncated = errors.New("cut short in the middle of a packet")

// TruncatedError is returned by Reader.Next, after the frames before it,
// when the file ends inside a record (pcap) or block (pcapng): the file
// was cut short, as tshark reports it ("appears to have been cut short in
// the middle of a packet") after showing those frames.
type TruncatedError struct {
	Offset int64 // where the record or block that is cut short starts in the file
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("%v at byte %d", ErrTruncated, e.Offset)
}

// Is makes errors.Is(err, ErrTruncated) true.
func (e *TruncatedError) Is(target error) bool { return target == ErrTruncated }

// Unwrap gives io.ErrUnexpectedEOF.
func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// rawFrame is one record read from the file. data is owned by the file
// reader and only valid until the next read.
type rawFrame struct {
	data     []byte
	ts       time.Time
	wireLen  int
	link     LinkType
	ifaceID  int
	ifaceSet bool // pcapng: interface id/name known
	// noTime marks a frame stored without a timestamp (a pcapng Simple
	// Packet Block): ts is then the Unix epoch, which tshark uses for its
	// time arithmetic, and no time is shown.
	noTime bool
	ifaceLabel
	section int
	digits  int // decimal places of the timestamps' resolution
}

// Limits on lengths read from the file. They are checked before anything
// is allocated, so a damaged or hostile length fails with an error instead
// of asking for gigabytes.
const (
	// standardSnapLen is libpcap's MAXIMUM_SNAPLEN: the longest record a
	// pcap file may hold whatever snap length its header declares
	// (writers such as dpkt do not truncate to the one they declare).
	standardSnapLen = 262144
	// maxFrameLen is the largest packet wiretap accepts for any link type
	// (128 MiB, for D-Bus): tshark reads no capture with longer ones.
	maxFrameLen = 128 << 20
	// maxBlockLen bounds a pcapng block that is read whole: a packet of
	// maxFrameLen, its fixed fields and room for options.
	maxBlockLen = maxFrameLen + 128<<10
)

// source reads frames from a pcap or pcapng stream. It keeps one bufio
// buffer and hands out frames that point into it (or, for a frame longer
// than the buffer, into one reused slice), so nothing is allocated per
// frame and memory stays flat whatever the file size.
type source struct {
	br  *bufio.Reader
	big []byte // records longer than br's buffer, reused
	ng  bool

	pcap pcapHeader // classic pcap

	// pcapng: the current section's byte order and interfaces
	byteOrder
	ifaces []ngIface
	// section counts the Section Header Blocks so far; ifLabels holds the
	// names of every interface of every section in order, as tshark's
	// frame dissector looks names up there by the frame's interface id
	// (in its own section).
	section  int
	ifLabels []ifaceLabel

	off  int64 // bytes consumed so far
	mark int64 // where the record or block being read starts
}

const (
	magicMicro    = 0xa1b2c3d4
	magicNano     = 0xa1b23c4d
	magicNgHeader = 0x0a0d0d0a
)

func openSource(r io.Reader) (*source, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(4)
	if err != nil {
		if err == io.EOF {
			return nil, ErrUnknownFormat
		}
		return nil, err
	}
	s := &source{br: br}
	le := binary.LittleEndian.Uint32(head)
	be := binary.BigEndian.Uint32(head)
	switch {
	case le == magicNgHeader:
		s.ng = true
		if err := s.sectionHeader(); err != nil {
			if err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("capture: pcapng section header: %w", err)
			}
			return nil, err
		}
		return s, nil
	case le == magicMicro || be == magicMicro || le == magicNano || be == magicNano:
		if err := s.pcapFileHeader(); err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, ErrUnknownFormat
}

// next reads the next frame into f. At the end of the input it returns
// io.EOF, or io.ErrUnexpectedEOF when the last record is cut short (mark
// then says where that record starts).
func (s *source) next(f *rawFrame) error {
	if s.ng {
		return s.nextBlock(f)
	}
	return s.nextRecord(f)
}

// peekHeader returns the next n bytes without consuming them: io.EOF when
// the input ends right there, between records, and io.ErrUnexpectedEOF
// when it ends inside them.
func (s *source) peekHeader(n int) ([]byte, error) {
	b, err := s.br.Peek(n)
	if err == io.EOF && len(b) > 0 {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

// read consumes the next n bytes (n within maxBlockLen) and returns them,
// valid until the next read: a view of the bufio buffer when they fit
// there, else a copy in s.big.
func (s *source) read(n int) ([]byte, error) {
	if n <= s.br.Size() {
		b, err := s.br.Peek(n)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		_, _ = s.br.Discard(n) // cannot fail: the bytes are buffered
		s.off += int64(n)
		return b, nil
	}
	// The buffer grows as the bytes arrive rather than to the length the
	// file claims: a short file cannot make it allocate more than its size.
	b := s.big[:0]
	for len(b) < n {
		if len(b) == cap(b) {
			b = slices.Grow(b, min(n-len(b), max(len(b), 1<<16)))
		}
		m, err := io.ReadFull(s.br, b[len(b):min(n, cap(b))])
		b = b[:len(b)+m]
		if err != nil {
			s.big = b[:0]
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	s.big = b
	s.off += int64(n)
	return b, nil
}

// skip consumes n bytes without keeping them.
func (s *source) skip(n int) error {
	m, err := s.br.Discard(n)
	s.off += int64(m)
	if err != nil {
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// errTooLong names a length from the file that exceeds its bound.
func errTooLong(what string, n uint64, limit int) error {
	return fmt.Errorf("capture: %s of %d bytes exceeds the maximum of %d", what, n, limit)
}
