package capture

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// FuzzReader feeds arbitrary bytes as a capture file: no panic, and every
// error is a clean return.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"testdata/seed-v311-qos0.pcapng", "testdata/v31-qos1.pcap", "testdata/crafted-malformed.pcapng"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, tc := range craftedCases()[:6] {
		f.Add(writePcap(f, tc.link, tc.v6, tc.vlan, tc.segs))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), Options{PDULen: mqttLen, MaxPDU: 1 << 20,
			Heuristic: func(b []byte) bool { return len(b) > 0 && b[0] == 0x10 }})
		if err != nil {
			return
		}
		for i := 0; i < 100000; i++ {
			p, err := r.Next()
			if err != nil {
				return
			}
			p.WriteSections(io.Discard)
			for _, s := range p.Sections() {
				s.WriteTo(io.Discard)
			}
			p.JSONLayers()
			p.TCPInfo()
		}
	})
}

// BenchmarkReader measures rendering of the largest reference capture.
func BenchmarkReader(b *testing.B) {
	data, err := os.ReadFile("testdata/v5-big-payload.pcapng")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		r, err := NewReader(bytes.NewReader(data), Options{PDULen: mqttLen})
		if err != nil {
			b.Fatal(err)
		}
		for {
			p, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			p.WriteSections(io.Discard)
		}
	}
}

// BenchmarkReaderSmallFrames measures per-frame cost on many small frames
// (the burst capture), which is what dominates real MQTT traffic.
func BenchmarkReaderSmallFrames(b *testing.B) {
	data, err := os.ReadFile("testdata/v311-sub-ping.pcapng")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		r, _ := NewReader(bytes.NewReader(data), Options{PDULen: mqttLen})
		for {
			p, err := r.Next()
			if err != nil {
				break
			}
			p.WriteSections(io.Discard)
		}
	}
}
