package proxy_test

import (
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
)

// echoUpstream echoes every connection's bytes back.
func echoUpstream(b *testing.B) string {
	ln := listen(b)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// target is what a benchmark connects to: the upstream itself, or a proxy
// in front of it, with or without a tap showing summary lines.
func target(b *testing.B, upstream, via string) string {
	switch via {
	case "direct":
		return upstream
	case "proxy":
		addr, _ := startProxy(b, upstream, nil, 0)
		return addr
	}
	tp, err := tap.New(io.Discard, tap.Options{Format: tap.Summary})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tp.Close() })
	addr, _ := startProxy(b, upstream, tp, 0)
	return addr
}

var vias = []string{"direct", "proxy", "proxy+tap"}

// BenchmarkRoundTrip sends a 64-byte PUBLISH and waits for its echo, one
// at a time, and reports the p50 and p99 round trip: through the proxy
// the difference to "direct" is the latency the proxy adds (two extra
// loopback hops each way plus the forwarding).
func BenchmarkRoundTrip(b *testing.B) {
	msg, _ := (&mqttwire.Publish{Topic: "bench/rt", Payload: make([]byte, 64-13)}).Append(nil, mqttwire.V311)
	for _, via := range vias {
		b.Run(via, func(b *testing.B) {
			c, err := net.Dial("tcp", target(b, echoUpstream(b), via))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			buf := make([]byte, len(msg))
			rtts := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if _, err := c.Write(msg); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					b.Fatal(err)
				}
				rtts = append(rtts, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(rtts)
			b.ReportMetric(float64(rtts[len(rtts)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(rtts[len(rtts)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
}

// BenchmarkThroughput streams 1 KiB PUBLISH packets one way through the
// proxy to an upstream that discards them.
func BenchmarkThroughput(b *testing.B) {
	msg, _ := (&mqttwire.Publish{Topic: "bench/tp", Payload: make([]byte, 1024-13)}).Append(nil, mqttwire.V311)
	batch := make([]byte, 0, 64*len(msg))
	for range 64 {
		batch = append(batch, msg...)
	}
	for _, via := range vias {
		b.Run(via, func(b *testing.B) {
			ln := listen(b)
			got := make(chan int64, 1)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				n, _ := io.Copy(io.Discard, c)
				c.Close()
				got <- n
			}()
			c, err := net.Dial("tcp", target(b, ln.Addr().String(), via))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(msg)))
			b.ResetTimer()
			sent := 0
			for sent < b.N {
				n := min(64, b.N-sent)
				if _, err := c.Write(batch[:n*len(msg)]); err != nil {
					b.Fatal(err)
				}
				sent += n
			}
			c.(*net.TCPConn).CloseWrite()
			if n := <-got; n != int64(b.N*len(msg)) {
				b.Fatalf("upstream got %d bytes, want %d", n, b.N*len(msg))
			}
			c.Close()
		})
	}
}
