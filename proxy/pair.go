package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/mqtap/mqtap/tap"
)

// bufSize is each direction's read buffer: large enough that a burst of
// PUBLISHes moves in few system calls, small enough for thousands of
// connections.
const bufSize = 32 << 10

var bufPool = sync.Pool{New: func() any { return new([bufSize]byte) }}

// pair is one client connection and its upstream.
type pair struct {
	proxy    *Proxy
	client   net.Conn
	mu       sync.Mutex
	upstream net.Conn
	aborted  bool
	cancel   context.CancelFunc // stops the dial when the proxy closes
	closeAll sync.Once
}

func (pr *pair) run() {
	defer pr.proxy.remove(pr)
	cfg := &pr.proxy.cfg
	ctx, cancel := context.WithTimeout(context.Background(), cfg.DialTimeout)
	pr.mu.Lock()
	pr.cancel = cancel
	pr.mu.Unlock()
	up, err := cfg.Dial(ctx)
	cancel()
	if err != nil {
		pr.report(err)
		pr.client.Close()
		return
	}
	pr.mu.Lock()
	pr.upstream = up
	aborted := pr.aborted
	pr.mu.Unlock()
	if aborted {
		pr.close()
		return
	}
	s := cfg.Tap.Open(pr.client.RemoteAddr(), up.RemoteAddr())
	defer s.Close()

	done := make(chan error, 2)
	go func() { done <- pump(up, pr.client, s, true) }()
	go func() { done <- pump(pr.client, up, s, false) }()
	// The first side to finish: on a clean end (EOF), pass the half-close
	// on and let the other side finish within the grace period; on an
	// error, close both at once.
	err = <-done
	if err != nil {
		pr.report(err)
		pr.close()
	} else {
		t := time.AfterFunc(cfg.CloseGrace, pr.close)
		defer t.Stop()
	}
	if err := <-done; err != nil && !pr.closing() {
		pr.report(err)
	}
	pr.close()
}

// pump copies src to dst. Each chunk is staged with the tap before it is
// written (fixing its place in the conversation) and shown after, so the
// tap's work does not delay the bytes. A clean end of src half-closes dst,
// so the peer sees the end of the stream as it would without the proxy.
func pump(dst, src net.Conn, s *tap.Session, fromClient bool) error {
	buf := bufPool.Get().(*[bufSize]byte)
	defer bufPool.Put(buf)
	for {
		n, rerr := src.Read(buf[:])
		if n > 0 {
			t := s.Stage(fromClient, buf[:n])
			w, err := dst.Write(buf[:n])
			s.Sent(t, w) // what did not reach the peer is not shown
			s.Flush()
			if err != nil {
				return err
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return closeWrite(dst)
			}
			return rerr
		}
	}
}

// closeWrite half-closes c when its type can (TCP, TLS); otherwise
// (WebSocket) it closes c: the stream has no half-close.
func closeWrite(c net.Conn) error {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		if err := cw.CloseWrite(); err != nil && !quietClose(err) {
			return err
		}
		return nil
	}
	c.Close()
	return nil
}

// close closes both sides, once.
func (pr *pair) close() {
	pr.closeAll.Do(func() {
		pr.mu.Lock()
		pr.aborted = true
		up := pr.upstream
		pr.mu.Unlock()
		pr.client.Close()
		if up != nil {
			up.Close()
		}
	})
}

func (pr *pair) closing() bool {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.aborted
}

// abort closes the pair from outside (Proxy.Close), also while dialing.
func (pr *pair) abort() {
	pr.mu.Lock()
	dialing := pr.upstream == nil
	pr.aborted = true
	cancel := pr.cancel
	pr.mu.Unlock()
	if dialing {
		if cancel != nil {
			cancel()
		}
		pr.client.Close()
		return
	}
	pr.close()
}

func (pr *pair) report(err error) {
	if pr.proxy.cfg.OnError != nil && !quietClose(err) {
		pr.proxy.cfg.OnError(pr.client.RemoteAddr(), err)
	}
}

// quietClose is an error that only says the peer or we closed the
// connection: an ordinary way for an MQTT connection to end.
func quietClose(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOTCONN)
}
