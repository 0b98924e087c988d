package capture

import (
	"bytes"
	"testing"

	"github.com/mqtap/mqtap/capture/synth"
)

// BenchmarkSource reads a synthetic capture (small loopback MQTT frames,
// some large) as pcapng and as classic pcap, with this package's reader
// and with gopacket's pcapgo that it replaced, and reports ns per frame.
func BenchmarkSource(b *testing.B) {
	var ng bytes.Buffer
	if _, err := synth.Write(&ng, synth.Options{Size: 8 << 20, SplitEvery: 50}); err != nil {
		b.Fatal(err)
	}
	inputs := []struct {
		name string
		data []byte
	}{{"pcapng", ng.Bytes()}, {"pcap", toPcap(b, ng.Bytes())}}
	for _, in := range inputs {
		b.Run(in.name+"/mqtap", func(b *testing.B) {
			benchSource(b, in.data, func() (func(*rawFrame) error, error) {
				s, err := openSource(bytes.NewReader(in.data))
				if err != nil {
					return nil, err
				}
				return s.next, nil
			})
		})
		b.Run(in.name+"/pcapgo", func(b *testing.B) {
			benchSource(b, in.data, func() (func(*rawFrame) error, error) {
				s, err := openPcapgoSource(bytes.NewReader(in.data), true)
				if err != nil {
					return nil, err
				}
				return s.next, nil
			})
		})
	}
}

func benchSource(b *testing.B, data []byte, open func() (func(*rawFrame) error, error)) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	frames := 0
	var f rawFrame
	for b.Loop() {
		next, err := open()
		if err != nil {
			b.Fatal(err)
		}
		for {
			if err := next(&f); err != nil {
				if !cleanEnd(err) {
					b.Fatal(err)
				}
				break
			}
			frames++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/frame")
}

// toPcap rewrites a pcapng capture's frames as a nanosecond pcap file.
func toPcap(t testing.TB, ng []byte) []byte {
	s, err := openSource(bytes.NewReader(ng))
	if err != nil {
		t.Fatal(err)
	}
	out := pcapFile(leOrder, magicNano, 262144, 1)
	var f rawFrame
	for s.next(&f) == nil {
		out = append(out, pcapRec(leOrder, uint32(f.ts.Unix()), uint32(f.ts.Nanosecond()), f.data, f.wireLen)...)
	}
	return out
}
