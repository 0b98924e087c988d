package proxy_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/proxy"
	"github.com/mqtap/mqtap/tap"
)

// waitFor bounds every wait in these tests.
const waitFor = 20 * time.Second

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// startProxy runs a proxy to upstream on a loopback port.
func startProxy(t testing.TB, upstream string, tp *tap.Tap, grace time.Duration) (string, *proxy.Proxy) {
	t.Helper()
	p := proxy.New(proxy.Config{
		Dial: func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", upstream)
		},
		Tap:        tp,
		CloseGrace: grace,
	})
	ln := listen(t)
	go p.Serve(ln)
	t.Cleanup(func() { p.Close() })
	return ln.Addr().String(), p
}

// stream is size deterministic bytes from seed: random bytes, or MQTT
// PUBLISH packets of random sizes (so the tap frames and dissects them).
func stream(seed uint64, size int, mqtt bool) []byte {
	rng := rand.New(rand.NewPCG(seed, 99))
	out := make([]byte, 0, size+70000)
	for len(out) < size {
		if !mqtt {
			out = binary.LittleEndian.AppendUint64(out, rng.Uint64())
			continue
		}
		payload := make([]byte, rng.IntN(3000))
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		b, _ := (&mqttwire.Publish{Topic: "t/x", QoS: 0, Payload: payload}).Append(out, mqttwire.V311)
		out = b
	}
	return out
}

// echoRandomServer answers each connection: it reads the client's 13-byte
// header (seed, MQTT-shaped or not, size), sends its own stream for seed+1, and
// reports the hash of everything it received once the client has closed
// its half.
type echoRandomServer struct {
	mu       sync.Mutex
	received map[uint64][32]byte
}

func (s *echoRandomServer) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go s.handle(c)
	}
}

func (s *echoRandomServer) handle(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitFor))
	var hdr [13]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return
	}
	seed := binary.LittleEndian.Uint64(hdr[:])
	size := int(binary.LittleEndian.Uint32(hdr[9:]))
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		writeChunked(c, stream(seed+1, size, hdr[8] == 1), seed)
		c.(*net.TCPConn).CloseWrite()
	}()
	defer func() { <-wrote }() // before Close: the stream must go out whole
	h := sha256.New()
	h.Write(hdr[:])
	if _, err := io.Copy(h, c); err != nil {
		return
	}
	s.mu.Lock()
	s.received[seed] = [32]byte(h.Sum(nil))
	s.mu.Unlock()
}

// writeChunked writes b in random-size pieces, as a real peer might.
func writeChunked(w io.Writer, b []byte, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	for len(b) > 0 {
		n := min(1+rng.IntN(20000), len(b))
		if _, err := w.Write(b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// TestForwardByteExact: many concurrent connections through a tapped
// proxy, each carrying its own long stream both ways at once; both ends
// receive exactly what the other sent, and every connection ends cleanly.
func TestForwardByteExact(t *testing.T) {
	conns, size, long := 200, 64<<10, 8<<20
	if raceEnabled {
		size, long = 8<<10, 1<<20
	}
	if testing.Short() {
		conns = 40
	}
	up := listen(t)
	srv := &echoRandomServer{received: map[uint64][32]byte{}}
	go srv.serve(up)
	tp, err := tap.New(io.Discard, tap.Options{Format: tap.Summary, Pcap: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	addr, p := startProxy(t, up.Addr().String(), tp, 0)

	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := exchange(addr, uint64(i)*2, size, i%2 == 0); err != nil {
				errs <- err
			}
		}()
	}
	// One long session too.
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := exchange(addr, 1_000_001, long, true); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	waitUntil(t, "connections to end", func() bool { return p.Active() == 0 })
	srv.mu.Lock()
	defer srv.mu.Unlock()
	check := func(seed uint64, size int, mqtt bool) {
		want := sha256.Sum256(append(header(seed, size, mqtt), stream(seed, size, mqtt)...))
		if srv.received[seed] != want {
			t.Errorf("seed %d: upstream received other bytes than the client sent", seed)
		}
	}
	for i := range conns {
		check(uint64(i)*2, size, i%2 == 0)
	}
	check(1_000_001, long, true)
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
}

func header(seed uint64, size int, mqtt bool) []byte {
	h := binary.LittleEndian.AppendUint64(nil, seed)
	if mqtt {
		h = append(h, 1)
	} else {
		h = append(h, 0)
	}
	return binary.LittleEndian.AppendUint32(h, uint32(size))
}

// exchange sends its stream and reads the server's at the same time, then
// checks what came back.
func exchange(addr string, seed uint64, size int, mqtt bool) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitFor))
	werr := make(chan error, 1)
	go func() {
		err := writeChunked(c, append(header(seed, size, mqtt), stream(seed, size, mqtt)...), seed)
		if err == nil {
			err = c.(*net.TCPConn).CloseWrite()
		}
		werr <- err
	}()
	h := sha256.New()
	var got bytes.Buffer
	if _, err := io.Copy(io.MultiWriter(h, &got), c); err != nil {
		return err
	}
	if err := <-werr; err != nil {
		return err
	}
	if want := stream(seed+1, size, mqtt); [32]byte(h.Sum(nil)) != sha256.Sum256(want) {
		i := 0
		for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
			i++
		}
		return fmt.Errorf("client received other bytes than the server sent: %d bytes, want %d, first difference at %d (mqtt %v)", got.Len(), len(want), i, mqtt)
	}
	return nil
}

