//go:build interop

package commands_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// mosquittoTrace keeps the libmosquitto debug lines of a mosquitto_pub or
// mosquitto_sub -d output, which mixes them with the messages on stdout.
func mosquittoTrace(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Client ") || strings.HasPrefix(l, "Subscribed (") || strings.HasPrefix(l, "Received DISCONNECT") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestDebugTraceMatchesMosquittoPub runs the same publish with
// mosquitto_pub -d and mqtap pub -d against a real mosquitto: the trace
// lines (mqtap writes them on stderr) must be the same, word for word.
func TestDebugTraceMatchesMosquittoPub(t *testing.T) {
	m := startMosquitto(t, "allow_anonymous true")
	mosquittoPub := lookTool(t, "mosquitto_pub", "/usr/bin/mosquitto_pub")
	cases := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"v311-q0", []string{"-V", "311", "-q", "0", "-m", "hello"}, ""},
		{"v311-q1-retain", []string{"-V", "311", "-q", "1", "-r", "-m", "hello"}, ""},
		{"v311-q2", []string{"-V", "311", "-q", "2", "-m", "hello"}, ""},
		// mosquitto answers a v5 PUBLISH nobody subscribed to with reason
		// 0x10 (No matching subscribers): RC:16 in the trace.
		{"v5-q1", []string{"-V", "5", "-q", "1", "-m", "hello"}, ""},
		{"v5-q2", []string{"-V", "5", "-q", "2", "-m", "hello"}, ""},
		// libmosquitto numbers QoS 0 messages too.
		{"v311-q0-lines", []string{"-V", "311", "-q", "0", "-l"}, "a\nbb\nccc\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"-h", "127.0.0.1", "-p", m.port, "-i", "tracer", "-t", "trace/" + c.name, "-d"}, c.args...)
			cmd := exec.Command(mosquittoPub, args...)
			cmd.Stdin = strings.NewReader(c.stdin)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mosquitto_pub: %v\n%s", err, out)
			}
			res := mqtap(strings.NewReader(c.stdin), append([]string{"pub"}, args...)...)
			expectCode(t, res, 0)
			if want, got := mosquittoTrace(string(out)), strings.TrimSuffix(res.errOut, "\n"); got != want {
				t.Errorf("mqtap pub -d:\n%s\nmosquitto_pub -d:\n%s", got, want)
			}
		})
	}
}

// TestDebugTraceMatchesMosquittoSub subscribes to two topics with
// mosquitto_sub -d and with mqtap sub -d, sends each a QoS 1 and a QoS 2
// message, one after the other, and compares the traces.
func TestDebugTraceMatchesMosquittoSub(t *testing.T) {
	m := startMosquitto(t, "allow_anonymous true")
	mosquittoSub := lookTool(t, "mosquitto_sub", "/usr/bin/mosquitto_sub")
	stdbuf := lookTool(t, "stdbuf", "/usr/bin/stdbuf")
	for _, v := range []string{"311", "5"} {
		t.Run("V"+v, func(t *testing.T) {
			args := []string{"-h", "127.0.0.1", "-p", m.port, "-V", v, "-i", "subtracer", "-q", "2",
				"-t", "strace/a", "-t", "strace/b", "-C", "2", "-W", "20", "-d"}
			var want, got syncBuffer
			runSub := func(bin string, trace *syncBuffer) {
				t.Helper()
				cmd := exec.Command(bin, append([]string{"sub"}, args...)...)
				if bin == mosquittoSub {
					// Its trace goes to stdout through stdio, which holds
					// it back on a pipe unless told to flush each line.
					cmd = exec.Command(stdbuf, append([]string{"-oL", bin}, args...)...)
					cmd.Stdout = trace
				} else {
					cmd.Stderr = trace
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan error, 1)
				go func() { exited <- cmd.Wait() }()
				waitTrace := func(s string) {
					t.Helper()
					deadline := time.Now().Add(waitFor)
					for !strings.Contains(trace.String(), s) {
						if time.Now().After(deadline) {
							cmd.Process.Kill()
							t.Fatalf("%s: no %q in\n%s", bin, s, trace)
						}
						time.Sleep(10 * time.Millisecond)
					}
				}
				waitTrace("Subscribed (mid: 1)")
				expectCode(t, mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-t", "strace/a", "-m", "one", "-q", "1"), 0)
				waitTrace("PUBACK")
				expectCode(t, mqtap(nil, "pub", "-h", "127.0.0.1", "-p", m.port, "-t", "strace/b", "-m", "two", "-q", "2"), 0)
				select {
				case err := <-exited:
					if err != nil {
						t.Fatalf("%s: %v\n%s", bin, err, trace)
					}
				case <-time.After(waitFor):
					cmd.Process.Kill()
					t.Fatalf("%s did not exit after two messages:\n%s", bin, trace)
				}
			}
			runSub(mosquittoSub, &want)
			runSub(mqtapBinary(t), &got)
			if w, g := mosquittoTrace(want.String()), strings.TrimSuffix(got.String(), "\n"); g != w {
				t.Errorf("mqtap sub -d:\n%s\nmosquitto_sub -d:\n%s", g, w)
			}
		})
	}
}
