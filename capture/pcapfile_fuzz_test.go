package capture

import (
	"bytes"
	"os"
	"testing"
)

// FuzzPcapSource feeds arbitrary bytes to the pcap/pcapng reader: it must
// not panic, must not allocate beyond what the input holds, and every
// frame it returns must be the one gopacket's reader returns.
func FuzzPcapSource(f *testing.F) {
	for _, tc := range sourceCases() {
		f.Add(tc.file)
	}
	for _, name := range []string{"testdata/seed-v311-qos0.pcapng", "testdata/v31-qos1.pcap", "testdata/v311-ipv6.pcapng"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := openSource(bytes.NewReader(data))
		if err != nil {
			return
		}
		var got []frame
		var fr rawFrame
		for {
			err = s.next(&fr)
			if err != nil {
				break
			}
			if len(fr.data) > len(data) {
				t.Fatalf("frame of %d bytes from %d bytes of input", len(fr.data), len(data))
			}
			got = append(got, snapshot(&fr))
		}
		// The buffer for long records grows with the bytes read.
		if c := cap(s.big); c > 2*len(data)+1<<16 {
			t.Fatalf("kept a %d-byte buffer for %d bytes of input", c, len(data))
		}

		ref, refErr := openPcapgoSource(bytes.NewReader(data), false)
		if refErr != nil {
			return
		}
		want, refErr := readFrames(ref.next, len(got)+1)
		// Frames both return are the same; and where this reader ends
		// quietly, gopacket's has nothing more either.
		n := min(len(got), len(want))
		compareFrames(t, "gopacket", want[:n], asPcapgo(got[:n], want))
		if cleanEnd(err) && len(want) > len(got) {
			t.Fatalf("ended quietly (%v) after %d frames; gopacket read %v next (then %v)", err, len(got), want[len(got)], refErr)
		}
	})
}
