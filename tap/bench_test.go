package tap_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
)

// BenchmarkSessionSummary is the tap's hot path in a proxy: 1 KiB PUBLISH
// packets, 32 KiB reads, one summary line each.
func BenchmarkSessionSummary(b *testing.B) {
	for _, format := range []struct {
		name string
		f    tap.Format
	}{{"summary", tap.Summary}, {"jsonl", tap.JSONL}, {"tree", tap.Tree}, {"none", tap.None}} {
		b.Run(format.name, func(b *testing.B) {
			msg, _ := (&mqttwire.Publish{Topic: "bench/t", Payload: bytes.Repeat([]byte("x"), 1000)}).Append(nil, mqttwire.V311)
			var read []byte
			for len(read)+len(msg) <= 32<<10 {
				read = append(read, msg...)
			}
			perRead := len(read) / len(msg)
			tp, err := tap.New(io.Discard, tap.Options{Format: format.f})
			if err != nil {
				b.Fatal(err)
			}
			s := tp.Open(clientAddr, serverAddr)
			s.FromClient(encode(b, &mqttwire.Connect{ClientID: "bench"}, mqttwire.V311))
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += perRead {
				s.FromClient(read)
			}
			b.StopTimer()
			tp.Close()
		})
	}
}
