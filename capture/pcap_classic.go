package capture

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// pcapHeader is what the classic pcap file header says about every record.
type pcapHeader struct {
	byteOrder
	nanos   uint32 // nanoseconds per unit of a record's fraction: 1000 (µs) or 1 (ns)
	snapLen uint32
	link    LinkType
	digits  int
}

// pcapFileHeader reads the 24-byte file header: magic (its byte order is
// the file's), version 2.4, time zone and sigfigs (ignored), snap length,
// link type.
func (s *source) pcapFileHeader() error {
	h, err := s.peekHeader(24)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("capture: pcap file header: %w", io.ErrUnexpectedEOF)
		}
		return err
	}
	p := &s.pcap
	switch binary.LittleEndian.Uint32(h) {
	case magicMicro:
		p.nanos, p.digits = 1000, 6
	case magicNano:
		p.nanos, p.digits = 1, 9
	default: // the same magics byte-swapped: openSource checked them
		p.byteOrder = bigEndian
		p.nanos, p.digits = 1000, 6
		if binary.BigEndian.Uint32(h) == magicNano {
			p.nanos, p.digits = 1, 9
		}
	}
	if major, minor := p.u16(h[4:]), p.u16(h[6:]); major != 2 || minor != 4 {
		return fmt.Errorf("capture: pcap version %d.%d is not supported (only 2.4)", major, minor)
	}
	p.snapLen = p.u32(h[16:])
	// The upper bits of the field carry FCS information; the link type is
	// the low 16.
	p.link = LinkType(p.u32(h[20:]))
	return s.skip(24)
}

// maxCapLen is the longest record accepted: the declared snap length or,
// when that is smaller, libpcap's maximum, as files may hold records
// longer than they declare.
func (p *pcapHeader) maxCapLen() int {
	if p.snapLen > standardSnapLen {
		return int(min(p.snapLen, maxFrameLen))
	}
	return standardSnapLen
}

// nextRecord reads one record: seconds, fraction, captured and original
// lengths, then the captured bytes.
func (s *source) nextRecord(f *rawFrame) error {
	s.mark = s.off
	h, err := s.peekHeader(16)
	if err != nil {
		return err
	}
	p := &s.pcap
	sec, frac := p.u32(h), p.u32(h[4:])
	capLen, wireLen := p.u32(h[8:]), p.u32(h[12:])
	if limit := p.maxCapLen(); uint64(capLen) > uint64(limit) {
		return errTooLong("pcap record", uint64(capLen), limit)
	}
	if capLen > wireLen {
		return fmt.Errorf("capture: pcap record captured length %d exceeds its original length %d", capLen, wireLen)
	}
	_ = s.skip(16) // the header is buffered
	data, err := s.read(int(capLen))
	if err != nil {
		return err
	}
	// The fraction is scaled in 32 bits as by the reader mqtap used
	// before, so that an out-of-range microsecond value (damaged file)
	// gives the same time as it did.
	f.data, f.ts, f.wireLen, f.link = data, time.Unix(int64(sec), int64(frac*p.nanos)).UTC(), int(wireLen), p.link
	f.ifaceID, f.ifaceSet, f.noTime, f.ifaceLabel = 0, false, false, ifaceLabel{}
	f.section = 0
	f.digits = p.digits
	return nil
}
