package commands_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// Signals and peak memory need a real process: these tests run the mqtap
// binary, built once per test binary.

// builtBinary is the mqtap binary the subprocess tests run.
var builtBinary struct {
	once      sync.Once
	dir, path string
	err       error
}

// mqtapBinary builds mqtap (the module root is the parent of this package)
// on first use and returns its path; TestMain removes it.
func mqtapBinary(t *testing.T) string {
	t.Helper()
	builtBinary.once.Do(func() {
		// go test puts its own GOROOT/bin first on the PATH.
		goCmd, err := exec.LookPath("go")
		if err != nil {
			builtBinary.err = err
			return
		}
		dir, err := os.MkdirTemp("", "mqtap-test-bin-")
		if err != nil {
			builtBinary.err = err
			return
		}
		builtBinary.dir = dir
		path := filepath.Join(dir, "mqtap")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goCmd, "build", "-o", path, ".")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			builtBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		builtBinary.path = path
	})
	if builtBinary.err != nil {
		t.Fatalf("building mqtap: %v", builtBinary.err)
	}
	return builtBinary.path
}

// TestMain removes the binary the subprocess tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBinary.dir != "" {
		os.RemoveAll(builtBinary.dir)
	}
	os.Exit(code)
}

// proc is one mqtap subprocess.
type proc struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser // nil unless asked for
	stdout, stderr *syncBuffer
	done           chan struct{} // closed when the process has been waited for
	hwm            atomic.Int64  // peak RSS seen in /proc (bytes)
}

// startMqtap runs the mqtap binary with args (a unique client id added);
// withStdin gives it a pipe for stdin, else stdin is empty. The clean-up
// kills a process still running.
func startMqtap(t *testing.T, withStdin bool, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(mqtapBinary(t), withClientID(args)...),
		stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if withStdin {
		w, err := p.cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		p.stdin = w
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait() // the exit status is in cmd.ProcessState
		close(p.done)
	}()
	go p.watchHWM()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			select {
			case <-p.done:
			case <-time.After(waitFor):
				t.Errorf("mqtap (pid %d) did not end after SIGKILL", p.cmd.Process.Pid)
			}
		}
	})
	return p
}

func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("sending %v: %v", sig, err)
	}
}

// wait waits at most within for the process to end by itself and returns
// its exit code; a process still running then is killed and fails the test.
func (p *proc) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("mqtap did not exit within %v\nstdout: %s\nstderr: %s", within, p.stdout, p.stderr)
	}
	st := p.cmd.ProcessState
	if !st.Exited() {
		t.Fatalf("mqtap did not exit by itself: %v\nstderr: %s", st, p.stderr)
	}
	return st.ExitCode()
}

// peakRSS is the process's peak resident set size in bytes, as last read
// from /proc while it ran. (rusage's ru_maxrss is no use here: it counts
// the test process's pages from before the exec, over 100 MiB under
// -race.)
func (p *proc) peakRSS(t *testing.T) int64 {
	t.Helper()
	hwm := p.hwm.Load()
	if hwm == 0 {
		t.Fatal("never read the process's VmHWM")
	}
	return hwm
}

