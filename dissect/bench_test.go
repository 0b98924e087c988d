package dissect

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/mqtap/mqtap/capture/synth"
)

// BenchmarkCapture measures `mqtap decode -V` on a shared capture with
// mostly small frames.
func BenchmarkCapture(b *testing.B) {
	data, err := os.ReadFile("../capture/testdata/v311-burst-lines.pcapng")
	if err != nil {
		b.Fatal(err)
	}
	benchCapture(b, data, Options{Details: true})
}

// BenchmarkCaptureSynth is the same on a synthetic capture of long-lived
// QoS 1 streams (what bench/decode.sh compares with tshark).
func BenchmarkCaptureSynth(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Size: 4 << 20, SplitEvery: 50}); err != nil {
		b.Fatal(err)
	}
	benchCapture(b, buf.Bytes(), Options{Details: true})
}

// BenchmarkCaptureJSON measures -T json on the synthetic capture.
func BenchmarkCaptureJSON(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Size: 1 << 20, SplitEvery: 50}); err != nil {
		b.Fatal(err)
	}
	benchCapture(b, buf.Bytes(), Options{Format: JSON})
}

func benchCapture(b *testing.B, data []byte, opt Options) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Capture(io.Discard, bytes.NewReader(data), opt); err != nil {
			b.Fatal(err)
		}
	}
}
