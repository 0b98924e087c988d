//go:build interop

package commands_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
)

// mosquittoBroker is a real mosquitto on a free 127.0.0.1 port, configured
// by the test. These tests fail, not skip, without mosquitto: they exist
// to prove interoperability.
type mosquittoBroker struct {
	port string
	dir  string
}

func lookTool(t *testing.T, name string, fallback string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	t.Fatalf("%s is not installed; interop tests need it", name)
	return ""
}

// startMosquitto runs mosquitto with the listener lines given (the port
// line is added) and returns once it accepts connections.
func startMosquitto(t *testing.T, listenerConf ...string) *mosquittoBroker {
	t.Helper()
	bin := lookTool(t, "mosquitto", "/usr/sbin/mosquitto")
	dir := t.TempDir()
	port := freePort(t)
	conf := []string{"user root", "log_dest stderr", "listener " + port + " 127.0.0.1"}
	conf = append(conf, listenerConf...)
	confFile := filepath.Join(dir, "mosquitto.conf")
	writeFile(t, confFile, strings.Join(conf, "\n")+"\n")
	cmd := exec.Command(bin, "-c", confFile)
	logFile, _ := os.Create(filepath.Join(dir, "mosquitto.log"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mosquitto: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("mosquitto log:\n%s", b)
		}
	})
	waitListening(t, "127.0.0.1:"+port)
	return &mosquittoBroker{port: port, dir: dir}
}

// waitSubscribedTo publishes probes until a subscriber that prints them
// shows one: mosquitto has no hook to tell when a subscription is in.
func waitReady(t *testing.T, sub *bgRun, port, topic string, args ...string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !strings.Contains(sub.out.String(), "ready") {
		if time.Now().After(deadline) {
			t.Fatalf("subscriber on %s never ready", topic)
		}
		mqtap(nil, append([]string{"pub", "-h", "127.0.0.1", "-p", port, "-t", topic, "-m", "ready"}, args...)...)
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMosquittoVersionsAndQoS(t *testing.T) {
	m := startMosquitto(t, "allow_anonymous true")
	for _, v := range []string{"31", "311", "5"} {
		for q := 0; q <= 2; q++ {
			t.Run(fmt.Sprintf("V%s/q%d", v, q), func(t *testing.T) {
				topic := fmt.Sprintf("interop/%s/%d", v, q)
				sub := background(nil, "sub", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-q", strconv.Itoa(q), "-t", topic, "-t", topic+"/ready", "-v")
				waitReady(t, sub, m.port, topic+"/ready")
				res := mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-q", strconv.Itoa(q), "-t", topic, "-m", "n{{seq}}", "--count", "50")
				expectCode(t, res, 0)
				want := ""
				for i := 1; i <= 50; i++ {
					want += fmt.Sprintf("%s n%d\n", topic, i)
				}
				sub.waitOutput(t, want)
				// mosquitto_sub reads what mqtap publishes, and the reverse.
				mosqSub := exec.Command(lookTool(t, "mosquitto_sub", "/usr/bin/mosquitto_sub"), "-h", "127.0.0.1", "-p", m.port,
					"-V", map[string]string{"31": "mqttv31", "311": "mqttv311", "5": "mqttv5"}[v], "-q", strconv.Itoa(q), "-t", topic+"/x", "-C", "1", "-W", "10")
				out := &syncBuffer{}
				mosqSub.Stdout = out
				if err := mosqSub.Start(); err != nil {
					t.Fatal(err)
				}
				deadline := time.Now().Add(waitFor)
				for out.String() == "" && time.Now().Before(deadline) {
					mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-q", strconv.Itoa(q), "-t", topic+"/x", "-m", "to mosquitto_sub")
					time.Sleep(50 * time.Millisecond)
				}
				mosqSub.Wait()
				if out.String() != "to mosquitto_sub\n" {
					t.Errorf("mosquitto_sub got %q", out.String())
				}
			})
		}
	}
}

// TestMosquittoLines20k pipes 20000 lines through `pub -l` at QoS 1 and
// checks a subscriber receives every one, complete and in order.
func TestMosquittoLines20k(t *testing.T) {
	m := startMosquitto(t, "allow_anonymous true", "max_queued_messages 0")
	const n = 20000
	sub := background(nil, "sub", "-h", "127.0.0.1", "-p", m.port, "-q", "1", "-t", "lines", "-t", "lines/ready", "-v", "-R")
	waitReady(t, sub, m.port, "lines/ready")
	var in strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&in, "line %d of the stream, padded to look like a log line %s\n", i, strings.Repeat("x", i%50))
	}
	res := mqtap(strings.NewReader(in.String()), "pub", "-h", "127.0.0.1", "-p", m.port, "-q", "1", "-t", "lines", "-l")
	expectCode(t, res, 0)
	deadline := time.Now().Add(4 * waitFor)
	for strings.Count(sub.out.String(), "\nlines ") < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sc := bufio.NewScanner(strings.NewReader(sub.out.String()))
	i := 0
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "lines ")
		if !ok {
			continue // readiness probes
		}
		i++
		want := fmt.Sprintf("line %d of the stream, padded to look like a log line %s", i, strings.Repeat("x", i%50))
		if line != want {
			t.Fatalf("message %d: %q, want %q", i, line, want)
		}
	}
	if i != n {
		t.Fatalf("received %d of %d lines", i, n)
	}
}

