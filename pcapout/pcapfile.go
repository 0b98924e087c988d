package pcapout

import (
	"encoding/binary"
	"time"
)

// The classic pcap format (libpcap 2.4), little-endian, nanosecond
// timestamps: a 24-byte file header, then a 16-byte header per record.
const (
	magicNanos      = 0xa1b23c4d
	snapLen         = 65535 // larger than any frame written (maxSegment + headers)
	linkTypeEther   = 1
	recordHeaderLen = 16
)

// fileHeader is the pcap file header: version 2.4, UTC, no sigfigs.
func fileHeader() []byte {
	h := make([]byte, 24)
	le := binary.LittleEndian
	le.PutUint32(h[0:], magicNanos)
	le.PutUint16(h[4:], 2)
	le.PutUint16(h[6:], 4)
	le.PutUint32(h[16:], snapLen)
	le.PutUint32(h[20:], linkTypeEther)
	return h
}

// putRecordHeader fills the record header at the start of rec for a frame
// of n bytes, all captured. A zero time means now, as it did for gopacket's
// writer, which this package used before.
func putRecordHeader(rec []byte, t time.Time, n int) {
	if t.IsZero() {
		t = time.Now()
	}
	le := binary.LittleEndian
	le.PutUint32(rec[0:], uint32(t.Unix()))
	le.PutUint32(rec[4:], uint32(t.Nanosecond()))
	le.PutUint32(rec[8:], uint32(n))
	le.PutUint32(rec[12:], uint32(n))
}
