package commands_test

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/internal/mochigate"
)

// waitFor bounds every wait in these tests.
const waitFor = 10 * time.Second

// testBroker is an in-process mochi broker on 127.0.0.1 with a hook that
// reports subscriptions, so tests know when a subscriber is ready.
type testBroker struct {
	srv    *mqtt.Server
	port   string // TCP (or TLS) listener
	wsPort string // WebSocket listener, when asked for
	hook   *subscribedHook
}

type brokerOptions struct {
	users     map[string]string // user → password; nil allows everyone
	tls       *tls.Config
	websocket bool
	// caps, if set, changes mochi's default capabilities.
	caps func(*mqtt.Capabilities)
	// denyWrite, if set, refuses the publishes it returns true for.
	denyWrite func(clientID, topic string) bool
}

type subscribedHook struct {
	mqtt.HookBase
	mu   sync.Mutex
	subs map[string]int // filter → subscriptions seen
	pubs map[string]int // topic → messages published to subscribers
	cond *sync.Cond
}

func (h *subscribedHook) ID() string { return "test-subscribed" }
func (h *subscribedHook) Provides(b byte) bool {
	return b == mqtt.OnSubscribed || b == mqtt.OnPublished
}

// OnPublished runs after mochi has handed a message to the subscribers,
// which it does only after acknowledging it to the publisher.
func (h *subscribedHook) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	h.mu.Lock()
	h.pubs[pk.TopicName]++
	h.cond.Broadcast()
	h.mu.Unlock()
}

func (h *subscribedHook) OnSubscribed(cl *mqtt.Client, pk packets.Packet, codes []byte) {
	h.mu.Lock()
	for _, f := range pk.Filters {
		h.subs[f.Filter]++
	}
	h.cond.Broadcast()
	h.mu.Unlock()
}

// authHook admits everyone (users nil) or the users with their password.
// (mochi's own auth hooks would pull in a YAML module just for tests.)
type authHook struct {
	mqtt.HookBase
	users     map[string]string
	denyWrite func(clientID, topic string) bool
}

func (h *authHook) ID() string { return "test-auth" }
func (h *authHook) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (h *authHook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	if h.users == nil {
		return true
	}
	pw, ok := h.users[string(pk.Connect.Username)]
	return ok && pw == string(pk.Connect.Password)
}

func (h *authHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	return !write || h.denyWrite == nil || !h.denyWrite(cl.ID, topic)
}

// waitSubscribed waits until filter has had n subscriptions in total.
func (b *testBroker) waitSubscribed(t *testing.T, filter string, n int) {
	t.Helper()
	b.waitHook(t, b.hook.subs, filter, n, "subscription to")
}

// waitPublished waits until n messages to topic have gone to the
// subscribers: a publisher's PUBACK comes before that.
func (b *testBroker) waitPublished(t *testing.T, topic string, n int) {
	t.Helper()
	b.waitHook(t, b.hook.pubs, topic, n, "message published to")
}

func (b *testBroker) waitHook(t *testing.T, counts map[string]int, key string, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	timer := time.AfterFunc(waitFor, func() { b.hook.mu.Lock(); b.hook.cond.Broadcast(); b.hook.mu.Unlock() })
	defer timer.Stop()
	b.hook.mu.Lock()
	defer b.hook.mu.Unlock()
	for counts[key] < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %s %q within %v", what, key, waitFor)
		}
		b.hook.cond.Wait()
	}
}

func startBroker(t *testing.T, o brokerOptions) *testBroker {
	t.Helper()
	opts := &mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if o.caps != nil {
		opts.Capabilities = mqtt.NewDefaultServerCapabilities()
		o.caps(opts.Capabilities)
	}
	srv := mqtt.New(opts)
	h := &subscribedHook{subs: map[string]int{}, pubs: map[string]int{}}
	h.cond = sync.NewCond(&h.mu)
	if err := srv.AddHook(h, nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddHook(&authHook{users: o.users, denyWrite: o.denyWrite}, nil); err != nil {
		t.Fatal(err)
	}
	// The listeners are opened here, on port 0, and pass a gate that lets
	// the clean-up close mochi without racing connections it is still
	// taking in (see internal/mochigate).
	gate := mochigate.New()
	listen := func(kind string) (net.Listener, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		if o.tls != nil {
			ln = tls.NewListener(ln, o.tls)
		}
		if err := srv.AddListener(broker.NewListener(kind, kind, ln, nil, gate)); err != nil {
			t.Fatal(err)
		}
		return ln, port
	}
	b := &testBroker{srv: srv, hook: h}
	_, b.port = listen("tcp")
	if o.websocket {
		_, b.wsPort = listen("ws")
	}
	if err := srv.Serve(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := gate.CloseServer(srv.Close, waitFor); err != nil {
			t.Error(err)
		}
	})
	return b
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// result is one in-process run of the CLI.
type result struct {
	code        int
	out, errOut string
}

// syncBuffer is a bytes.Buffer safe to read while a run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// clientSeq numbers the runs: runs in one test process share a pid, and
// so the default client id, and the broker would let each take over the
// last one's session.
var clientSeq atomic.Int64

// withClientID gives a connecting command a unique -i unless it has one.
func withClientID(args []string) []string {
	if len(args) == 0 {
		return args
	}
	for _, a := range args {
		if a == "-i" || a == "--id" || strings.HasPrefix(a, "--id=") || a == "-I" || a == "--id-prefix" {
			return args
		}
	}
	id := fmt.Sprintf("test-%d", clientSeq.Add(1))
	return append([]string{args[0], "-i", id}, args[1:]...)
}

// mqtap runs the CLI in-process with the given stdin.
func mqtap(stdin io.Reader, args ...string) result {
	args = withClientID(args)
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut syncBuffer
	code := commands.Run(append([]string{"mqtap"}, args...), commands.Stdio{In: stdin, Out: &out, Err: &errOut}, commands.BuildInfo{})
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// background runs the CLI in a goroutine; wait returns its result, failing
// the test if it does not end in time.
type bgRun struct {
	done chan result
	out  *syncBuffer
}

func background(stdin io.Reader, args ...string) *bgRun {
	args = withClientID(args)
	r := &bgRun{done: make(chan result, 1), out: &syncBuffer{}}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	go func() {
		var errOut syncBuffer
		code := commands.Run(append([]string{"mqtap"}, args...), commands.Stdio{In: stdin, Out: r.out, Err: &errOut}, commands.BuildInfo{})
		r.done <- result{code: code, out: r.out.String(), errOut: errOut.String()}
	}()
	return r
}

func (r *bgRun) wait(t *testing.T) result {
	t.Helper()
	select {
	case res := <-r.done:
		return res
	case <-time.After(waitFor):
		t.Fatalf("mqtap did not finish within %v; output so far: %q", waitFor, r.out.String())
		return result{}
	}
}

// waitOutput waits until the run's stdout contains s.
func (r *bgRun) waitOutput(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !strings.Contains(r.out.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("output never contained %q; got %q", s, r.out.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func expectCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, want, r.out, r.errOut)
	}
}
func ioPipe() (*io.PipeReader, *io.PipeWriter) { return io.Pipe() }

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
