package commands_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/internal/socks5test"
)

// unixFront listens on a Unix socket in a temporary directory and relays
// each connection to the broker's TCP port.
func unixFront(t *testing.T, port string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mqtt.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", "127.0.0.1:"+port)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return path
}

// TestUnixSocket checks --unix: the session runs over the socket, whatever
// -h says.
func TestUnixSocket(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	sock := unixFront(t, b.port)
	res := mqtap(nil, "pub", "--unix", sock, "-h", "no.such.host.invalid", "-t", "unix/a", "-m", "x", "-q", "1", "-v")
	expectCode(t, res, 0)
	b.waitPublished(t, "unix/a", 1)
	if !strings.Contains(res.out, "Publish Ack (id=1)") {
		t.Errorf("no PUBACK shown:\n%s", res.out)
	}
	res = mqtap(nil, "pub", "--unix", filepath.Join(t.TempDir(), "none.sock"), "-t", "a", "-m", "x")
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "none.sock") {
		t.Errorf("error does not name the socket: %q", res.errOut)
	}
}

// TestBindAddress checks -A: the broker sees the connection come from the
// address given (127.0.0.2 is loopback on Linux, and not the default).
func TestBindAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	from := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		from <- c.RemoteAddr().(*net.TCPAddr).IP.String()
		c.Close()
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", port, "-A", "127.0.0.2", "--connect-timeout", "2s")
	select {
	case ip := <-from:
		if ip != "127.0.0.2" {
			t.Errorf("connection came from %s, want 127.0.0.2", ip)
		}
	case <-time.After(waitFor):
		t.Fatal("no connection")
	}
	// 192.0.2.1 (TEST-NET-1) is no host's own address.
	res := mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", port, "-A", "192.0.2.1")
	expectCode(t, res, commands.ExitConnect)
	if !strings.HasPrefix(res.errOut, "mqtap: bind to 192.0.2.1: ") {
		t.Errorf("stderr %q", res.errOut)
	}
	// The same over WebSocket, whose dial goes through the same dialer.
	res = mqtap(nil, "connect", "-q", "-L", "ws://127.0.0.1:"+port+"/mqtt", "-A", "192.0.2.1")
	expectCode(t, res, commands.ExitConnect)
	if !strings.HasPrefix(res.errOut, "mqtap: bind to 192.0.2.1: ") {
		t.Errorf("WebSocket: stderr %q", res.errOut)
	}
	res = mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", port, "-A", "no.such.host.invalid")
	expectCode(t, res, commands.ExitConnect)
	if !strings.HasPrefix(res.errOut, "mqtap: bind to no.such.host.invalid: ") {
		t.Errorf("stderr %q", res.errOut)
	}
}

