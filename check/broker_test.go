package check_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mqtap/mqtap/check"
	"github.com/mqtap/mqtap/internal/mochigate"
	"github.com/mqtap/mqtap/mqttwire"
)

// testTimeout is the per-check timeout in tests: long enough for a
// loaded CI machine, short enough that a check waiting for something a
// broken broker never sends fails quickly.
const testTimeout = 5 * time.Second

// mochiOptions shape an in-process broker.
type mochiOptions struct {
	caps  func(*mqtt.Capabilities)
	hooks []mqtt.Hook
	users map[string]string // nil: anyone
}

// startMochi runs a mochi broker on 127.0.0.1, port 0, until the test ends.
func startMochi(t *testing.T, o mochiOptions) (*mqtt.Server, string) {
	t.Helper()
	caps := mqtt.NewDefaultServerCapabilities()
	if o.caps != nil {
		o.caps(caps)
	}
	srv := mqtt.New(&mqtt.Options{InlineClient: true, Capabilities: caps,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.AddHook(&authHook{users: o.users}, nil); err != nil {
		t.Fatal(err)
	}
	for _, h := range o.hooks {
		if err := srv.AddHook(h, nil); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The gate lets the clean-up close mochi without racing connections
	// it is still taking in (see internal/mochigate).
	gate := mochigate.New()
	if err := srv.AddListener(listeners.NewNet("tcp", gate.Listener(ln))); err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := gate.CloseServer(srv.Close, testTimeout); err != nil {
			t.Error(err)
		}
	})
	return srv, ln.Addr().String()
}

// authHook admits everyone, or the listed users with their password.
type authHook struct {
	mqtt.HookBase
	users map[string]string
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
func (h *authHook) OnACLCheck(*mqtt.Client, string, bool) bool { return true }

// configFor is a run against addr over plain TCP.
func configFor(addr string) check.Config {
	return check.Config{
		Dial: func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		Broker:  addr,
		Timeout: testTimeout,
		Connect: mqttwire.Connect{KeepAlive: 30},
		// A search to 1 MiB is what users get; 64 KiB keeps -race quick.
		MaxPayload: 64 << 10,
	}
}

// runChecks runs the battery (or the named checks) and logs the table.
func runChecks(t *testing.T, cfg check.Config, only ...string) *check.Report {
	t.Helper()
	checks, err := check.Select(check.Checks(), only, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(context.Background(), cfg, checks)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var b strings.Builder
	check.WriteTable(&b, rep, false)
	t.Logf("\n%s", b.String())
	return rep
}

// result finds a check's result.
func result(t *testing.T, rep *check.Report, name string) check.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no result for %s", name)
	return check.Result{}
}
