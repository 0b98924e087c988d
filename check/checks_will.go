package check

import (
	"bytes"
	"context"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// willDelay is the 5.0 Will Delay Interval the delay check asks for.
const willDelay = 1 * time.Second

func willChecks() []*Check {
	return []*Check{
		{Name: "will/abnormal", Category: "will",
			Verifies: "the will is published when the client's connection drops without DISCONNECT (MQTT 5.0 §3.1.2.5)",
			Run:      checkWillAbnormal},
		{Name: "will/clean-disconnect", Category: "will",
			Verifies: "the will is discarded, not published, after a normal DISCONNECT (MQTT 5.0 §3.1.2.5)",
			Run:      checkWillClean},
		{Name: "will/delay", Category: "will", Needs: []string{CapV5},
			Verifies: "a 5.0 will with Will Delay Interval 1s is published, and not before the delay (MQTT 5.0 §3.1.3.2.2)",
			Extra:    func(Config) time.Duration { return 3 * willDelay },
			Run:      checkWillDelay},
	}
}

// withWill adds a will to a CONNECT.
func withWill(topic string, payload []byte, props ...mqttwire.Property) func(*mqttwire.Connect) {
	return func(p *mqttwire.Connect) {
		p.WillFlag, p.WillTopic, p.WillPayload, p.WillQoS = true, topic, payload, 1
		p.WillProperties.List = props
	}
}

// willSetup subscribes a watcher to the will topic and connects a client
// with a will.
func willSetup(ctx context.Context, t *T, o clientOptions, props ...mqttwire.Property) (watcher, dying *client, topic string, payload []byte, err error) {
	topic, payload = t.Topic("will"), []byte("gone: "+t.run.id)
	if watcher, err = t.connect(ctx, clientOptions{version: o.version}); err != nil {
		return
	}
	if _, err = watcher.subscribe(ctx, topic, 1); err != nil {
		return
	}
	o.edit = withWill(topic, payload, props...)
	dying, err = t.connect(ctx, o)
	return
}

func checkWillAbnormal(ctx context.Context, t *T) error {
	watcher, dying, topic, payload, err := willSetup(ctx, t, clientOptions{})
	if err != nil {
		return err
	}
	dying.Close() // the network connection ends, no DISCONNECT
	m, err := watcher.expect(ctx, "the will on "+topic+" after the connection dropped")
	if err != nil {
		return err
	}
	if !bytes.Equal(m.Payload, payload) {
		return failf("the will payload", "%q", m.Payload)
	}
	return nil
}

func checkWillClean(ctx context.Context, t *T) error {
	watcher, dying, topic, _, err := willSetup(ctx, t, clientOptions{})
	if err != nil {
		return err
	}
	if err := dying.Disconnect(ctx, nil); err != nil {
		return err
	}
	// The marker comes from a new connection with the same client id: the
	// broker must be done with the old connection (and so with its will)
	// before it can admit the new one, so a will published by mistake
	// arrives before the marker.
	pub, err := t.connect(ctx, clientOptions{id: dying.id})
	if err != nil {
		return err
	}
	got, err := watcher.until(ctx, pub, topic)
	if err != nil {
		return err
	}
	if len(got) > 0 {
		return failf("no will after a normal DISCONNECT", "the will %q", got[0].Payload)
	}
	return nil
}

func checkWillDelay(ctx context.Context, t *T) error {
	id := t.run.newID()
	// The session must outlive the delay, or the will goes when the session
	// ends (MQTT 5.0 §3.1.3.2.2).
	o := clientOptions{version: mqttwire.V5, id: id, keep: true, sessionExpiry: 30}
	t.clearSession(id, mqttwire.V5)
	watcher, dying, topic, _, err := willSetup(ctx, t, o,
		mqttwire.Property{ID: mqttwire.PropWillDelay, Int: uint32(willDelay / time.Second)})
	if err != nil {
		return err
	}
	start := time.Now()
	dying.Close()
	if _, err := watcher.expect(ctx, "the delayed will on "+topic); err != nil {
		return err
	}
	took := time.Since(start)
	// Brokers count the delay in whole seconds; half of it is a margin
	// that still tells a delay from none.
	if took < willDelay/2 {
		return failf("the will after the 1s Will Delay Interval", "it after %v", took.Round(time.Millisecond))
	}
	t.Notef("will after %v", took.Round(time.Millisecond))
	return nil
}