// TestMosquittoClientFlags checks the rest of mosquitto_pub's and
// mosquitto_sub's flags that have no home elsewhere.
func TestMosquittoClientFlags(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	// -I: the prefix and the process id.
	res := mqtap(nil, "pub", "-p", b.port, "-I", "pre-", "-t", "f/i", "-m", "x", "-d", "--nodelay")
	expectCode(t, res, 0)
	if want := fmt.Sprintf("Client pre-%d sending CONNECT\n", os.Getpid()); !strings.HasPrefix(res.errOut, want) {
		t.Errorf("-I: %q, want %q first", res.errOut, want)
	}
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-I", "a", "-i", "b", "-t", "f/i", "-m", "x"), commands.ExitUsage)

	// --quiet: the exit status tells, nothing is printed.
	for _, cmd := range []string{"pub", "sub"} {
		res = mqtap(nil, cmd, "-h", "127.0.0.1", "-p", "1", "-t", "f/q", "-m", "x", "--quiet")
		if cmd == "sub" {
			res = mqtap(nil, cmd, "-h", "127.0.0.1", "-p", "1", "-t", "f/q", "--quiet")
		}
		expectCode(t, res, commands.ExitConnect)
		if res.errOut != "" || res.out != "" {
			t.Errorf("%s --quiet printed %q %q", cmd, res.out, res.errOut)
		}
	}

	// --repeat-delay in mosquitto's seconds.
	sub := background(nil, "sub", "-p", b.port, "-t", "f/rep", "-C", "3")
	b.waitSubscribed(t, "f/rep", 1)
	start := time.Now()
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "f/rep", "-m", "r", "--repeat", "3", "--repeat-delay", "0.1"), 0)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("--repeat 3 --repeat-delay 0.1 took %v", d)
	}
	if res := sub.wait(t); res.out != "r\nr\nr\n" {
		t.Errorf("--repeat: %q", res.out)
	}
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "f", "-m", "r", "--repeat", "2", "--repeat-delay", "-1"), commands.ExitUsage)

	// -x ∞ and -x 4294967295 mean a session that never expires.
	for _, x := range []string{"∞", "4294967295", "-1"} {
		res = mqtap(nil, "connect", "-p", b.port, "-V", "5", "-x", x)
		expectCode(t, res, 0)
		if !regexp.MustCompile(`Session Expiry Interval \(0x11\)\n +Value: 4294967295\n`).MatchString(res.out) {
			t.Errorf("-x %s:\n%s", x, res.out)
		}
	}
	expectCode(t, mqtap(nil, "connect", "-p", b.port, "-V", "5", "-x", "forever"), commands.ExitUsage)

	// mosquitto's OpenSSL-only flags are refused by name, in one line.
	for _, args := range [][]string{
		{"--keyform", "engine"}, {"--tls-engine", "pkcs11"}, {"--tls-engine-kpass-sha1", "00"},
		{"--psk", "0102", "--psk-identity", "me"}, {"--ciphers", "HIGH:!aNULL"}, {"--ciphers", "TLS_AES_128_GCM_SHA256"},
	} {
		res = mqtap(nil, append([]string{"pub", "-p", b.port, "-t", "f", "-m", "x"}, args...)...)
		expectCode(t, res, commands.ExitUsage)
		if strings.Count(res.errOut, "\n") != 1 || !strings.Contains(res.errOut, args[0]) {
			t.Errorf("%v: %q", args, res.errOut)
		}
	}
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "f", "-m", "x", "--keyform", "pem"), 0)
}

// TestSubRemoveRetained checks --remove-retained clears what it prints,
// and leaves what -T filters out.
func TestSubRemoveRetained(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	for _, topic := range []string{"rr/a", "rr/b", "rr/keep"} {
		expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", topic, "-m", topic, "-r", "-q", "1"), 0)
		b.waitPublished(t, topic, 1)
	}
	res := mqtap(nil, "sub", "-p", b.port, "-t", "rr/#", "-T", "rr/keep", "--remove-retained", "--retained-only", "-W", "5")
	// The broker passes our clearing message back as a live one, which
	// ends --retained-only (as with mosquitto_sub); the run still waits
	// for every clearing message's PUBACK.
	expectCode(t, res, 0)
	if res.out != "rr/a\nrr/b\n" && res.out != "rr/b\nrr/a\n" {
		t.Errorf("first pass printed %q", res.out)
	}
	res = mqtap(nil, "sub", "-p", b.port, "-t", "rr/#", "--retained-only", "-W", "1")
	if res.out != "rr/keep\n" {
		t.Errorf("left on the broker: %q, want only rr/keep", res.out)
	}
}

// TestSubRandomFilter checks --random-filter prints about the share asked
// and still counts every message toward -C.
func TestSubRandomFilter(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	sub := background(nil, "sub", "-p", b.port, "-t", "rf", "-C", "400", "--random-filter", "50")
	b.waitSubscribed(t, "rf", 1)
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "rf", "-m", "m", "--count", "400", "-q", "1"), 0)
	res := sub.wait(t)
	expectCode(t, res, 0)
	// Binomial(400, 0.5): outside 120..280 has probability below 1e-15.
	if n := strings.Count(res.out, "m\n"); n < 120 || n > 280 {
		t.Errorf("--random-filter 50 printed %d of 400", n)
	}
	for _, v := range []string{"0", "100.5", "half"} {
		expectCode(t, mqtap(nil, "sub", "-p", b.port, "-t", "rf", "--random-filter", v), commands.ExitUsage)
	}
}

