package mqttwire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// countingReader counts the bytes it hands out and is deliberately not an
// io.ByteReader, so the Reader must ask it for exactly what it needs.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// validStream is every valid 3.1.1 fixture, concatenated, and their sizes.
func validStream(v Version) (stream []byte, sizes []int, names []string) {
	for _, tp := range tpackets {
		if tp.valid() && tp.version == v && tp.want.Type() != TypeConnect {
			stream = append(stream, tp.raw...)
			sizes = append(sizes, len(tp.raw))
			names = append(names, tp.name)
		}
	}
	return stream, sizes, names
}

// TestReaderNeverReadsPast reads packets from a reader that counts bytes:
// after each packet it must have read exactly that packet.
func TestReaderNeverReadsPast(t *testing.T) {
	stream, sizes, names := validStream(V311)
	cr := &countingReader{r: bytes.NewReader(stream)}
	r := NewReader(cr, 0)
	total := 0
	for i, size := range sizes {
		raw, err := r.ReadPacket()
		total += size
		if err != nil || len(raw) != size || cr.n != total {
			t.Fatalf("%s: got %d bytes, %v; read %d of the stream, want %d", names[i], len(raw), err, cr.n, total)
		}
		if !bytes.Equal(raw, stream[total-size:total]) {
			t.Fatalf("%s: wrong bytes", names[i])
		}
	}
	if _, err := r.ReadPacket(); err != io.EOF {
		t.Errorf("at the end: err = %v, want io.EOF", err)
	}
}

// TestReaderSources reads the same stream through a byte reader, a reader
// that gives one byte a call and one that gives half of what is asked.
func TestReaderSources(t *testing.T) {
	stream, sizes, _ := validStream(V5)
	sources := map[string]io.Reader{
		"bufio":    bufio.NewReader(bytes.NewReader(stream)),
		"one byte": iotest.OneByteReader(bytes.NewReader(stream)),
		"half":     iotest.HalfReader(bytes.NewReader(stream)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(stream)),
	}
	for name, src := range sources {
		r := NewReader(src, 0)
		r.Version = V5
		for i := range sizes {
			p, raw, err := r.Next()
			if err != nil || len(raw) != sizes[i] || p == nil {
				t.Fatalf("%s: packet %d: %d bytes, %v", name, i, len(raw), err)
			}
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Errorf("%s: at the end err = %v, want io.EOF", name, err)
		}
	}
}

func TestReaderEOF(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		want  error
	}{
		{"empty stream", nil, io.EOF},
		{"inside the remaining length", wire(0x30), io.ErrUnexpectedEOF},
		{"inside a long remaining length", wire(0x30, 0x80, 0x80), io.ErrUnexpectedEOF},
		{"inside the body", wire(0x30, 0x05, 0x00, 0x01), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		for _, src := range []io.Reader{bytes.NewReader(tt.input), iotest.OneByteReader(bytes.NewReader(tt.input))} {
			raw, err := NewReader(src, 0).ReadPacket()
			if err != tt.want || raw != nil {
				t.Errorf("%s (%T): %x, %v; want nil, %v", tt.name, src, raw, err, tt.want)
			}
		}
	}
	// Other read errors come through as they are.
	boom := errors.New("boom")
	for _, input := range [][]byte{nil, wire(0x30), wire(0x30, 0x05, 0x00)} {
		src := io.MultiReader(bytes.NewReader(input), iotest.ErrReader(boom))
		if _, err := NewReader(src, 0).ReadPacket(); err != boom {
			t.Errorf("after %x: err = %v, want boom", input, err)
		}
	}
}

