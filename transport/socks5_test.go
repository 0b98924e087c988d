package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/internal/socks5test"
)

// startEcho is the target: it sends back whatever it reads.
func startEcho(t *testing.T) string {
	return socks5test.ServeTCP(t, func(c net.Conn) { io.Copy(c, c) })
}

func forwardTCP(ctx context.Context, network, addr string) (net.Conn, error) {
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

func mustProxyURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := ParseProxyURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// checkEcho sends a message through c and expects exactly it back: any
// byte of a proxy reply left unread would come first.
func checkEcho(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	msg := []byte("\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c") // an MQTT CONNECT
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("echo: got %q, want %q", got, msg)
	}
}

func TestDialSOCKS5(t *testing.T) {
	echo := startEcho(t)
	_, echoPort, _ := net.SplitHostPort(echo)
	port, _ := strconv.Atoi(echoPort)

	type tc struct {
		name    string
		srv     socks5test.Server
		creds   string // user:pass@ in the proxy URL
		target  string // host for the target address, with the echo port
		wantErr string // "" for success
		want    socks5test.Request
	}
	cases := []tc{
		{name: "no auth, IPv4 target", target: "127.0.0.1",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 1, Host: "127.0.0.1"}},
		{name: "host name sent unresolved", target: "localhost",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 3, Host: "localhost"}},
		{name: "IPv6 target", target: "::1",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 4, Host: "::1"}},
		{name: "IPv4-mapped IPv6 target goes as IPv4", target: "::ffff:127.0.0.1",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 1, Host: "127.0.0.1"}},
		{name: "domain-name BND.ADDR consumed", srv: socks5test.Server{BndATYP: 3}, target: "127.0.0.1",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 1, Host: "127.0.0.1"}},
		{name: "IPv6 BND.ADDR consumed", srv: socks5test.Server{BndATYP: 4}, target: "127.0.0.1",
			want: socks5test.Request{Methods: []byte{0}, ATYP: 1, Host: "127.0.0.1"}},
		{name: "username/password", srv: socks5test.Server{User: "alice", Pass: "s3cr:t"},
			creds: "alice:s3cr%3At@", target: "broker.example",
			want: socks5test.Request{Methods: []byte{0, 2}, User: "alice", Pass: "s3cr:t", ATYP: 3, Host: "broker.example"}},
		{name: "user without password", srv: socks5test.Server{User: "bob"},
			creds: "bob@", target: "127.0.0.1",
			want: socks5test.Request{Methods: []byte{0, 2}, User: "bob", ATYP: 1, Host: "127.0.0.1"}},
		{name: "wrong password", srv: socks5test.Server{User: "alice", Pass: "s3cret"},
			creds: "alice:guess@", target: "127.0.0.1", wantErr: "username/password rejected",
			want: socks5test.Request{Methods: []byte{0, 2}, User: "alice", Pass: "guess"}},
		{name: "auth required, none given", srv: socks5test.Server{User: "alice", Pass: "s3cret"},
			target: "127.0.0.1", wantErr: "proxy requires authentication (no acceptable methods)",
			want: socks5test.Request{Methods: []byte{0}}},
		{name: "no acceptable methods", srv: socks5test.Server{RefuseAll: true},
			creds: "alice:s3cret@", target: "127.0.0.1", wantErr: "no acceptable methods",
			want: socks5test.Request{Methods: []byte{0, 2}}},
	}
	for rep := byte(1); rep <= 9; rep++ {
		meaning := "unassigned failure code"
		if int(rep) < len(socksReplies) {
			meaning = socksReplies[rep]
		}
		cases = append(cases, tc{
			name: fmt.Sprintf("reply %d", rep), srv: socks5test.Server{Rep: rep}, target: "127.0.0.1",
			wantErr: fmt.Sprintf("%s (reply %d)", meaning, rep),
			want:    socks5test.Request{Methods: []byte{0}, ATYP: 1, Host: "127.0.0.1"},
		})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := c.srv
			srv.Target = echo
			paddr := srv.Start(t)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			conn, err := dialSOCKS5(ctx, forwardTCP, mustProxyURL(t, "socks5h://"+c.creds+paddr),
				net.JoinHostPort(c.target, echoPort))
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				checkEcho(t, conn)
			} else {
				if err == nil {
					conn.Close()
					t.Fatalf("no error, want %q", c.wantErr)
				}
				if want := "SOCKS5 proxy " + paddr + ": "; !strings.HasPrefix(err.Error(), want) ||
					!strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %q, want %q...%q", err, want, c.wantErr)
				}
				t.Log(err)
			}
			got := srv.Last(t)
			if c.want.ATYP != 0 {
				c.want.Port = port
			}
			if !bytes.Equal(got.Methods, c.want.Methods) || got.User != c.want.User || got.Pass != c.want.Pass ||
				got.ATYP != c.want.ATYP || got.Host != c.want.Host || got.Port != c.want.Port {
				t.Errorf("proxy saw %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestSOCKS5BadProxy plays scripted answers that no correct proxy gives.
func TestSOCKS5BadProxy(t *testing.T) {
	cases := []struct {
		name, answer, wantErr string
	}{
		{"SOCKS4 server", "\x00\x5a", "not a SOCKS5 server (version 0 in reply)"},
		{"closes after greeting", "", "method selection reply truncated"},
		{"method not offered", "\x05\x01", "proxy chose authentication method 1, which was not offered"},
		{"auth reply truncated", "\x05\x02\x01", "authentication reply truncated"},
		{"CONNECT reply wrong version", "\x05\x00\x04\x00\x00\x01", "not a SOCKS5 server (version 4 in reply)"},
		{"CONNECT reply truncated in header", "\x05\x00\x05\x00", "CONNECT reply truncated"},
		{"CONNECT reply truncated in address", "\x05\x00\x05\x00\x00\x01\x7f\x00", "CONNECT reply truncated"},
		{"CONNECT reply truncated in name", "\x05\x00\x05\x00\x00\x03\x05ab", "CONNECT reply truncated"},
		{"CONNECT reply without port", "\x05\x00\x05\x00\x00\x04" + strings.Repeat("\x00", 16), "CONNECT reply truncated"},
		{"unknown address type", "\x05\x00\x05\x00\x00\x09", "unknown address type 9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paddr := socks5test.ServeTCP(t, func(conn net.Conn) {
				conn.Write([]byte(c.answer))
				// Half-close so the client reads all of answer then EOF,
				// and drain so closing sends no RST that could eat it.
				conn.(*net.TCPConn).CloseWrite()
				io.Copy(io.Discard, conn)
			})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			conn, err := dialSOCKS5(ctx, forwardTCP, mustProxyURL(t, "socks5h://u:p@"+paddr), "broker.example:1883")
			if err == nil {
				conn.Close()
				t.Fatalf("no error, want %q", c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %q, want %q", err, c.wantErr)
			}
			t.Log(err)
		})
	}
}

