package check

import (
	"context"
	"net"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// Config is what a run needs; the zero value of every field but Dial has
// a default.
type Config struct {
	// Dial opens a new network connection to the broker. Checks open many
	// connections, some at once.
	Dial func(ctx context.Context) (net.Conn, error)
	// Broker names the broker in reports (host:port).
	Broker string
	// Connect is the template for every CONNECT: credentials, keepalive
	// and connect properties. Checks set the version, client id, clean
	// session and will themselves.
	Connect mqttwire.Connect
	// Version is the protocol version of the checks that are not about a
	// version; 0 picks 5.0 when the broker speaks it, else 3.1.1.
	Version mqttwire.Version
	// Prefix is the root of every topic the checks use; it must end in
	// "/". Default: mqtap/check/<random>/.
	Prefix string
	// Timeout bounds each check (default 10s); slow checks add what they
	// wait on purpose (will delay, message expiry, the benchmark).
	Timeout time.Duration
	// MaxPayload is where the payload-size search stops (default 1 MiB).
	MaxPayload int
	// Bench adds the throughput checks, each publishing for BenchDuration
	// (default 3s).
	Bench         bool
	BenchDuration time.Duration
	// ExpectAuth says the broker must refuse wrong credentials.
	ExpectAuth bool
	// Only and Skip select checks by name or category.
	Only, Skip []string
	// Require lists capabilities whose absence fails the checks that need
	// them instead of skipping them.
	Require []string
	// Parallel bounds how many checks run at once (default 8).
	Parallel int
	// OnResult, if set, sees each result as it is decided, for progress.
	OnResult func(Result)
	// OnEvent, if set, sees every packet of every connection the checks
	// open, from many goroutines at once (a -d trace).
	OnEvent func(clientID string, e mqttwire.Event)
}

func (c Config) withDefaults(runID string) Config {
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = 1 << 20
	}
	if c.BenchDuration <= 0 {
		c.BenchDuration = 3 * time.Second
	}
	if c.Parallel <= 0 {
		c.Parallel = 8
	}
	if c.Prefix == "" {
		c.Prefix = "mqtap/check/" + runID + "/"
	}
	if c.Prefix[len(c.Prefix)-1] != '/' {
		c.Prefix += "/"
	}
	return c
}
