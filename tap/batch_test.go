package tap_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
)

// countingWriter records the output and how many writes made it.
type countingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.buf.Write(p)
}

func (w *countingWriter) snapshot() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String(), w.writes
}

// A burst of packets is written in a few large writes, not one system
// call per line, and nothing is lost.
func TestOutputBatched(t *testing.T) {
	w := &countingWriter{}
	tp, err := tap.New(w, tap.Options{Format: tap.Summary})
	if err != nil {
		t.Fatal(err)
	}
	s := tp.Open(clientAddr, serverAddr)
	s.FromClient(encode(t, &mqttwire.Connect{ClientID: "burst", CleanSession: true}, mqttwire.V311))
	const n = 5000
	pub := encode(t, &mqttwire.Publish{Topic: "a/b", Payload: []byte("x")}, mqttwire.V311)
	for range n {
		s.FromClient(pub)
	}
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	out, writes := w.snapshot()
	if lines := strings.Count(out, "\n"); lines != n+1 {
		t.Errorf("%d lines, want %d", lines, n+1)
	}
	// 5001 lines of about 90 bytes fill 64 KiB batches about seven times;
	// the flush timer may add a few writes on a slow machine.
	if writes > n/50 {
		t.Errorf("%d writes for %d packets, want batches", writes, n+1)
	}
}

// A packet shown on a quiet connection reaches the output without waiting
// for more packets or for Close.
func TestOutputFlushedWhenQuiet(t *testing.T) {
	w := &countingWriter{}
	tp, err := tap.New(w, tap.Options{Format: tap.Summary})
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	s := tp.Open(clientAddr, serverAddr)
	s.FromClient(encode(t, &mqttwire.Pingreq{}, mqttwire.V311))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if out, _ := w.snapshot(); strings.Contains(out, "Ping Request") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the packet was not written within 5s without Close")
		}
		time.Sleep(time.Millisecond)
	}
}
