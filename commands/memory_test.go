package commands_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/mqttwire"
)

const mib = 1 << 20

// pub -l streams: a million lines of input cost memory for the messages in
// flight, not for the input. (Holding it all would be 40 MB of payload
// alone, more with the per-message overhead.) At QoS 1 the window is raised
// to 1000 (the default for 3.1.1 is 20): more in flight, and a third faster.
func TestPubMillionLinesBoundedMemory(t *testing.T) {
	const lines = 1_000_000
	const bound = 100 * mib
	for _, qos := range []string{"0", "1"} {
		t.Run("qos"+qos, func(t *testing.T) {
			b := startBroker(t, brokerOptions{})
			p := startMqtap(t, true, "pub", "-h", "127.0.0.1", "-p", b.port, "-t", "mem/t", "-q", qos, "-l", "-M", "1000", "--summary")
			go func() {
				defer p.stdin.Close()
				w := bufio.NewWriterSize(p.stdin, 64<<10)
				for i := range lines {
					// 40 bytes with the newline.
					fmt.Fprintf(w, "mem-%08d-abcdefghijklmnopqrstuvwxyz0\n", i)
				}
				w.Flush()
			}()
			start := time.Now()
			if code := p.wait(t, 2*time.Minute); code != 0 {
				t.Fatalf("exit code %d, want 0\nstderr: %s", code, p.stderr)
			}
			rss := p.peakRSS(t)
			stderr := p.stderr.String()
			t.Logf("%d lines at QoS %s in %v, peak RSS %.1f MiB; %s", lines, qos,
				time.Since(start).Round(time.Millisecond), float64(rss)/mib, strings.ReplaceAll(strings.TrimSpace(stderr), "\n", " | "))
			if m := publishedLine.FindStringSubmatch(stderr); m == nil || m[1] != fmt.Sprint(lines) {
				t.Errorf("want all %d lines published; stderr: %s", lines, stderr)
			}
			if qos == "1" {
				if s := parsePubSummary(t, stderr); s.acked != lines {
					t.Errorf("%d of %d acknowledged", s.acked, lines)
				}
			}
			if rss > bound {
				t.Errorf("peak RSS %.1f MiB, want under %d MiB", float64(rss)/mib, bound/mib)
			}
		})
	}
}

// A PUBLISH claiming the largest remaining length (268435455) and then
// sending a few bytes must not make the client take the memory it claims.
func TestHugeRemainingLengthDoesNotAllocate(t *testing.T) {
	const bound = 64 * mib
	huge := []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x03, 'a', '/', 'b', 'x', 'y'}
	sent := make(chan struct{})
	release := make(chan struct{})
	port := fakeServer(t, func(c net.Conn) {
		r := mqttwire.NewReader(c, 0)
		if _, _, err := r.Next(); err != nil { // CONNECT
			return
		}
		b, _ := mqttwire.Encode(&mqttwire.Connack{}, r.Version)
		if _, err := c.Write(b); err != nil {
			return
		}
		p, _, err := r.Next()
		sub, ok := p.(*mqttwire.Subscribe)
		if err != nil || !ok {
			return
		}
		b, _ = mqttwire.Encode(&mqttwire.Suback{PacketID: sub.PacketID, ReasonCodes: []mqttwire.ReasonCode{0}}, r.Version)
		if _, err := c.Write(append(b, huge...)); err != nil {
			return
		}
		close(sent)
		// Hold the connection open while the client waits for the rest,
		// then end it mid-packet.
		select {
		case <-release:
		case <-time.After(waitFor):
		}
	})
	p := startMqtap(t, false, "sub", "-h", "127.0.0.1", "-p", port, "-t", "a/b", "--reconnect=false")
	select {
	case <-sent:
	case <-p.done:
		t.Fatalf("mqtap ended before the PUBLISH was sent\nstderr: %s", p.stderr)
	case <-time.After(waitFor):
		t.Fatalf("the server did not get to send the PUBLISH within %v\nstderr: %s", waitFor, p.stderr)
	}
	// For the log only: what the client holds while it waits for the rest
	// (VmData counts the address space it took, VmRSS what it touched).
	time.Sleep(200 * time.Millisecond)
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	var mem []string
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmRSS:") || strings.HasPrefix(l, "VmData:") {
			mem = append(mem, strings.Join(strings.Fields(l), " "))
		}
	}
	close(release)
	code := p.wait(t, waitFor)
	rss := p.peakRSS(t)
	t.Logf("exit %d, peak RSS %.1f MiB; while waiting for the body: %s; stderr: %s",
		code, float64(rss)/mib, strings.Join(mem, ", "), strings.TrimSpace(p.stderr.String()))
	if code != commands.ExitProtocol {
		t.Errorf("exit code %d, want %d\nstderr: %s", code, commands.ExitProtocol, p.stderr)
	}
	if rss > bound {
		t.Errorf("peak RSS %.1f MiB, want under %d MiB", float64(rss)/mib, bound/mib)
	}

	// The same bytes offline: decode shows the packet as far as it goes,
	// marks it malformed and exits 7 (a panic would end the test binary).
	// (mqtap() would add a client id, which decode has no flag for.)
	var out, errOut syncBuffer
	code = commands.Run([]string{"mqtap", "decode", "30ffffff7f0000"},
		commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
	if code != commands.ExitDecode || errOut.String() != "mqtap: 1 malformed packet\n" ||
		!strings.Contains(out.String(), "Msg Len: 268435455") || !strings.Contains(out.String(), "[Malformed Packet: MQTT]") {
		t.Errorf("decode: exit %d, want %d\nstdout: %s\nstderr: %s", code, commands.ExitDecode, &out, &errOut)
	}
}
