package capture

import (
	"encoding/binary"
	"fmt"
	"time"
)

// pcapng block types (draft-ietf-opsawg-pcapng). Blocks of other types
// (statistics, name resolution, decryption secrets, custom...) are skipped.
const (
	blockIDB = 1          // Interface Description Block
	blockPB  = 2          // Packet Block, obsolete but still read
	blockSPB = 3          // Simple Packet Block
	blockEPB = 6          // Enhanced Packet Block
	blockSHB = 0x0a0d0d0a // Section Header Block, the same in both byte orders

	ngByteOrderMagic = 0x1a2b3c4d
)

// sectionHeader reads a Section Header Block: its byte-order magic sets
// the byte order of everything up to the next one, and the interfaces of
// the previous section no longer apply. Its options are not needed.
func (s *source) sectionHeader() error {
	h, err := s.peekHeader(16)
	if err != nil {
		return err
	}
	switch {
	case binary.LittleEndian.Uint32(h[8:]) == ngByteOrderMagic:
		s.byteOrder = littleEndian
	case binary.BigEndian.Uint32(h[8:]) == ngByteOrderMagic:
		s.byteOrder = bigEndian
	default:
		return fmt.Errorf("capture: pcapng section header with a bad byte-order magic %#x", binary.BigEndian.Uint32(h[8:]))
	}
	// type, length, byte-order magic, version, section length, trailing length
	total := s.u32(h[4:])
	if total < 28 {
		return fmt.Errorf("capture: pcapng section header block of %d bytes is too short", total)
	}
	if major, minor := s.u16(h[12:]), s.u16(h[14:]); major != 1 || minor != 0 {
		return fmt.Errorf("capture: pcapng version %d.%d is not supported (only 1.0)", major, minor)
	}
	s.ifaces = s.ifaces[:0]
	s.section++
	return s.skipBlock(blockSHB, total)
}

// block reads a whole block of total bytes (the header already peeked).
func (s *source) block(typ, total uint32) ([]byte, error) {
	if total > maxBlockLen {
		return nil, errTooLong(fmt.Sprintf("pcapng block (type %d)", typ), uint64(total), maxBlockLen)
	}
	return s.read(int(total))
}

// skipBlock consumes a block of total bytes without reading it into
// memory. The length is still bounded: a block longer than any tshark
// reads means the file is damaged.
func (s *source) skipBlock(typ, total uint32) error {
	if total > maxBlockLen {
		return errTooLong(fmt.Sprintf("pcapng block (type %d)", typ), uint64(total), maxBlockLen)
	}
	return s.skip(int(total))
}

// nextBlock reads blocks up to the next packet.
func (s *source) nextBlock(f *rawFrame) error {
	for {
		s.mark = s.off
		h, err := s.peekHeader(8)
		if err != nil {
			return err
		}
		typ, total := s.u32(h), s.u32(h[4:])
		if typ == blockSHB {
			if err := s.sectionHeader(); err != nil {
				return err
			}
			continue
		}
		// type, length and the trailing copy of the length
		if total < 12 {
			return fmt.Errorf("capture: pcapng block (type %d) of %d bytes is too short", typ, total)
		}
		switch typ {
		case blockEPB, blockPB, blockSPB:
			b, err := s.block(typ, total)
			if err != nil {
				return err
			}
			return s.packet(f, typ, b)
		case blockIDB:
			b, err := s.block(typ, total)
			if err != nil {
				return err
			}
			if err := s.addInterface(b); err != nil {
				return err
			}
		default:
			if err := s.skipBlock(typ, total); err != nil {
				return err
			}
		}
	}
}

// packet fills f from an Enhanced, Simple or obsolete Packet Block b (the
// whole block, its length checked to be at least 12).
func (s *source) packet(f *rawFrame, typ uint32, b []byte) error {
	var id, capLen, wireLen uint32
	ts, noTime := time.Unix(0, 0).UTC(), false
	var data []byte
	if typ == blockSPB {
		noTime = true
		// original length, then the packet: no interface id (it is the
		// first interface) and no timestamp.
		if len(b) < 16 {
			return fmt.Errorf("capture: pcapng simple packet block of %d bytes is too short", len(b))
		}
		if len(s.ifaces) == 0 {
			return fmt.Errorf("capture: pcapng simple packet block before any interface description")
		}
		wireLen = s.u32(b[8:])
		capLen = wireLen
		if snap := s.ifaces[0].snapLen; snap != 0 && capLen > snap {
			capLen = snap
		}
		if uint64(capLen) > uint64(len(b)-16) {
			return fmt.Errorf("capture: pcapng simple packet block of %d bytes cannot hold its %d-byte packet", len(b), capLen)
		}
		data = b[12 : 12+capLen]
	} else {
		// interface id (16 bits and a drop count in the obsolete block),
		// timestamp high and low, captured and original lengths, packet,
		// options.
		name := "enhanced packet block"
		id = s.u32(b[8:])
		if typ == blockPB {
			name = "packet block"
			id = uint32(s.u16(b[8:]))
		}
		if len(b) < 32 {
			return fmt.Errorf("capture: pcapng %s of %d bytes is too short", name, len(b))
		}
		if uint64(id) >= uint64(len(s.ifaces)) {
			return fmt.Errorf("capture: pcapng %s for interface %d, but its section describes %d interfaces", name, id, len(s.ifaces))
		}
		capLen, wireLen = s.u32(b[20:]), s.u32(b[24:])
		if uint64(capLen) > uint64(len(b)-32) {
			return fmt.Errorf("capture: pcapng %s of %d bytes cannot hold its %d-byte packet", name, len(b), capLen)
		}
		data = b[28 : 28+capLen]
		ts = s.ifaces[id].time(uint64(s.u32(b[12:]))<<32 | uint64(s.u32(b[16:])))
	}
	// The link type, resolution and timestamp are those of the frame's own
	// interface. Its section number and interface name are what tshark 4.0
	// shows: from the second section on, the name is that of the
	// interface with the same id counted from the start of the file.
	ifc := &s.ifaces[id]
	f.data, f.ts, f.wireLen, f.link = data, ts, int(wireLen), ifc.link
	f.ifaceID, f.ifaceSet, f.noTime, f.ifaceLabel = int(id), true, noTime, s.ifLabels[id]
	f.section = s.section
	f.digits = ifc.digits
	return nil
}
