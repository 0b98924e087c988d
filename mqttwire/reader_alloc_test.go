package mqttwire_test

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// TestReaderHugeClaimAllocatesLittle: a header claiming the largest
// remaining length (268435455) followed by a few bytes must not make the
// reader allocate the claimed size.
func TestReaderHugeClaimAllocatesLittle(t *testing.T) {
	in := []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, 'a'}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := mqttwire.NewReader(bytes.NewReader(in), 0).ReadPacket()
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err %v, want unexpected EOF", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Fatalf("allocated %d bytes for 8 bytes of input", got)
	}
}

// TestReaderLargePacketWhole: a large packet that does arrive is read
// whole through the growing buffer.
func TestReaderLargePacketWhole(t *testing.T) {
	p := &mqttwire.Publish{Topic: "t", Payload: bytes.Repeat([]byte("0123456789"), 50000)}
	raw, err := mqttwire.Encode(p, mqttwire.V311)
	if err != nil {
		t.Fatal(err)
	}
	got, err := mqttwire.NewReader(bytes.NewReader(raw), 0).ReadPacket()
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("read %d bytes (err %v), want %d", len(got), err, len(raw))
	}
}
