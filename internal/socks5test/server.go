// Package socks5test is a minimal SOCKS5 proxy (RFC 1928, RFC 1929) for
// tests: it records what each client asked and connects every CONNECT to
// one target, so tests need no DNS or IPv6.
package socks5test

import (
	"bytes"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// ServeTCP runs handle for each connection to a listener on 127.0.0.1:0,
// at most 8 at a time, each bounded by a 5 s deadline. Cleanup closes the
// listener and every open connection, and waits for the handlers.
func ServeTCP(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		conns  = map[net.Conn]bool{}
		closed bool
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, 8)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			sem <- struct{}{}
			mu.Lock()
			if closed {
				mu.Unlock()
				c.Close()
				<-sem
				continue
			}
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer func() {
					c.Close()
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
					<-sem
					wg.Done()
				}()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		closed = true
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// Request is what the test proxy was asked.
type Request struct {
	Methods    []byte
	User, Pass string
	ATYP       byte
	Host       string
	Port       int
}

// Server is a minimal SOCKS5 proxy that connects every CONNECT to
// target, whatever address was asked for, so the tests need no DNS or
// IPv6, and reports each request on reqs.
type Server struct {
	Target     string
	User, Pass string // if User is set, require RFC 1929 authentication
	RefuseAll  bool   // answer every greeting with 0xFF
	Silent     bool   // read the greeting, then say nothing
	Rep        byte   // REP to answer CONNECT with
	BndATYP    byte   // ATYP of BND.ADDR in a success reply; 0 means IPv4
	reqs       chan Request
}

func (s *Server) Start(t testing.TB) string {
	s.reqs = make(chan Request, 16)
	return ServeTCP(t, s.serve)
}

// last waits for the request the proxy saw.
func (s *Server) Last(t testing.TB) Request {
	t.Helper()
	select {
	case r := <-s.reqs:
		return r
	case <-time.After(2 * time.Second):
		t.Fatal("proxy saw no request")
		return Request{}
	}
}

func (s *Server) serve(c net.Conn) {
	var r Request
	report := func() {
		select {
		case s.reqs <- r:
		default:
		}
	}
	// read fills n bytes; after a failed read it returns zeros and rerr says
	// why, so the steps below check rerr only where it matters.
	var rerr error
	read := func(n int) []byte {
		b := make([]byte, n)
		if rerr == nil {
			_, rerr = io.ReadFull(c, b)
		}
		return b
	}

	if read(1)[0] != 5 {
		return
	}
	r.Methods = read(int(read(1)[0]))
	if rerr != nil {
		return
	}
	if s.Silent {
		io.Copy(io.Discard, c)
		return
	}
	method := byte(0xFF)
	switch {
	case s.RefuseAll:
	case s.User != "" && bytes.IndexByte(r.Methods, 2) >= 0:
		method = 2
	case s.User == "" && bytes.IndexByte(r.Methods, 0) >= 0:
		method = 0
	}
	c.Write([]byte{5, method})
	if method == 0xFF {
		report()
		return
	}
	if method == 2 {
		if read(1)[0] != 1 {
			return
		}
		r.User = string(read(int(read(1)[0])))
		r.Pass = string(read(int(read(1)[0])))
		if rerr != nil {
			return
		}
		if r.User != s.User || r.Pass != s.Pass {
			report()
			c.Write([]byte{1, 1})
			return
		}
		c.Write([]byte{1, 0})
	}
	h := read(4) // VER CMD RSV ATYP
	if h[0] != 5 || h[1] != 1 {
		return
	}
	r.ATYP = h[3]
	switch r.ATYP {
	case 1:
		r.Host = netip.AddrFrom4([4]byte(read(4))).String()
	case 4:
		r.Host = netip.AddrFrom16([16]byte(read(16))).String()
	case 3:
		r.Host = string(read(int(read(1)[0])))
	default:
		return
	}
	p := read(2)
	if rerr != nil {
		return
	}
	r.Port = int(p[0])<<8 | int(p[1])
	report()
	if s.Rep != 0 {
		c.Write([]byte{5, s.Rep, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	tc, err := net.DialTimeout("tcp", s.Target, 2*time.Second)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	defer tc.Close()
	switch s.BndATYP {
	case 3:
		c.Write(append([]byte{5, 0, 0, 3, 13}, "proxy.example\x12\x34"...))
	case 4:
		c.Write(append(append([]byte{5, 0, 0, 4}, net.IPv6loopback...), 0x12, 0x34))
	default:
		c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0x12, 0x34})
	}
	done := make(chan struct{})
	go func() {
		io.Copy(tc, c)
		tc.Close()
		close(done)
	}()
	io.Copy(c, tc)
	c.Close()
	<-done
}