// TestSOCKS5Context checks a proxy that never answers cannot hold the
// dial past ctx, whether ctx ends by deadline or by cancel.
func TestSOCKS5Context(t *testing.T) {
	paddr := (&socks5test.Server{Silent: true}).Start(t)
	proxy := mustProxyURL(t, "socks5h://"+paddr)
	cases := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := c.ctx()
			defer cancel()
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				conn, err := dialSOCKS5(ctx, forwardTCP, proxy, "broker.example:1883")
				if conn != nil {
					conn.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, c.want) {
					t.Errorf("error %v, want %v", err, c.want)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("returned after %v", d)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("dialSOCKS5 still blocked 3 s after a 200 ms context")
			}
		})
	}
}

// TestSOCKS5DeadlineCleared checks that neither ctx's deadline nor its
// end reaches the returned connection.
func TestSOCKS5DeadlineCleared(t *testing.T) {
	srv := &socks5test.Server{Target: startEcho(t)}
	paddr := srv.Start(t)
	// Long enough for the handshake on a loaded machine: the test waits
	// for it to pass.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn, err := dialSOCKS5(ctx, forwardTCP, mustProxyURL(t, "socks5h://"+paddr), "127.0.0.1:1883")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	<-ctx.Done()
	time.Sleep(50 * time.Millisecond)
	// No SetDeadline here, as it would hide a stale one; the select
	// bounds the wait instead.
	errc := make(chan error, 1)
	go func() {
		msg := []byte("ping")
		if _, err := conn.Write(msg); err != nil {
			errc <- err
			return
		}
		_, err := io.ReadFull(conn, msg)
		errc <- err
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("conn after ctx ended: %v", err)
		}
	case <-time.After(2 * time.Second):
		conn.Close()
		<-errc
		t.Fatal("no echo within 2 s")
	}
}

