package tap

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

type unit struct {
	kind unitKind
	data []byte
	size int
}

// frameAll feeds b to a framer in the given chunk sizes and collects units
// (merging consecutive raw runs, whose cut points depend on the chunks).
func frameAll(b []byte, max int, chunks func() int) []unit {
	f := framer{max: max}
	var out []unit
	emit := func(k unitKind, d []byte, size int) {
		if k == unitRaw && len(out) > 0 && out[len(out)-1].kind == unitRaw {
			out[len(out)-1].data = append(out[len(out)-1].data, d...)
			return
		}
		out = append(out, unit{k, bytes.Clone(d), size})
	}
	for len(b) > 0 {
		n := min(chunks(), len(b))
		f.feed(b[:n], emit)
		b = b[n:]
	}
	f.end(emit)
	return out
}

func publishBytes(t testing.TB, topic string, payload []byte) []byte {
	t.Helper()
	b, err := (&mqttwire.Publish{Topic: topic, Payload: payload}).Append(nil, mqttwire.V311)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFramerChunking: however the stream is cut into reads, the framer
// hands on the same PDUs, bytes unchanged.
func TestFramerChunking(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var stream []byte
	var want [][]byte
	for i := 0; i < 200; i++ {
		p := publishBytes(t, "a/b", bytes.Repeat([]byte{byte(i)}, rng.IntN(300)))
		stream = append(stream, p...)
		want = append(want, p)
	}
	for _, maxChunk := range []int{1, 2, 3, 7, 64, 1000, len(stream)} {
		got := frameAll(stream, 1<<20, func() int { return 1 + rng.IntN(maxChunk) })
		if len(got) != len(want) {
			t.Fatalf("chunks ≤%d: %d units, want %d", maxChunk, len(got), len(want))
		}
		for i := range got {
			if got[i].kind != unitPDU || !bytes.Equal(got[i].data, want[i]) {
				t.Fatalf("chunks ≤%d: unit %d = %v %x, want PDU %x", maxChunk, i, got[i].kind, got[i].data, want[i])
			}
		}
	}
}

func TestFramerEdgeCases(t *testing.T) {
	big := publishBytes(t, "big", make([]byte, 1000))
	small := publishBytes(t, "s", []byte("x"))
	tests := []struct {
		name  string
		in    []byte
		max   int
		kinds []unitKind
	}{
		// An oversized PDU is announced once, passed on raw, and framing
		// resumes after it.
		{"oversize", append(append(append([]byte(nil), small...), big...), small...), 100, []unitKind{unitPDU, unitOversize, unitRaw, unitPDU}},
		// A remaining length of five bytes cannot be framed: the rest is
		// shown once as malformed and then passed on raw.
		{"bad length", append(append([]byte(nil), small...), 0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 1, 2), 1 << 20, []unitKind{unitPDU, unitBroken, unitRaw}},
		// A stream that ends inside a PDU shows what came.
		{"cut short", append(append([]byte(nil), small...), small[:3]...), 1 << 20, []unitKind{unitPDU, unitBroken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 5, len(tt.in)} {
				got := frameAll(tt.in, tt.max, func() int { return chunk })
				var kinds []unitKind
				var total int
				for _, u := range got {
					kinds = append(kinds, u.kind)
					total += len(u.data)
				}
				if total != len(tt.in) {
					t.Errorf("chunk %d: units carry %d bytes, want %d", chunk, total, len(tt.in))
				}
				// Raw runs depend on how reads fell (a read may hold all of an
				// oversized PDU): compare without them.
				if !equalKinds(dropRaw(kinds), dropRaw(tt.kinds)) {
					t.Errorf("chunk %d: kinds %v, want %v", chunk, kinds, tt.kinds)
				}
			}
		})
	}
}

func dropRaw(k []unitKind) []unitKind {
	var out []unitKind
	for _, x := range k {
		if x != unitRaw {
			out = append(out, x)
		}
	}
	return out
}

func equalKinds(a, b []unitKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzFramer: whatever the bytes and however they are cut, the framer
// hands on every byte once, in order, and never a PDU over the limit.
func FuzzFramer(f *testing.F) {
	f.Add([]byte{0x30, 3, 0, 1, 'a', 0xc0, 0}, uint8(1), uint16(100))
	f.Add([]byte{0x30, 0xff, 0xff, 0xff, 0xff, 0x01}, uint8(2), uint16(100))
	f.Add(append([]byte{0x30, 0x80, 0x01}, make([]byte, 128)...), uint8(7), uint16(50))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8, max uint16) {
		step := int(chunk%64) + 1
		var got []byte
		for _, u := range frameAll(in, int(max), func() int { return step }) {
			got = append(got, u.data...)
			if u.kind == unitPDU && len(u.data) > int(max) {
				t.Fatalf("PDU of %d bytes over the %d limit", len(u.data), max)
			}
		}
		if !bytes.Equal(got, in) {
			t.Fatalf("units carry %x, want %x", got, in)
		}
	})
}
