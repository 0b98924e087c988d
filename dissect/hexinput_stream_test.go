package dissect

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Written in any pieces, a Stream prints what Bytes prints for the whole.
func TestStreamMatchesBytes(t *testing.T) {
	data, _ := hex.DecodeString("101000044d5154540402003c00047465737430" + "0d0005612f622f63" + "68656c6c6f" + "c000" + "e000" + "3005000161")
	for _, f := range []Format{Text, JSON, JSONL} {
		opt := Options{Format: f, HexPane: f == Text}
		var want bytes.Buffer
		wst, werr := Bytes(&want, data, opt)
		for size := 1; size <= len(data); size++ {
			var got bytes.Buffer
			s := NewStream(&got, opt)
			for i := 0; i < len(data); i += size {
				if _, err := s.Write(data[i:min(i+size, len(data))]); err != nil {
					t.Fatal(err)
				}
			}
			st, err := s.Close()
			if got.String() != want.String() || st != wst || (err == nil) != (werr == nil) {
				t.Fatalf("format %d, pieces of %d: %+v %v\n%s\nwant %+v %v\n%s", f, size, st, err, got.String(), wst, werr, want.String())
			}
		}
	}
}