func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCloseFromEitherSide: when one side closes, the other sees the end of
// the stream, and the proxy lets both connections go.
func TestCloseFromEitherSide(t *testing.T) {
	for _, clientCloses := range []bool{true, false} {
		name := "upstream closes"
		if clientCloses {
			name = "client closes"
		}
		t.Run(name, func(t *testing.T) {
			up := listen(t)
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := up.Accept(); err == nil {
					accepted <- c
				}
			}()
			addr, p := startProxy(t, up.Addr().String(), nil, 10*time.Second)
			client, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			var server net.Conn
			select {
			case server = <-accepted:
			case <-time.After(waitFor):
				t.Fatal("upstream never got the connection")
			}
			defer server.Close()
			closer, other := client, server
			if !clientCloses {
				closer, other = server, client
			}
			if _, err := closer.Write([]byte("bye")); err != nil {
				t.Fatal(err)
			}
			closer.Close()
			other.SetReadDeadline(time.Now().Add(waitFor))
			got, err := io.ReadAll(other)
			if err != nil || string(got) != "bye" {
				t.Fatalf("other side read %q, %v; want the last bytes, then EOF", got, err)
			}
			// A peer that then closes too (as MQTT peers do at EOF) ends the pair.
			other.Close()
			waitUntil(t, "the pair to close", func() bool { return p.Active() == 0 })
		})
	}
}

// TestGraceClosesBoth: a peer that ignores the other side's close is
// disconnected after the grace period.
func TestGraceClosesBoth(t *testing.T) {
	up := listen(t)
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := up.Accept(); err == nil {
			accepted <- c
		}
	}()
	addr, p := startProxy(t, up.Addr().String(), nil, 50*time.Millisecond)
	client, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	defer server.Close()
	client.Close()
	server.SetReadDeadline(time.Now().Add(waitFor))
	if _, err := io.ReadAll(server); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the pair to close", func() bool { return p.Active() == 0 })
}

// TestUpstreamRefused: a client whose upstream cannot be reached is
// disconnected and the reason reported.
func TestUpstreamRefused(t *testing.T) {
	dead := listen(t)
	deadAddr := dead.Addr().String()
	dead.Close()
	reported := make(chan error, 1)
	p := proxy.New(proxy.Config{
		Dial: func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", deadAddr)
		},
		OnError: func(_ net.Addr, err error) { reported <- err },
	})
	ln := listen(t)
	go p.Serve(ln)
	defer p.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(waitFor))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("read %d, %v; want the connection closed", n, err)
	}
	select {
	case err := <-reported:
		if err == nil {
			t.Fatal("nil error reported")
		}
	case <-time.After(waitFor):
		t.Fatal("no error reported")
	}
}

// TestProbe: Probe reports an upstream that refuses, gives up after
// DialTimeout on one that never answers, and closes the connection it
// opens to one that is up.
func TestProbe(t *testing.T) {
	dead := listen(t)
	deadAddr := dead.Addr().String()
	dead.Close()
	_, p := startProxy(t, deadAddr, nil, 0)
	if err := p.Probe(context.Background()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("refused upstream: %v", err)
	}

	hang := proxy.New(proxy.Config{
		Dial: func(ctx context.Context) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
		DialTimeout: 50 * time.Millisecond,
	})
	t0 := time.Now()
	if err := hang.Probe(context.Background()); !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > waitFor {
		t.Errorf("hung upstream: %v after %v", err, time.Since(t0))
	}

	up := listen(t)
	_, p = startProxy(t, up.Addr().String(), nil, 0)
	if err := p.Probe(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, err := up.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(waitFor))
	if n, err := c.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("probe connection: read %d, %v; want EOF", n, err)
	}
}
