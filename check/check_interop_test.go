//go:build interop

package check_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mqtap/mqtap/check"
	"github.com/mqtap/mqtap/mqttwire"
)

// startMosquitto runs a real mosquitto on a free 127.0.0.1 port with the
// extra configuration lines, until the test ends. A missing mosquitto is
// a failure: an interop run that tests nothing must not look green.
func startMosquitto(t *testing.T, extra ...string) string {
	t.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		bin = "/usr/sbin/mosquitto"
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("mosquitto not found (PATH or /usr/sbin/mosquitto): install it to run the interop tests")
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "mosquitto.conf")
	lines := append([]string{fmt.Sprintf("listener %d 127.0.0.1", port), "allow_anonymous true", "persistence false"}, extra...)
	if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "mosquitto.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", conf)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mosquitto: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logf.Name())
			t.Logf("mosquitto log:\n%s", log)
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return addr
		}
		select {
		case err := <-exited:
			t.Fatalf("mosquitto exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("mosquitto not listening on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInteropMosquitto(t *testing.T) {
	addr := startMosquitto(t)
	cfg := configFor(addr)
	cfg.MaxPayload = 1 << 20
	cfg.Bench, cfg.BenchDuration = true, time.Second
	rep := runChecks(t, cfg)
	for _, r := range rep.Results {
		if r.Status == check.Fail {
			t.Errorf("%s failed: %s", r.Name, r.Detail)
		}
	}
	// mosquitto offers everything the skips could be about except these.
	for _, r := range rep.Results {
		if r.Status == check.Skip && !strings.HasPrefix(r.Name, "connect/") && r.Name != "mqtt5/session-takeover" {
			t.Errorf("%s skipped: %s", r.Name, r.Detail)
		}
	}
}

func TestInteropMosquittoMaxQoS1(t *testing.T) {
	addr := startMosquitto(t, "max_qos 1")
	cfg := configFor(addr)
	rep := runChecks(t, cfg, "pubsub")
	if r := result(t, rep, "pubsub/qos2"); r.Status != check.Skip || !strings.Contains(r.Detail, "Maximum QoS 1") {
		t.Errorf("pubsub/qos2: %s %q, want a skip for CONNACK Maximum QoS 1", r.Status, r.Detail)
	}
	if rep.Failed() {
		t.Error("a check failed")
	}
	cfg.Require = []string{check.CapQoS2}
	rep = runChecks(t, cfg, "pubsub/qos2")
	if r := result(t, rep, "pubsub/qos2"); r.Status != check.Fail {
		t.Errorf("pubsub/qos2 under --require qos2: %s %q, want a failure", r.Status, r.Detail)
	}
}

// TestInteropMosquittoEachVersion runs the battery at 3.1 and 3.1.1 too:
// checks must not expect what an older CONNACK cannot say (3.1 has no
// Session Present flag, and mosquitto sends 0 there).
func TestInteropMosquittoEachVersion(t *testing.T) {
	addr := startMosquitto(t)
	for _, v := range []mqttwire.Version{mqttwire.V31, mqttwire.V311} {
		t.Run(v.String(), func(t *testing.T) {
			cfg := configFor(addr)
			cfg.Version = v
			rep := runChecks(t, cfg)
			for _, r := range rep.Results {
				if r.Status == check.Fail {
					t.Errorf("%s failed: %s", r.Name, r.Detail)
				}
			}
			if r := result(t, rep, "session/persistent"); r.Status != check.Pass {
				t.Errorf("session/persistent: %s %q, want a pass", r.Status, r.Detail)
			}
		})
	}
}

// mosquitto 2.0 closes a taken-over connection without DISCONNECT 0x8E:
// a skip, which --require takeover turns into a failure.
func TestInteropMosquittoTakeoverRequired(t *testing.T) {
	addr := startMosquitto(t)
	cfg := configFor(addr)
	rep := runChecks(t, cfg, "mqtt5/session-takeover")
	if r := result(t, rep, "mqtt5/session-takeover"); r.Status != check.Skip || r.Capability != check.CapTakeover {
		t.Fatalf("session-takeover: %s %q (capability %q), want a skip about %s", r.Status, r.Detail, r.Capability, check.CapTakeover)
	}
	cfg.Require = []string{check.CapTakeover}
	rep = runChecks(t, cfg, "mqtt5/session-takeover")
	if r := result(t, rep, "mqtt5/session-takeover"); r.Status != check.Fail || !strings.Contains(r.Detail, "required capability takeover") {
		t.Errorf("session-takeover under --require takeover: %s %q, want a failure", r.Status, r.Detail)
	}
}