// TestReaderMaxSize refuses a packet over the limit without reading its body.
func TestReaderMaxSize(t *testing.T) {
	first := tpacketNamed("publish/v311/qos1-capture").raw // 18 bytes
	second := tpacketNamed("pingreq/v311/capture").raw
	cr := &countingReader{r: bytes.NewReader(append(append([]byte(nil), first...), second...))}
	r := NewReader(cr, len(first)-1)
	raw, err := r.ReadPacket()
	var tl *TooLargeError
	if !errors.As(err, &tl) || raw != nil {
		t.Fatalf("err = %v, want a *TooLargeError", err)
	}
	if *tl != (TooLargeError{Type: TypePublish, Size: 18, Max: 17}) {
		t.Errorf("err = %+v", *tl)
	}
	if msg := "PUBLISH of 18 bytes exceeds the maximum packet size 17"; err.Error() != msg {
		t.Errorf("err.Error() = %q, want %q", err.Error(), msg)
	}
	if cr.n != 2 {
		t.Errorf("read %d bytes, want the 2 of the fixed header only", cr.n)
	}
	// The caller can skip the body and go on.
	if _, err := io.CopyN(io.Discard, cr, int64(tl.Size-2)); err != nil {
		t.Fatal(err)
	}
	if p, _, err := r.Next(); err != nil || p.Type() != TypePingreq {
		t.Errorf("after skipping: %v, %v", p, err)
	}
	// Exactly at the limit is fine.
	r = NewReader(bytes.NewReader(first), len(first))
	if raw, err := r.ReadPacket(); err != nil || !bytes.Equal(raw, first) {
		t.Errorf("at the limit: %v", err)
	}
	if r := NewReader(bytes.NewReader(nil), 0); r.MaxSize != DefaultMaxPacket || r.Version != V311 {
		t.Errorf("NewReader(_, 0) = MaxSize %d, Version %v", r.MaxSize, r.Version)
	}
}

// TestReaderBadRemainingLength refuses what ParseFixedHeader refuses, and
// stops before a fifth length byte.
func TestReaderBadRemainingLength(t *testing.T) {
	tests := []struct {
		input  []byte
		reason string
		read   int
	}{
		{wire(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00), "variable byte integer longer than 4 bytes", 5},
		{wire(0x30, 0x80, 0x00, 0x00), "variable byte integer not in its shortest form", 3},
		{wire(0x30, 0xFF, 0x80, 0x80, 0x00), "variable byte integer not in its shortest form", 5},
	}
	for _, tt := range tests {
		cr := &countingReader{r: bytes.NewReader(tt.input)}
		_, err := NewReader(cr, 0).ReadPacket()
		want := &MalformedError{Packet: TypePublish, Field: FieldRemainingLength, Offset: 1, Length: -1, Reason: tt.reason}
		checkError(t, err, want, "malformed PUBLISH: "+tt.reason+" at offset 1")
		if cr.n != tt.read {
			t.Errorf("%x: read %d bytes, want %d", tt.input, cr.n, tt.read)
		}
		// ParseFixedHeader says the same.
		_, perr := ParseFixedHeader(tt.input)
		checkError(t, perr, want, "malformed PUBLISH: "+tt.reason+" at offset 1")
	}
}

// TestReaderLearnsVersion: the Reader decodes as 3.1.1 until a CONNECT says
// otherwise.
func TestReaderLearnsVersion(t *testing.T) {
	v5Publish := tpacketNamed("publish/v5/properties-capture")
	tests := []struct {
		name    string
		connect []byte
		want    Version
	}{
		{"5.0", tpacketNamed("connect/v5/capture").raw, V5},
		{"3.1", tpacketNamed("connect/v31/capture").raw, V31},
		{"3.1.1", tpacketNamed("connect/v311/capture").raw, V311},
		{"unknown level: 3.1.1 as Wireshark", tpacketNamed("bad/connect-level-6").raw, V311},
		{"bad name, known level", tpacketNamed("bad/connect-protocol-name").raw, V311},
	}
	for _, tt := range tests {
		stream := append(append([]byte(nil), tt.connect...), v5Publish.raw...)
		r := NewReader(bytes.NewReader(stream), 0)
		r.Version = 0 // not yet known
		if _, _, err := r.Next(); r.Version != tt.want {
			t.Errorf("%s: Version = %v (err %v), want %v", tt.name, r.Version, err, tt.want)
		}
		p, _, err := r.Next()
		if tt.want == V5 {
			if err != nil || packetDiff(p, v5Publish.want, true) != "" {
				t.Errorf("%s: 5.0 PUBLISH after the CONNECT: %v", tt.name, err)
			}
		} else if pub, ok := p.(*Publish); err != nil || !ok || len(pub.Properties.List) != 0 || pub.Payload[0] != 0x2A {
			// As 3.x, the property block is the start of the payload.
			t.Errorf("%s: the PUBLISH as %v: %#v, %v", tt.name, r.Version, p, err)
		}
	}
	// A CONNECT too broken to show its level leaves the version alone.
	stream := wire(0x10, 0x03, 0x00, 0x04, "M") // protocol name cut by the remaining length
	r := NewReader(bytes.NewReader(stream), 0)
	r.Version = V5
	if _, _, err := r.Next(); err == nil || r.Version != V5 {
		t.Errorf("broken CONNECT: Version = %v, err = %v; want 5.0 kept and an error", r.Version, err)
	}
}