// TestCiphers checks --ciphers against a TLS 1.2 server that allows one
// suite: OpenSSL's name for it connects, another suite does not.
func TestCiphers(t *testing.T) {
	pki := newPKI(t, "ciphers")
	cfg := pki.serverConfig(false)
	cfg.MaxVersion = tls.VersionTLS12
	cfg.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
	b := startBroker(t, brokerOptions{tls: cfg})
	base := []string{"connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--cafile", pki.caFile}
	expectCode(t, mqtap(nil, append(base, "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256")...), 0)
	expectCode(t, mqtap(nil, append(base, "--ciphers", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:ECDHE-ECDSA-CHACHA20-POLY1305")...), 0)
	res := mqtap(nil, append(base, "--ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384")...)
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "TLS handshake") {
		t.Errorf("stderr %q", res.errOut)
	}
}

// TestTLSSystemRoots checks --tls (and mosquitto's --tls-use-os-certs):
// TLS with the system's CA store, here pointed at the test CA through
// SSL_CERT_FILE. Go reads the store once per process, so this runs the
// binary.
func TestTLSSystemRoots(t *testing.T) {
	pki := newPKI(t, "system roots")
	b := startBroker(t, brokerOptions{tls: pki.serverConfig(false)})
	bin := mqtapBinary(t)
	for _, flag := range []string{"--tls", "--tls-use-os-certs"} {
		cmd := exec.Command(bin, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, flag)
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+pki.caFile, "SSL_CERT_DIR="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", flag, err, out)
		}
	}
	// Without the CA in the store the handshake fails: TLS was on.
	cmd := exec.Command(bin, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--tls")
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+filepath.Join(t.TempDir(), "none.pem"), "SSL_CERT_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != commands.ExitConnect || !strings.Contains(string(out), "TLS handshake") {
		t.Errorf("--tls with an empty store: %v\n%s", err, out)
	}
}

// TestSOCKSProxy checks --proxy: the broker's name reaches the proxy
// unresolved, with the credentials, and the session runs through it.
func TestSOCKSProxy(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	proxy := &socks5test.Server{Target: "127.0.0.1:" + b.port, User: "u", Pass: "p:w"}
	paddr := proxy.Start(t)
	res := mqtap(nil, "pub", "--proxy", "socks5h://u:p%3Aw@"+paddr, "-h", "broker.internal", "-p", "1883", "-t", "px", "-m", "x", "-q", "1")
	expectCode(t, res, 0)
	b.waitPublished(t, "px", 1)
	if r := proxy.Last(t); r.ATYP != 3 || r.Host != "broker.internal" || r.Port != 1883 || r.User != "u" || r.Pass != "p:w" {
		t.Errorf("proxy saw %+v", r)
	}
	res = mqtap(nil, "pub", "--proxy", "socks5h://u:wrong@"+paddr, "-h", "broker.internal", "-t", "px", "-m", "x")
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "SOCKS5 proxy "+paddr+": username/password rejected") {
		t.Errorf("stderr %q", res.errOut)
	}
	// A proxy that is not there is named as the one refusing.
	closed := "127.0.0.1:" + freePort(t)
	res = mqtap(nil, "pub", "--proxy", "socks5h://"+closed, "-h", "broker.internal", "-t", "px", "-m", "x")
	expectCode(t, res, commands.ExitConnect)
	if res.errOut != "mqtap: connect broker.internal:1883: SOCKS5 proxy "+closed+": connection refused\n" {
		t.Errorf("stderr %q", res.errOut)
	}
	for _, bad := range []string{"http://" + paddr, "socks5h://", "socks5h://h:0"} {
		res = mqtap(nil, "pub", "--proxy", bad, "-t", "px", "-m", "x")
		expectCode(t, res, commands.ExitUsage)
	}
	expectCode(t, mqtap(nil, "pub", "--proxy", "socks5h://"+paddr, "--unix", "/x", "-t", "px", "-m", "x"), commands.ExitUsage)
}

// TestSubRemoveRetainedRefused checks that a clearing message the broker
// refuses fails the run, naming the topic.
func TestSubRemoveRetainedRefused(t *testing.T) {
	b := startBroker(t, brokerOptions{denyWrite: func(id, topic string) bool { return id == "remover" }})
	expectCode(t, mqtap(nil, "pub", "-p", b.port, "-t", "rd/a", "-m", "kept", "-r", "-q", "1"), 0)
	b.waitPublished(t, "rd/a", 1)
	res := mqtap(nil, "sub", "-p", b.port, "-V", "5", "-i", "remover", "-t", "rd/#", "-C", "1", "--remove-retained")
	// Exit 1, as pub's for a refused message.
	if res.code != commands.ExitFailure || !strings.Contains(res.errOut, `--remove-retained: clearing "rd/a": PUBACK for packet 2: Not authorized (0x87)`) || res.out != "kept\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.out, res.errOut)
	}
}
