package check

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// T is what a check function works with: its topics, connections to the
// broker, what it measured, and the cleanups that undo what it left on
// the broker.
type T struct {
	run   *run
	check *Check

	mu       sync.Mutex
	notes    []string
	metrics  map[string]any
	cleanups []func(context.Context)
	clients  []*client
	// took, when set, is the check's time: a check that reports work
	// done before it ran (the version probes) times that work.
	took time.Duration
}

// Topic is a topic of this check's own, under the run's prefix, so
// checks running at once never see each other's messages.
func (t *T) Topic(levels ...string) string {
	return t.run.cfg.Prefix + t.check.Name + "/" + strings.Join(levels, "/")
}

// Version is the protocol version of checks not about a version.
func (t *T) Version() mqttwire.Version { return t.run.version }

// Cap is what the run found out about a capability.
func (t *T) Cap(name string) Capability { return t.run.caps[name] }

// Connack5 is the broker's 5.0 CONNACK from the probe, or nil.
func (t *T) Connack5() *mqttwire.Connack { return t.run.ack5 }

// Notef adds to the detail a passing check reports.
func (t *T) Notef(format string, args ...any) {
	t.mu.Lock()
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

// Metric records a measurement for the JSON report.
func (t *T) Metric(name string, v any) {
	t.mu.Lock()
	if t.metrics == nil {
		t.metrics = map[string]any{}
	}
	t.metrics[name] = v
	t.mu.Unlock()
}

// Took sets the time the check reports, for a check whose work was done
// before it ran.
func (t *T) Took(d time.Duration) {
	t.mu.Lock()
	t.took = d
	t.mu.Unlock()
}

// Cleanup registers f to run after the check, even a failed one, with a
// context of its own: undoing retained messages and sessions matters most
// when the check went wrong.
func (t *T) Cleanup(f func(ctx context.Context)) {
	t.mu.Lock()
	t.cleanups = append(t.cleanups, f)
	t.mu.Unlock()
}

// finish closes the check's connections and runs its cleanups, newest
// first.
func (t *T) finish(timeout time.Duration) {
	t.mu.Lock()
	clients, cleanups := t.clients, t.cleanups
	t.clients, t.cleanups = nil, nil
	t.mu.Unlock()
	for _, c := range clients {
		c.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i](ctx)
	}
}

// clearRetained removes the retained message on topic when the check
// ends (an empty retained message deletes it, MQTT 5.0 §3.3.1.3).
func (t *T) clearRetained(topic string) {
	t.Cleanup(func(ctx context.Context) {
		c, err := t.connectRaw(ctx, clientOptions{})
		if err != nil {
			return
		}
		defer c.Close()
		c.publish(ctx, &mqttwire.Publish{Topic: topic, Retain: true, QoS: 1})
		c.Disconnect(ctx, nil)
	})
}

// clearSession removes the persistent session of id when the check ends:
// a clean-session connection discards it (3.1.1 §3.1.2.4), and in 5.0 a
// Session Expiry Interval of 0 stops it outliving the connection.
func (t *T) clearSession(id string, v mqttwire.Version) {
	t.Cleanup(func(ctx context.Context) {
		c, err := t.connectRaw(ctx, clientOptions{id: id, version: v})
		if err != nil {
			return
		}
		c.Disconnect(ctx, nil)
	})
}