// watchHWM reads VmHWM (the peak RSS, which only grows) every 10ms until
// the process ends, once the exec has happened (its Name is mqtap).
func (p *proc) watchHWM() {
	path := fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid)
	for {
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), "Name:\tmqtap\n") {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var kb int64
					fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
					if kb*1024 > p.hwm.Load() {
						p.hwm.Store(kb * 1024)
					}
				}
			}
		}
		select {
		case <-p.done:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// pubSummary is what pub's summary on stderr says.
type pubSummary struct {
	published                                       int
	sent, acked, refused, resent, reconnects, unack int
}

var (
	publishedLine = regexp.MustCompile(`(?m)^published (\d+) messages, `)
	deliveryLine  = regexp.MustCompile(`(?m)^delivery: sent (\d+), acknowledged (\d+), refused (\d+), resent (\d+) \((\d+) reconnects\), not acknowledged (\d+)$`)
)

func parsePubSummary(t *testing.T, stderr string) pubSummary {
	t.Helper()
	pm := publishedLine.FindStringSubmatch(stderr)
	dm := deliveryLine.FindStringSubmatch(stderr)
	if pm == nil || dm == nil {
		t.Fatalf("no summary (published and delivery lines) on stderr:\n%s", stderr)
	}
	n := func(s string) int {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return pubSummary{published: n(pm[1]), sent: n(dm[1]), acked: n(dm[2]), refused: n(dm[3]),
		resent: n(dm[4]), reconnects: n(dm[5]), unack: n(dm[6])}
}

// writeLines writes numbered lines to w as fast as it takes them until a
// write fails (the process has ended and its stdin is closed).
func writeLines(w io.Writer) {
	bw := bufio.NewWriterSize(w, 4<<10)
	for i := 1; ; i++ {
		fmt.Fprintf(bw, "line-%d\n", i)
		if bw.Buffered() >= 2<<10 {
			if err := bw.Flush(); err != nil {
				return
			}
		}
	}
}

// A SIGTERM in the middle of a -l stream stops the input, waits for the
// acknowledgements of what was sent, disconnects and exits 0 with a summary
// whose numbers account for every message.
func TestSigtermAccountsForEverything(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	got := countOnBroker(t, b, "sig/t", 1)
	p := startMqtap(t, true, "pub", "-h", "127.0.0.1", "-p", b.port, "-t", "sig/t", "-q", "1", "-l")
	go writeLines(p.stdin)

	// Signal in full flow: the window (and the backlog behind it) is full
	// while the input runs ahead of the broker's acknowledgements.
	deadline := time.Now().Add(waitFor)
	var atSignal int
	for {
		got.mu.Lock()
		atSignal = got.total
		got.mu.Unlock()
		if atSignal >= 2000 {
			break
		}
		select {
		case <-p.done:
			t.Fatalf("mqtap ended before the signal\nstderr: %s", p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broker received %d messages within %v\nstderr: %s", atSignal, waitFor, p.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.signal(t, syscall.SIGTERM)
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0\nstderr: %s", code, p.stderr)
	}
	stderr := p.stderr.String()
	s := parsePubSummary(t, stderr)
	// What pub sent beyond what the broker had passed on at the signal was
	// in flight then, or waiting for the window.
	t.Logf("broker had %d at the signal; summary: %s", atSignal, strings.ReplaceAll(strings.TrimSpace(stderr), "\n", " | "))
	if s.published != s.sent {
		t.Errorf("published %d messages but delivery says sent %d", s.published, s.sent)
	}
	if s.sent != s.acked+s.refused+s.unack {
		t.Errorf("sent %d != acknowledged %d + refused %d + not acknowledged %d", s.sent, s.acked, s.refused, s.unack)
	}
	if s.unack != 0 || s.refused != 0 || s.reconnects != 0 {
		t.Errorf("want every message acknowledged on one connection: %+v", s)
	}
	if s.sent < atSignal {
		t.Errorf("sent %d, but the broker had %d before the signal", s.sent, atSignal)
	}
	// QoS 1 is at least once: the broker passed on every acknowledged
	// message (it acknowledges before passing on, hence the wait), and
	// none that pub did not count as sent.
	got.waitDistinct(t, s.acked)
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.counts) > s.sent {
		t.Errorf("the broker received %d distinct messages, pub says it sent %d", len(got.counts), s.sent)
	}
	for payload := range got.counts {
		if n, err := strconv.Atoi(strings.TrimPrefix(payload, "line-")); err != nil || n < 1 || n > s.sent {
			t.Errorf("the broker received %q, not one of the first %d lines", payload, s.sent)
			break
		}
	}
}

// A signal ends pub -l while its stdin is open but quiet: neither signal
// may wait for a next line that might never come.
func TestSigtermWithQuietStdin(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	got := countOnBroker(t, b, "sig/quiet", 1)
	p := startMqtap(t, true, "pub", "-h", "127.0.0.1", "-p", b.port, "-t", "sig/quiet", "-q", "1", "-l")
	defer p.stdin.Close()
	if _, err := io.WriteString(p.stdin, "a\nb\nc\n"); err != nil {
		t.Fatal(err)
	}
	got.waitDistinct(t, 3)
	p.signal(t, syscall.SIGTERM)
	if code := p.wait(t, waitFor); code != 0 {
		t.Fatalf("exit code %d, want 0\nstderr: %s", code, p.stderr)
	}
	s := parsePubSummary(t, p.stderr.String())
	if want := (pubSummary{published: 3, sent: 3, acked: 3}); s != want {
		t.Errorf("summary %+v, want %+v\nstderr: %s", s, want, p.stderr)
	}
}

// silentServer is a server that accepts the connection and every PUBLISH
// and acknowledges none; it counts the PUBLISH packets read.
func silentServer(t *testing.T) (port string, published *atomic.Int32) {
	t.Helper()
	published = &atomic.Int32{}
	port = fakeServer(t, func(c net.Conn) {
		r := mqttwire.NewReader(c, 0)
		if _, _, err := r.Next(); err != nil { // CONNECT
			return
		}
		ack, _ := mqttwire.Encode(&mqttwire.Connack{}, r.Version)
		if _, err := c.Write(ack); err != nil {
			return
		}
		for {
			p, _, err := r.Next()
			if err != nil {
				return // the client closed, or the test's deadline passed
			}
			if _, ok := p.(*mqttwire.Publish); ok {
				published.Add(1)
			}
		}
	})
	return port, published
}

// startUnacked runs pub of 5 QoS 1 messages against a server that never
// acknowledges them and waits until the server has read all 5.
func startUnacked(t *testing.T, grace string) *proc {
	t.Helper()
	port, published := silentServer(t)
	p := startMqtap(t, false, "pub", "-h", "127.0.0.1", "-p", port, "-t", "sig/t", "-q", "1",
		"--count", "5", "-m", "x", "--grace", grace, "--timeout", "60s")
	deadline := time.Now().Add(waitFor)
	for published.Load() < 5 {
		select {
		case <-p.done:
			t.Fatalf("mqtap ended before sending 5 messages\nstderr: %s", p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server read %d of 5 PUBLISH packets within %v\nstderr: %s", published.Load(), waitFor, p.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return p
}

func checkUnackedSummary(t *testing.T, stderr string) {
	t.Helper()
	s := parsePubSummary(t, stderr)
	want := pubSummary{published: 5, sent: 5, unack: 5}
	if s != want {
		t.Errorf("summary %+v, want %+v\nstderr: %s", s, want, stderr)
	}
	if !strings.Contains(stderr, "5 of 5 messages not acknowledged") {
		t.Errorf("stderr does not say 5 of 5 messages not acknowledged:\n%s", stderr)
	}
}

// A second signal ends the wait for acknowledgements at once, well before
// --grace.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	p := startUnacked(t, "30s")
	p.signal(t, syscall.SIGINT)
	// Not needed for correctness (signals arrive in order), but lets the
	// first be handled on its own, as a user's two Ctrl-Cs would be.
	time.Sleep(100 * time.Millisecond)
	p.signal(t, syscall.SIGINT)
	if code := p.wait(t, waitFor); code != 6 {
		t.Fatalf("exit code %d, want 6\nstderr: %s", code, p.stderr)
	}
	stderr := p.stderr.String()
	if !strings.Contains(stderr, "interrupted twice") {
		t.Errorf("stderr does not say interrupted twice:\n%s", stderr)
	}
	checkUnackedSummary(t, stderr)
}

// One signal waits --grace for the acknowledgements, then gives up on them.
func TestSigintGraceExpires(t *testing.T) {
	p := startUnacked(t, "300ms")
	p.signal(t, syscall.SIGINT)
	if code := p.wait(t, waitFor); code != 6 {
		t.Fatalf("exit code %d, want 6\nstderr: %s", code, p.stderr)
	}
	stderr := p.stderr.String()
	if strings.Contains(stderr, "interrupted twice") {
		t.Errorf("one signal, but stderr says interrupted twice:\n%s", stderr)
	}
	checkUnackedSummary(t, stderr)
}
