package commands

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
)

func TestWarnPlainPassword(t *testing.T) {
	const tcpWarn = "mqtap: warning: sending the password unencrypted to %s (plain TCP); use TLS: --cafile or mqtts://\n"
	const wsWarn = "mqtap: warning: sending the password unencrypted to %s (plain WebSocket); use TLS: wss://\n"
	cases := []struct {
		scheme   transport.Scheme
		host     string
		password bool
		want     string // format with the host, "" for no warning
	}{
		{transport.TCP, "localhost", true, ""},
		{transport.TCP, "LocalHost.", true, ""},
		{transport.TCP, "", true, ""},
		{transport.TCP, "127.0.0.1", true, ""},
		{transport.TCP, "127.0.0.2", true, ""},
		{transport.TCP, "127.255.255.254", true, ""},
		{transport.TCP, "::1", true, ""},
		{transport.TCP, "[::1]", true, ""},
		{transport.TCP, "::ffff:127.0.0.1", true, ""},
		{transport.TCP, "0.0.0.0", true, ""},
		{transport.TCP, "10.0.0.1", true, tcpWarn},
		{transport.TCP, "128.0.0.1", true, tcpWarn},
		{transport.TCP, "::2", true, tcpWarn},
		{transport.TCP, "fe80::1%eth0", true, tcpWarn},
		{transport.TCP, "example.com", true, tcpWarn},
		{transport.TCP, "localhost.example.com", true, tcpWarn},
		{transport.TCP, "127.0.0.1.example.com", true, tcpWarn},
		{transport.TCP, "example.com", false, ""}, // no password, nothing to warn about
		{transport.TLS, "example.com", true, ""},
		{transport.WS, "example.com", true, wsWarn},
		{transport.WS, "10.0.0.1", true, wsWarn},
		{transport.WS, "localhost", true, ""},
		{transport.WSS, "example.com", true, ""},
		{transport.WSS, "10.0.0.1", true, ""},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		warned := warnPlainPassword(&buf, transport.Endpoint{Scheme: c.scheme, Host: c.host}, c.password)
		want := ""
		if c.want != "" {
			want = strings.Replace(c.want, "%s", c.host, 1)
		}
		if buf.String() != want || warned != (want != "") {
			t.Errorf("%s://%s password %v: warned %v %q, want %q", c.scheme, c.host, c.password, warned, buf.String(), want)
		}
	}
	// A nil writer is silent.
	if warnPlainPassword(nil, transport.Endpoint{Scheme: transport.TCP, Host: "example.com"}, true) {
		t.Error("warned with no writer")
	}
}

// TestWarnPasswordOnce checks a run that opens its session again (a
// reconnect) warns once.
func TestWarnPasswordOnce(t *testing.T) {
	var buf bytes.Buffer
	s := &connSettings{warn: &buf, endpoint: transport.Endpoint{Scheme: transport.TCP, Host: "broker.example"}}
	s.connect = &mqttwire.Connect{PasswordFlag: true, Password: []byte("secret")}
	s.warnPassword()
	s.warnPassword()
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Errorf("%d warnings, want 1: %q", n, buf.String())
	}
}

// TestConnectLoopbackNoWarning runs connect with a password against a
// fake broker on 127.0.0.1: the password stays on this machine, so there
// is no warning. The -P flag, the environment and --password-file all
// give a password.
func TestConnectLoopbackNoWarning(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go acceptConnack(l)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	pwFile := t.TempDir() + "/pw"
	if err := os.WriteFile(pwFile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		env  string // MQTT_PASSWORD
		args []string
	}{
		{"flag", "", []string{"-h", "127.0.0.1", "-u", "u", "-P", "secret"}},
		{"env", "secret", []string{"-h", "127.0.0.1", "-u", "u"}},
		{"file", "", []string{"-h", "localhost", "-u", "u", "--password-file", pwFile}},
		{"url", "", []string{"-L", "mqtt://u:secret@127.0.0.1:" + port}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("MQTT_PASSWORD", c.env)
			}
			var out, errOut bytes.Buffer
			argv := append([]string{"mqtap", "connect", "-q", "-p", port, "--connect-timeout", "10s", "--timeout", "10s"}, c.args...)
			code := Run(argv, Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, BuildInfo{})
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), "accepted") {
				t.Errorf("stdout %q, want the connection accepted", out.String())
			}
			if errOut.String() != "" {
				t.Errorf("stderr %q, want nothing (no warning for a loopback host)", errOut.String())
			}
		})
	}
}

// acceptConnack is a broker that accepts every CONNECT of MQTT 3.1.1 and
// reads until the client goes.
func acceptConnack(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			r := bufio.NewReader(c)
			if _, err := r.ReadByte(); err != nil { // CONNECT
				return
			}
			n, shift := 0, 0
			for {
				b, err := r.ReadByte()
				if err != nil {
					return
				}
				n |= int(b&0x7F) << shift
				shift += 7
				if b&0x80 == 0 {
					break
				}
			}
			if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
				return
			}
			if _, err := c.Write([]byte{0x20, 0x02, 0x00, 0x00}); err != nil {
				return
			}
			io.Copy(io.Discard, r)
		}()
	}
}
