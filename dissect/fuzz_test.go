package dissect

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mqtap/mqtap/capture/synth"
)

// FuzzCapture feeds arbitrary bytes as a capture file through the whole
// pipeline (capture reading, reassembly, MQTT dissection, every output
// format): it must return, never panic.
func FuzzCapture(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(captureDir, "*.pcap*"))
	// Captures cut by a snap length.
	cut, _ := filepath.Glob("../commands/testdata/snaplen/*.pcap*")
	files = append(files, cut...)
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Size: 4 << 10, Streams: 2, SplitEvery: 3}); err == nil {
		f.Add(buf.Bytes())
	}
	opts := []Options{
		{Details: true, HexPane: true, Ports: []uint16{1883, 1886}},
		{Format: JSON, Heuristic: true, MaxPDU: 1 << 16},
		{OnlyMQTT: true, Format: JSONL},
		{},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// One set of options per input (chosen by its length) keeps each
		// run short; the mutator varies lengths, so all get exercised.
		Capture(io.Discard, bytes.NewReader(data), opts[len(data)%len(opts)])
	})
}