// TestReaderNextReportsDecodeErrors: a bad packet comes back with its raw
// bytes and error, and the stream goes on.
func TestReaderNextReportsDecodeErrors(t *testing.T) {
	bad := tpacketNamed("bad/publish-qos3")
	stream := append(append([]byte(nil), bad.raw...), 0xE0, 0x00)
	r := NewReader(bytes.NewReader(stream), 0)
	p, raw, err := r.Next()
	checkError(t, err, bad.err, bad.msg)
	if !bytes.Equal(raw, bad.raw) || packetDiff(p, bad.want, true) != "" {
		t.Errorf("bad packet: %x %#v", raw, p)
	}
	if p, _, err := r.Next(); err != nil || p.Type() != TypeDisconnect {
		t.Errorf("next: %v %v", p, err)
	}
	// The reserved type has no packet to return.
	r = NewReader(bytes.NewReader(wire(0x00, 0x00)), 0)
	if p, raw, err := r.Next(); p != nil || len(raw) != 2 || err == nil {
		t.Errorf("type 0: %v %x %v", p, raw, err)
	}
}

func TestSplit(t *testing.T) {
	stream, sizes, _ := validStream(V311)
	tail := tpacketNamed("publish/v311/qos2-retain-capture").raw
	for cut := range len(tail) {
		b := append(append([]byte(nil), stream...), tail[:cut]...)
		packets, rest, err := Split(b)
		if err != nil || len(packets) != len(sizes) || !bytes.Equal(rest, tail[:cut]) {
			t.Fatalf("tail cut at %d: %d packets, rest %x, %v", cut, len(packets), rest, err)
		}
		off := 0
		for i, p := range packets {
			if !bytes.Equal(p, stream[off:off+sizes[i]]) || cap(p) != len(p) {
				t.Fatalf("packet %d: %x (cap %d)", i, p, cap(p))
			}
			off += sizes[i]
		}
		if cut == 0 && rest != nil {
			t.Errorf("no tail: rest = %x, want nil", rest)
		}
	}
	// A bad remaining length stops Split at that packet.
	b := append(wire(0xC0, 0x00), 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
	packets, rest, err := Split(b)
	var me *MalformedError
	if len(packets) != 1 || !bytes.Equal(rest, b[2:]) || !errors.As(err, &me) || me.Field != FieldRemainingLength {
		t.Errorf("bad length: %d packets, rest %x, %v", len(packets), rest, err)
	}
	if packets, rest, err := Split(nil); packets != nil || rest != nil || err != nil {
		t.Errorf("Split(nil) = %v, %v, %v", packets, rest, err)
	}
}

func TestPacketLen(t *testing.T) {
	tests := []struct {
		input []byte
		n     int
		ok    bool
		err   string
	}{
		{nil, 0, false, ""},
		{wire(0x30), 0, false, ""},
		{wire(0x30, 0x80), 0, false, ""},
		{wire(0x30, 0xFF, 0xFF, 0xFF), 0, false, ""},
		{wire(0xC0, 0x00), 2, true, ""},
		{wire(0x30, 0x7F), 129, true, ""},
		{wire(0x30, 0x80, 0x01), 131, true, ""},
		{wire(0x30, 0xFF, 0xFF, 0xFF, 0x7F), 1 + 4 + MaxRemaining, true, ""},
		{wire(0x30, 0xFF, 0xFF, 0xFF, 0xFF), 0, false, "malformed PUBLISH: variable byte integer longer than 4 bytes at offset 1"},
		{wire(0x30, 0x80, 0x00), 0, false, "malformed PUBLISH: variable byte integer not in its shortest form at offset 1"},
	}
	for _, tt := range tests {
		n, ok, err := PacketLen(tt.input)
		if n != tt.n || ok != tt.ok || (err == nil) != (tt.err == "") || err != nil && err.Error() != tt.err {
			t.Errorf("PacketLen(%x) = %d, %v, %v; want %d, %v, %q", tt.input, n, ok, err, tt.n, tt.ok, tt.err)
		}
	}
}

func TestFixedHeader(t *testing.T) {
	h, err := ParseFixedHeader(wire(0x3D, 0x82, 0x01))
	if err != nil {
		t.Fatal(err)
	}
	if h.Type() != TypePublish || h.Flags() != 0xD || h.Remaining != 130 || h.LenBytes != 2 || h.Size() != 133 {
		t.Errorf("header %+v: type %v flags %x size %d", h, h.Type(), h.Flags(), h.Size())
	}
}