func TestMosquittoCredentials(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "passwd")
	if out, err := exec.Command(lookTool(t, "mosquitto_passwd", "/usr/bin/mosquitto_passwd"), "-b", "-c", pwFile, "alice", "s3cret").CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_passwd: %v %s", err, out)
	}
	m := startMosquitto(t, "allow_anonymous false", "password_file "+pwFile)
	for _, v := range []string{"31", "311", "5"} {
		expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-u", "alice", "-P", "s3cret"), 0)
		res := mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-u", "alice", "-P", "wrong", "-t", "a", "-m", "x")
		expectCode(t, res, commands.ExitRefused)
		expectCode(t, mqtap(nil, "sub", "-h", "127.0.0.1", "-p", m.port, "-V", v, "-t", "a"), commands.ExitRefused)
	}
}

func TestMosquittoUnreachable(t *testing.T) {
	m := startMosquitto(t, "allow_anonymous true")
	_ = m
	res := mqtap(nil, "pub", "-h", "127.0.0.1", "-p", freePort(t), "-t", "a", "-m", "x")
	expectCode(t, res, commands.ExitConnect)
}

func TestMosquittoTLS(t *testing.T) {
	pki := newPKI(t, "interop")
	other := newPKI(t, "stranger")
	m := startMosquitto(t, "allow_anonymous true", "cafile "+pki.caFile, "certfile "+pki.serverCertFile, "keyfile "+pki.serverKeyFile)
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", m.port, "--cafile", pki.caFile), 0)
	expectCode(t, mqtap(nil, "connect", "-q", "-L", "mqtts://localhost:"+m.port, "--cafile", pki.caFile, "-V", "5"), 0)
	res := mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", m.port, "--cafile", other.caFile)
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "TLS handshake") {
		t.Errorf("unknown CA: %q", res.errOut)
	}
	// mosquitto_sub trusts what mqtap publishes over TLS.
	sub := background(nil, "sub", "-h", "127.0.0.1", "-p", m.port, "--cafile", pki.caFile, "-t", "t", "-t", "t/ready", "-v")
	waitReady(t, sub, m.port, "t/ready", "--cafile", pki.caFile)
}

func TestMosquittoMutualTLS(t *testing.T) {
	pki := newPKI(t, "interop mutual")
	m := startMosquitto(t, "allow_anonymous true", "cafile "+pki.caFile, "certfile "+pki.serverCertFile,
		"keyfile "+pki.serverKeyFile, "require_certificate true")
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", m.port, "--cafile", pki.caFile, "--cert", pki.clientCert, "--key", pki.clientKey), 0)
	res := mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", m.port, "--cafile", pki.caFile)
	expectCode(t, res, commands.ExitConnect)
}

// TestMosquittoPcapTshark checks a --write capture opens in tshark with
// the MQTT packets in it.
func TestMosquittoPcapTshark(t *testing.T) {
	tshark := lookTool(t, "tshark", "/usr/bin/tshark")
	m := startMosquitto(t, "allow_anonymous true")
	file := filepath.Join(t.TempDir(), "session.pcap")
	expectCode(t, mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-V", "5", "-t", "cap", "-m", "hello", "-q", "2", "--write", file), 0)
	out, err := exec.Command(tshark, "-r", file, "-d", "tcp.port=="+m.port+",mqtt").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	for _, want := range []string{"Connect Command", "Connect Ack", "Publish Message (id=1) [cap]", "Publish Received (id=1)", "Publish Release (id=1)", "Publish Complete (id=1)", "Disconnect Req"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tshark output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "Malformed") || strings.Contains(string(out), "TCP Previous segment") || strings.Contains(string(out), "Retransmission") {
		t.Errorf("tshark flags problems:\n%s", out)
	}
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listening: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
