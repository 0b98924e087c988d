//go:build interop

package commands_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/internal/tsharktest"
)

// These tests fail, never skip, when a tool is missing: they exist to
// prove that real clients, brokers and tshark agree with mqtap.

// tapTool finds a tool on PATH or at its usual place.
func tapTool(t *testing.T, name, fallback string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	t.Fatalf("%s is required for the interop tests", name)
	return ""
}

// freeLoopbackPort picks a port for a tool that cannot be told port 0.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// startTapMosquitto runs a real mosquitto on a free loopback port.
func startTapMosquitto(t *testing.T) string {
	t.Helper()
	bin := tapTool(t, "mosquitto", "/usr/sbin/mosquitto")
	port := freeLoopbackPort(t)
	conf := filepath.Join(t.TempDir(), "mosquitto.conf")
	if err := os.WriteFile(conf, []byte("listener "+port+" 127.0.0.1\nallow_anonymous true\npersistence false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", conf)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + port
	deadline := time.Now().Add(tapWait)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("mosquitto not listening on %s: %s", addr, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pubSubThrough runs mosquitto_sub (MQTT 5, QoS 1, one message) and
// mosquitto_pub (3.1.1, QoS 1) against addr: 12 packets in all.
func pubSubThrough(t *testing.T, run *tapCLI, addr string) {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	subBin := tapTool(t, "mosquitto_sub", "/usr/bin/mosquitto_sub")
	pubBin := tapTool(t, "mosquitto_pub", "/usr/bin/mosquitto_pub")
	sub := exec.Command(subBin, "-h", host, "-p", port, "-t", "interop/#", "-q", "1", "-C", "1", "-W", "15", "-i", "isub", "-V", "mqttv5")
	var subOut, subErr bytes.Buffer
	sub.Stdout, sub.Stderr = &subOut, &subErr
	if err := sub.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(tapWait)
	for !strings.Contains(run.out.String(), "Subscribe Ack") {
		if time.Now().After(deadline) {
			t.Fatalf("no SUBACK seen: %s", run.out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	pub := exec.Command(pubBin, "-h", host, "-p", port, "-t", "interop/x", "-m", "hello", "-q", "1", "-i", "ipub", "-V", "mqttv311")
	if out, err := pub.CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub: %v: %s", err, out)
	}
	if err := sub.Wait(); err != nil {
		t.Fatalf("mosquitto_sub: %v: %s", err, subErr.String())
	}
	if subOut.String() != "hello\n" {
		t.Fatalf("mosquitto_sub printed %q", subOut.String())
	}
}

// TestProxyMosquittoInterop: mosquitto_pub and mosquitto_sub through
// `mqtap proxy` to a real mosquitto; the message arrives and every packet
// is shown with its client id, none malformed.
func TestProxyMosquittoInterop(t *testing.T) {
	upstream := startTapMosquitto(t)
	run := startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "-c", "12", "--duration", "60s")
	pubSubThrough(t, run, run.addr(t))
	out := run.wait(t)
	for _, want := range []string{" isub ", " ipub ", "Subscribe Request", "Publish Message (id=1) [interop/x]", "Publish Ack (id=1)", "Disconnect Req"} {
		if !strings.Contains(out, want) {
			t.Errorf("proxy output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Malformed") || strings.Count(out, "\n") != 12 {
		t.Errorf("want 12 well-formed packets:\n%s", out)
	}
}

// TestBrokerPcapTshark: the pcap `mqtap broker --write` records of
// mosquitto clients dissects in tshark without errors.
func TestBrokerPcapTshark(t *testing.T) {
	pcap := filepath.Join(t.TempDir(), "broker.pcap")
	run := startTapCLI("broker", "--listen", "127.0.0.1:0", "-w", pcap, "-c", "12", "--duration", "60s")
	addr := run.addr(t)
	pubSubThrough(t, run, addr)
	run.wait(t)
	_, port, _ := net.SplitHostPort(addr)
	tshark := func(args ...string) string {
		return string(tsharktest.RunClean(t, append([]string{"-r", pcap, "-d", "tcp.port==" + port + ",mqtt"}, args...)...))
	}
	details := tshark("-V")
	if strings.Contains(details, "Malformed") || strings.Contains(details, "[Expert Info (Error") {
		t.Errorf("tshark found errors:\n%s", details)
	}
	types := strings.Fields(tshark("-Y", "mqtt", "-T", "fields", "-e", "mqtt.msgtype"))
	if len(types) < 12 {
		t.Errorf("tshark saw %d MQTT PDUs, want at least 12: %v", len(types), types)
	}
}
