package transport

import (
	"context"
	"net"
	"testing"

	"github.com/mqtap/mqtap/internal/socks5test"
)

// BenchmarkDial opens a connection to a local listener directly and
// through the test SOCKS5 proxy (greeting, user/password, CONNECT): what
// --proxy adds to connecting.
func BenchmarkDial(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	proxy := (&socks5test.Server{Target: ln.Addr().String(), User: "u", Pass: "p"}).Start(b)
	e := Endpoint{Scheme: TCP, Host: "broker.example", Port: 1883}
	direct := Endpoint{Scheme: TCP, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	for _, c := range []struct {
		name string
		e    Endpoint
		o    Options
	}{
		{"direct", direct, Options{}},
		{"socks5", e, Options{Proxy: mustProxyURL(b, "socks5h://u:p@"+proxy)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				conn, err := Dial(context.Background(), c.e, c.o)
				if err != nil {
					b.Fatal(err)
				}
				conn.Close()
			}
		})
	}
}