func TestParseProxyURL(t *testing.T) {
	long := strings.Repeat("x", 256)
	good := []struct{ in, host, user, pass string }{
		{"socks5h://proxy", "proxy:1080", "", ""},
		{"socks5h://proxy:9050", "proxy:9050", "", ""},
		{"socks5://proxy/", "proxy:1080", "", ""},
		{"SOCKS5H://[::1]", "[::1]:1080", "", ""},
		{"socks5h://alice:s3cr%40t@10.0.0.1:1081", "10.0.0.1:1081", "alice", "s3cr@t"},
		{"socks5h://bob@proxy", "proxy:1080", "bob", ""},
		{"socks5h://" + long[:255] + ":" + long[:255] + "@proxy", "proxy:1080", long[:255], long[:255]},
	}
	for _, c := range good {
		u, err := ParseProxyURL(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var user, pass string
		if u.User != nil {
			user = u.User.Username()
			pass, _ = u.User.Password()
		}
		if u.Host != c.host || user != c.user || pass != c.pass {
			t.Errorf("%s: host %q user %q pass %q, want %q %q %q", c.in, u.Host, user, pass, c.host, c.user, c.pass)
		}
	}
	bad := []struct{ in, wantErr string }{
		{"http://proxy:3128", `scheme "http"`},
		{"socks4://proxy", `scheme "socks4"`},
		{"proxy:1080", `scheme "proxy"`},
		{"", `scheme ""`},
		{"socks5h://", "no host"},
		{"socks5h://:1080", "no host"},
		{"socks5h:proxy", "no host"},
		{"socks5h://proxy:0", `port "0"`},
		{"socks5h://proxy:65536", `port "65536"`},
		{"socks5h://u:secret@proxy:abc", "invalid port"},
		{"socks5h://proxy/path", "no path"},
		{"socks5h://:secret@proxy", "empty user name"},
		{"socks5h://" + long + "@proxy", "user name longer than 255 bytes"},
		{"socks5h://u:" + long + "@proxy", "password longer than 255 bytes"},
	}
	for _, c := range bad {
		_, err := ParseProxyURL(c.in)
		switch {
		case err == nil:
			t.Errorf("%q: no error", c.in)
		case !strings.Contains(err.Error(), c.wantErr):
			t.Errorf("%q: error %q, want %q", c.in, err, c.wantErr)
		case strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "\n"):
			t.Errorf("%q: error %q shows the password or is not one line", c.in, err)
		}
	}
}

// FuzzSOCKS5Reply feeds arbitrary bytes as the proxy's whole answer:
// dialSOCKS5 must return, promptly, an error or a conn, and a conn must
// read on with bytes the handshake did not consume.
func FuzzSOCKS5Reply(f *testing.F) {
	for _, s := range []string{
		"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x07\x5b",
		"\x05\x02\x01\x00\x05\x00\x00\x03\x04host\x07\x5bMQTT",
		"\x05\x00\x05\x00\x00\x04" + strings.Repeat("\x00", 18) + "\x20\x02\x00\x00",
		"\x05\x02\x01\x01",
		"\x05\xff",
		"\x05\x00\x05\x05\x00\x01",
		"\x05\x00\x05\x00\x00\x03\xff",
		"\x05\x00\x05\x00\x00\x03\x00\x07\x5b",
		"\x04\x5a",
		"",
	} {
		f.Add([]byte(s))
	}
	proxy := &url.URL{Scheme: "socks5h", Host: "proxy:1080", User: url.UserPassword("u", "p")}
	f.Fuzz(func(t *testing.T, answer []byte) {
		client, server := net.Pipe()
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // the proxy's ears: take whatever the client sends
			defer wg.Done()
			io.Copy(io.Discard, server)
		}()
		go func() {
			defer wg.Done()
			server.Write(answer)
			server.Close()
		}()
		defer wg.Wait()

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		forward := func(context.Context, string, string) (net.Conn, error) { return client, nil }
		start := time.Now()
		conn, err := dialSOCKS5(ctx, forward, proxy, "broker.example:1883")
		if d := time.Since(start); d > time.Second {
			t.Fatalf("dialSOCKS5 took %v", d)
		}
		if (conn == nil) == (err == nil) {
			t.Fatalf("conn %v and error %v", conn, err)
		}
		if err != nil {
			client.Close()
			return
		}
		defer conn.Close()
		// The shortest answer is a method choice and a reply whose
		// BND.ADDR is an empty domain name: 2+4+1+2 bytes.
		const minAnswer = 9
		if len(answer) < minAnswer || answer[0] != 5 {
			t.Fatalf("accepted %q", answer)
		}
		conn.SetReadDeadline(time.Now().Add(time.Second))
		rest, err := io.ReadAll(conn)
		if err != nil {
			t.Fatalf("reading on: %v", err)
		}
		if !bytes.HasSuffix(answer, rest) || len(answer)-len(rest) < minAnswer {
			t.Fatalf("answer %q: handshake left %q", answer, rest)
		}
	})
}
