package transport

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in   string
		want Endpoint
		addr string
	}{
		{"mqtt://h", Endpoint{Scheme: TCP, Host: "h"}, "h:1883"},
		{"tcp://h:1884/t/x", Endpoint{Scheme: TCP, Host: "h", Port: 1884, Path: "/t/x"}, "h:1884"},
		{"mqtts://h", Endpoint{Scheme: TLS, Host: "h"}, "h:8883"},
		{"ssl://h:9", Endpoint{Scheme: TLS, Host: "h", Port: 9}, "h:9"},
		{"ws://h/mqtt", Endpoint{Scheme: WS, Host: "h", Path: "/mqtt"}, "h:80"},
		{"wss://[::1]:8084", Endpoint{Scheme: WSS, Host: "::1", Port: 8084}, "[::1]:8084"},
	}
	for _, c := range cases {
		got, err := ParseURL(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		got.User = nil
		if got != c.want || got.Addr() != c.addr {
			t.Errorf("%s: got %+v (%s), want %+v (%s)", c.in, got, got.Addr(), c.want, c.addr)
		}
	}
	u, err := ParseURL("mqtt://user:pa%3Ass@h")
	if p, _ := u.User.Password(); err != nil || u.User.Username() != "user" || p != "pa:ss" {
		t.Errorf("credentials: %v %v", u.User, err)
	}
	for _, bad := range []string{"http://h", "mqtt://", "mqtt://h:0", "mqtt://h:99999", "::"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestDialErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	_, err := Dial(ctx, Endpoint{Scheme: TCP, Host: "127.0.0.1", Port: port}, Options{})
	var de *DialError
	if !errors.As(err, &de) || de.Stage != StageConnect {
		t.Errorf("refused port: %v", err)
	}
	_, err = Dial(ctx, Endpoint{Scheme: TCP, Host: "no-such-host.invalid"}, Options{})
	if !errors.As(err, &de) || de.Stage != StageResolve {
		t.Errorf("unknown host: %v", err)
	}
	_, err = Dial(ctx, Endpoint{Scheme: TLS, Host: "127.0.0.1"}, Options{TLS: TLSOptions{CAFile: "/nonexistent"}})
	if !errors.As(err, &de) || de.Stage != StageConfig {
		t.Errorf("missing CA file: %v", err)
	}
	_, err = Dial(ctx, Endpoint{Scheme: TLS, Host: "127.0.0.1"}, Options{TLS: TLSOptions{MinVersion: "tlsv9"}})
	if !errors.As(err, &de) || de.Stage != StageConfig {
		t.Errorf("bad TLS version: %v", err)
	}
}

// TestWebSocketUpgradeRefused checks an HTTP server that does not upgrade
// is reported as a failed WebSocket upgrade.
func TestWebSocketUpgradeRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		c.Read(buf)
		c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	port := l.Addr().(*net.TCPAddr).Port
	_, err = Dial(ctx, Endpoint{Scheme: WS, Host: "127.0.0.1", Port: port}, Options{})
	var de *DialError
	if !errors.As(err, &de) || de.Stage != StageWebSocket {
		t.Fatalf("got %v, want a WebSocket upgrade DialError", err)
	}
	if want := "WebSocket upgrade at ws://127.0.0.1:"; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("message %q", err)
	}
}
