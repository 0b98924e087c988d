package capture

import (
	"encoding/binary"
	"slices"
)

// Builders of raw pcap and pcapng bytes for the reader's fixtures. Each
// writes exactly the layout of the format documents (libpcap's file format,
// draft-ietf-opsawg-pcapng), in the byte order asked for, so a fixture
// reads as the bytes it stands for.

// order is a byte order that also appends.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

var (
	leOrder order = binary.LittleEndian
	beOrder order = binary.BigEndian
)

// pcapFile is a classic pcap file: the 24-byte header, then records.
func pcapFile(bo order, magic, snap, link uint32, records ...[]byte) []byte {
	b := bo.AppendUint32(nil, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...) // time zone, sigfigs
	b = bo.AppendUint32(b, snap)
	b = bo.AppendUint32(b, link)
	return slices.Concat(append([][]byte{b}, records...)...)
}

// pcapRec is one record; capLen is len(data).
func pcapRec(bo order, sec, frac uint32, data []byte, wire int) []byte {
	b := bo.AppendUint32(nil, sec)
	b = bo.AppendUint32(b, frac)
	b = bo.AppendUint32(b, uint32(len(data)))
	b = bo.AppendUint32(b, uint32(wire))
	return append(b, data...)
}

// pcapRecHdr is a record header alone, claiming any lengths.
func pcapRecHdr(bo order, capLen, wire uint32) []byte {
	b := bo.AppendUint32(nil, 1)
	b = bo.AppendUint32(b, 2)
	b = bo.AppendUint32(b, capLen)
	return bo.AppendUint32(b, wire)
}

// ngBlock is a pcapng block: type, total length, body padded to 32 bits,
// total length again.
func ngBlock(bo order, typ uint32, body ...[]byte) []byte {
	bb := slices.Concat(body...)
	pad := -len(bb) & 3
	total := uint32(12 + len(bb) + pad)
	b := bo.AppendUint32(nil, typ)
	b = bo.AppendUint32(b, total)
	b = append(append(b, bb...), make([]byte, pad)...)
	return bo.AppendUint32(b, total)
}

// ngBlockLen is a block header claiming total bytes, with body after it
// as is: for lengths that do not match the bytes.
func ngBlockLen(bo order, typ, total uint32, body []byte) []byte {
	b := bo.AppendUint32(nil, typ)
	b = bo.AppendUint32(b, total)
	return append(b, body...)
}

// ngOpt is one option, its value padded to 32 bits.
func ngOpt(bo order, code uint16, v []byte) []byte {
	b := bo.AppendUint16(nil, code)
	b = bo.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	return append(b, make([]byte, -len(v)&3)...)
}

func optEndOfOpts(bo order) []byte { return ngOpt(bo, 0, nil) }

// shb is a Section Header Block, version 1.0, section length unknown,
// with a shb_userappl option.
func shb(bo order) []byte {
	b := bo.AppendUint32(nil, ngByteOrderMagic)
	b = bo.AppendUint16(b, 1)
	b = bo.AppendUint16(b, 0)
	b = bo.AppendUint64(b, ^uint64(0))
	return ngBlock(bo, blockSHB, b, ngOpt(bo, 4, []byte("fixture")), optEndOfOpts(bo))
}

// idb is an Interface Description Block; opts are ngOpt values.
func idb(bo order, link uint16, snap uint32, opts ...[]byte) []byte {
	b := bo.AppendUint16(nil, link)
	b = bo.AppendUint16(b, 0)
	b = bo.AppendUint32(b, snap)
	if len(opts) > 0 {
		opts = append(opts, optEndOfOpts(bo))
	}
	return ngBlock(bo, blockIDB, append([][]byte{b}, opts...)...)
}

func ifName(bo order, name string) []byte { return ngOpt(bo, optIfName, []byte(name)) }
func tsResol(bo order, r byte) []byte     { return ngOpt(bo, optTSResol, []byte{r}) }
func tsOffset(bo order, sec uint64) []byte {
	return ngOpt(bo, optTSOffset, bo.AppendUint64(nil, sec))
}

// epb is an Enhanced Packet Block; opts are ngOpt values.
func epb(bo order, id uint32, ts uint64, data []byte, wire int, opts ...[]byte) []byte {
	b := bo.AppendUint32(nil, id)
	b = bo.AppendUint32(b, uint32(ts>>32))
	b = bo.AppendUint32(b, uint32(ts))
	b = bo.AppendUint32(b, uint32(len(data)))
	b = bo.AppendUint32(b, uint32(wire))
	b = append(b, data...)
	b = append(b, make([]byte, -len(data)&3)...)
	if len(opts) > 0 {
		opts = append(opts, optEndOfOpts(bo))
	}
	return ngBlock(bo, blockEPB, append([][]byte{b}, opts...)...)
}

// epbHdr is the fixed part of an Enhanced Packet Block claiming capLen
// bytes, in a block claiming total bytes, with nothing after it.
func epbHdr(bo order, total, capLen uint32) []byte {
	b := bo.AppendUint32(nil, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, capLen)
	b = bo.AppendUint32(b, capLen)
	return ngBlockLen(bo, blockEPB, total, b)
}

// spb is a Simple Packet Block: the original length, then the packet.
func spb(bo order, wire int, data []byte) []byte {
	return ngBlock(bo, blockSPB, bo.AppendUint32(nil, uint32(wire)), data)
}

// pb is the obsolete Packet Block: a 16-bit interface id and drop count.
func pb(bo order, id uint16, ts uint64, data []byte, wire int) []byte {
	b := bo.AppendUint16(nil, id)
	b = bo.AppendUint16(b, 0)
	b = bo.AppendUint32(b, uint32(ts>>32))
	b = bo.AppendUint32(b, uint32(ts))
	b = bo.AppendUint32(b, uint32(len(data)))
	b = bo.AppendUint32(b, uint32(wire))
	return ngBlock(bo, blockPB, b, data)
}

// frameBytes is n bytes of a pattern that starts with tag, so frames are
// told apart.
func frameBytes(tag byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = tag + byte(i*13+i>>8)
	}
	return b
}
