package mqttwire

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// The fuzz targets are seeded from the fixture table; crashers found are
// kept in testdata/fuzz/NAME as regressions. Run one for a while with
//
//	go test -run XXX -fuzz=FuzzDecode -fuzztime=3m ./mqttwire/

// reusedPacket returns a packet of type t already filled by decoding the
// first valid fixture of that type, to check that DecodeInto into a used
// value gives what Decode gives.
func reusedPacket(t PacketType) Packet {
	for _, tp := range tpackets {
		if tp.valid() && tp.want.Type() == t {
			p := New(t)
			if _, err := DecodeInto(p, tp.raw, tp.version); err != nil {
				panic(err)
			}
			return p
		}
	}
	return New(t)
}

func FuzzDecode(f *testing.F) {
	for _, tp := range tpackets {
		f.Add(tp.raw, byte(tp.version))
	}
	f.Fuzz(func(t *testing.T, data []byte, version byte) {
		v := Version(version)
		p, n, err := Decode(data, v)
		if n < 0 || n > len(data) {
			t.Fatalf("n = %d for %d bytes", n, len(data))
		}
		var me *MalformedError
		var pe *ProtocolError
		switch {
		case err == nil:
			if p == nil || n != p.Header().Size() {
				t.Fatalf("no error, packet %#v, n = %d", p, n)
			}
			b, err := Encode(p, v)
			if err != nil || !bytes.Equal(b, data[:n]) {
				t.Fatalf("Encode(Decode(b)) = %x, %v\nwant %x", b, err, data[:n])
			}
		case errors.As(err, &me):
			if me.Offset < 0 || me.Offset > len(data) || me.Incomplete != errors.Is(err, ErrIncomplete) {
				t.Fatalf("malformed error %+v for %d bytes", me, len(data))
			}
			if me.Incomplete && (p != nil && n != len(data)) {
				t.Fatalf("incomplete input, but n = %d of %d", n, len(data))
			}
		case errors.As(err, &pe):
			if p == nil || pe.Offset < 0 || pe.Offset > n || pe.Code < 0x80 {
				t.Fatalf("protocol error %+v, n = %d", pe, n)
			}
		default:
			t.Fatalf("error of type %T: %v", err, err)
		}
		if p == nil {
			return
		}
		// Decoding into a used value gives the same packet and error.
		q := reusedPacket(p.Type())
		n2, err2 := DecodeInto(q, data, v)
		if n2 != n || errString(err2) != errString(err) {
			t.Fatalf("DecodeInto: %d, %v; Decode: %d, %v", n2, err2, n, err)
		}
		if d := packetDiff(q, p, true); d != "" {
			t.Fatalf("DecodeInto a used value differs: %s", d)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func FuzzReader(f *testing.F) {
	for _, tp := range tpackets {
		f.Add(tp.raw, uint16(0), byte(tp.version))
	}
	stream, _, _ := validStream(V5)
	f.Add(stream, uint16(0), byte(V5))
	f.Add(stream, uint16(20), byte(V5))
	f.Fuzz(func(t *testing.T, data []byte, max uint16, version byte) {
		cr := &countingReader{r: bytes.NewReader(data)}
		r := NewReader(cr, int(max))
		r.Version = Version(version)
		want, wantRest, splitErr := Split(data)
		read := 0
		for i := 0; ; i++ {
			v := r.Version
			p, raw, err := r.Next()
			var tl *TooLargeError
			var me *MalformedError
			switch {
			case raw != nil:
				// A whole packet, whether or not it decodes.
				if i >= len(want) || !bytes.Equal(raw, want[i]) {
					t.Fatalf("packet %d: Reader %x, Split disagrees", i, raw)
				}
				read += len(raw)
				if cr.n != read {
					t.Fatalf("packet %d: read %d bytes of the stream, want %d", i, cr.n, read)
				}
				if len(raw) > r.MaxSize {
					t.Fatalf("packet of %d bytes over the maximum %d", len(raw), r.MaxSize)
				}
				if err == nil {
					if b, err := Encode(p, v); err != nil || !bytes.Equal(b, raw) {
						t.Fatalf("packet %d: Encode = %x, %v; want %x", i, b, err, raw)
					}
				}
				continue
			case err == io.EOF:
				if read != len(data) || len(wantRest) != 0 || i != len(want) {
					t.Fatalf("io.EOF after %d of %d bytes", read, len(data))
				}
			case err == io.ErrUnexpectedEOF:
				// The rest is a packet Split could not finish either.
				if i != len(want) || len(wantRest) == 0 || splitErr != nil {
					t.Fatalf("io.ErrUnexpectedEOF at packet %d: Split found %d, rest %d, %v", i, len(want), len(wantRest), splitErr)
				}
			case errors.As(err, &tl):
				if tl.Size <= r.MaxSize || cr.n-read > 5 {
					t.Fatalf("%v after reading %d header bytes", tl, cr.n-read)
				}
			case errors.As(err, &me):
				if splitErr == nil || i != len(want) || cr.n-read > 5 {
					t.Fatalf("%v at packet %d; Split: %d packets, %v", err, i, len(want), splitErr)
				}
			default:
				t.Fatalf("unexpected error %T %v", err, err)
			}
			return
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, tp := range tpackets {
		f.Add(tp.raw)
	}
	stream, _, _ := validStream(V311)
	f.Add(stream)
	f.Add(append(stream, 0x30, 0x80))
	f.Fuzz(func(t *testing.T, data []byte) {
		packets, rest, err := Split(data)
		var joined []byte
		for _, p := range packets {
			n, ok, perr := PacketLen(p)
			if !ok || perr != nil || n != len(p) || cap(p) != len(p) {
				t.Fatalf("packet %x: PacketLen %d, %v, %v; cap %d", p, n, ok, perr, cap(p))
			}
			joined = append(joined, p...)
		}
		if joined = append(joined, rest...); !bytes.Equal(joined, data) {
			t.Fatalf("packets and rest do not add up to the input")
		}
		n, ok, perr := PacketLen(rest)
		switch {
		case err != nil:
			if perr == nil || perr.Error() != err.Error() {
				t.Fatalf("Split: %v; PacketLen(rest): %v", err, perr)
			}
		case len(rest) > 0:
			if perr != nil || ok && n <= len(rest) {
				t.Fatalf("rest %x is whole: %d, %v, %v", rest, n, ok, perr)
			}
		}
	})
}

func FuzzPacketLen(f *testing.F) {
	for _, tp := range tpackets {
		f.Add(tp.raw[:min(len(tp.raw), 6)])
	}
	f.Add([]byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F})
	f.Fuzz(func(t *testing.T, data []byte) {
		n, ok, err := PacketLen(data)
		h, herr := ParseFixedHeader(data)
		switch {
		case ok:
			if err != nil || herr != nil || n != h.Size() || n < 2 || n > DefaultMaxPacket {
				t.Fatalf("PacketLen = %d, %v; header %+v, %v", n, err, h, herr)
			}
			// The remaining length was in its one shortest form.
			if enc := appendVarint(nil, h.Remaining); !bytes.Equal(enc, data[1:1+h.LenBytes]) {
				t.Fatalf("remaining length %x re-encodes as %x", data[1:1+h.LenBytes], enc)
			}
		case err != nil:
			if n != 0 || herr == nil || errors.Is(herr, ErrIncomplete) || herr.Error() != err.Error() {
				t.Fatalf("PacketLen error %v, ParseFixedHeader %v", err, herr)
			}
		default:
			// Too short to tell: a header cut inside its length.
			if n != 0 || !errors.Is(herr, ErrIncomplete) || len(data) > 4 {
				t.Fatalf("not ok without error for %x: %v", data, herr)
			}
			for _, c := range data[min(1, len(data)):] {
				if c&0x80 == 0 {
					t.Fatalf("%x ends its length, yet not ok", data)
				}
			}
		}
	})
}
