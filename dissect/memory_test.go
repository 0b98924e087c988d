package dissect

import (
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/capture/synth"
)

// heapBound is the bound on memory for a capture of any size.
const heapBound = 64 << 20

// TestMemoryFlat decodes a synthetic capture streamed from a generator
// (nothing is on disk or in memory whole) with -V to io.Discard, and
// checks that the heap stays under heapBound and that per-frame
// allocation is small. The interop build runs it on 256 MB
// (memory_interop_test.go); this short one keeps `go test -race` fast.
func TestMemoryFlat(t *testing.T) {
	testMemoryFlat(t, 6<<20)
}

func testMemoryFlat(t *testing.T, size int64) {
	pr, pw := io.Pipe()
	go func() {
		_, err := synth.Write(pw, synth.Options{Size: size, Streams: 8, SplitEvery: 40})
		pw.CloseWithError(err)
	}()

	// Sample the heap while decoding.
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	st, err := Capture(io.Discard, pr, Options{Details: true})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	peak = max(peak, after.HeapInuse)
	perFrame := (after.TotalAlloc - before.TotalAlloc) / uint64(max(st.Frames, 1))
	t.Logf("%d MB streamed: %d frames, %d PDUs, peak heap in use %.1f MB, %d bytes allocated per frame",
		size>>20, st.Frames, st.PDUs, float64(peak)/(1<<20), perFrame)
	if st.Frames < int(size/200) || st.PDUs == 0 {
		t.Fatalf("only %d frames, %d PDUs: the generator stopped early", st.Frames, st.PDUs)
	}
	if peak > heapBound {
		t.Errorf("peak heap in use %d MB, want under %d MB", peak>>20, heapBound>>20)
	}
	// The generator allocates too (a few hundred bytes per frame); the
	// decoder's own share is far less. Growth with the file would show
	// here as well as in the peak.
	if perFrame > 2048 {
		t.Errorf("%d bytes allocated per frame, want under 2048", perFrame)
	}
}
