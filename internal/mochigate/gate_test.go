package mochigate_test

import (
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mqtap/mqtap/internal/mochigate"
)

// TestCloseWhileConnecting closes mochi while clients are still dialling
// it. Under -race, closing without the gate is reported as a data race on
// mochi's client WaitGroup; with it, every round is clean.
func TestCloseWhileConnecting(t *testing.T) {
	for round := 0; round < 20; round++ {
		srv := mqtt.New(&mqtt.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		g := mochigate.New()
		if err := srv.AddListener(listeners.NewNet("tcp", g.Listener(ln))); err != nil {
			t.Fatal(err)
		}
		if err := srv.Serve(); err != nil {
			t.Fatal(err)
		}
		// Clients keep dialling (and hanging up) until the listener is
		// gone, so connections arrive all through Shut and Close.
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; n < 1000; n++ {
					c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
					if err != nil {
						return
					}
					c.Write([]byte{0x10})
					c.Close()
				}
			}()
		}
		time.Sleep(time.Duration(round%4) * time.Millisecond)
		if !g.Shut(5 * time.Second) {
			t.Fatalf("round %d: admitted connections never reached the server", round)
		}
		srv.Close()
		wg.Wait()
	}
}

// TestShutRefuses: after Shut, Admit closes the connection and refuses it.
func TestShutRefuses(t *testing.T) {
	g := mochigate.New()
	a, b := net.Pipe()
	defer b.Close()
	ga, ok := g.Admit(a)
	if !ok {
		t.Fatal("open gate refused a connection")
	}
	done := make(chan bool, 1)
	go func() { done <- g.Shut(5 * time.Second) }()
	select {
	case <-done:
		t.Fatal("Shut returned before the admitted connection was used")
	case <-time.After(50 * time.Millisecond):
	}
	ga.Close()
	if !<-done {
		t.Fatal("Shut timed out after the connection was used")
	}
	c, d := net.Pipe()
	defer d.Close()
	if _, ok := g.Admit(c); ok {
		t.Fatal("shut gate admitted a connection")
	}
	if _, err := c.Write([]byte{1}); err == nil {
		t.Fatal("refused connection was left open")
	}
	if !g.Shut(time.Second) {
		t.Fatal("second Shut")
	}
}

// TestCloseServerEndsLostClients: a server whose Close waits for a client
// it never stops (mochi's lost client after a takeover race) is closed all
// the same: after the wait, the gate closes the connections still open,
// the client's read fails and Close returns. A Close that returns at once
// leaves the connections alone.
func TestCloseServerEndsLostClients(t *testing.T) {
	g := mochigate.New()
	a, b := net.Pipe()
	defer b.Close()
	ga, ok := g.Admit(a)
	if !ok {
		t.Fatal("open gate refused a connection")
	}
	clientDone := make(chan struct{})
	go func() { // the client's read loop, which nothing in the server stops
		defer close(clientDone)
		buf := make([]byte, 1)
		for {
			if _, err := ga.Read(buf); err != nil {
				return
			}
		}
	}()
	closeCalled := false
	start := time.Now()
	err := g.CloseServer(func() error {
		closeCalled = true
		<-clientDone // as mochi waits on its client WaitGroup
		return nil
	}, 100*time.Millisecond)
	if err != nil || !closeCalled {
		t.Fatalf("CloseServer: %v (close called: %v)", err, closeCalled)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("CloseServer took %v", d)
	}

	g2 := mochigate.New()
	c, d := net.Pipe()
	defer d.Close()
	gc, _ := g2.Admit(c)
	go d.Write([]byte{1}) // the connection is used
	gc.Read(make([]byte, 1))
	if err := g2.CloseServer(func() error { return nil }, time.Second); err != nil {
		t.Fatal(err)
	}
	d.SetWriteDeadline(time.Now().Add(time.Second))
	go gc.Read(make([]byte, 1))
	if _, err := d.Write([]byte{2}); err != nil {
		t.Errorf("a connection was closed although the server closed: %v", err)
	}
}

// A server that never closes, even with its connections gone, is reported.
func TestCloseServerTimesOut(t *testing.T) {
	g := mochigate.New()
	block := make(chan struct{})
	defer close(block)
	if err := g.CloseServer(func() error { <-block; return nil }, 20*time.Millisecond); err == nil {
		t.Error("CloseServer returned nil for a server that never closed")
	}
}
