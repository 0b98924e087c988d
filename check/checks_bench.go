package check

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

func benchChecks() []*Check {
	return []*Check{
		benchCheck(0), benchCheck(1),
	}
}

// benchPayload is the message size of the benchmark: small, like most
// telemetry.
const benchPayload = 64

func benchCheck(qos byte) *Check {
	return &Check{
		Name: fmt.Sprintf("bench/qos%d", qos), Category: "bench", Serial: true,
		Verifies: fmt.Sprintf("QoS %d throughput: one publisher as fast as the broker takes it, one subscriber, messages/s", qos),
		Extra:    func(c Config) time.Duration { return c.BenchDuration },
		Run:      func(ctx context.Context, t *T) error { return bench(ctx, t, qos) },
	}
}

func bench(ctx context.Context, t *T, qos byte) error {
	topic, endMark := t.Topic("b"), []byte("mqtap-end")
	var received atomic.Int64
	// Counting in the read loop instead of queueing keeps memory flat at
	// any rate; only the end marker is queued.
	sub, err := t.connect(ctx, clientOptions{filter: func(p *mqttwire.Publish) bool {
		if string(p.Payload) == string(endMark) {
			return true
		}
		received.Add(1)
		return false
	}})
	if err != nil {
		return err
	}
	if _, err := sub.subscribe(ctx, topic, qos); err != nil {
		return err
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	payload := make([]byte, benchPayload)
	start := time.Now()
	end := start.Add(t.run.cfg.BenchDuration)
	sent := 0
	for time.Now().Before(end) {
		for range 100 {
			if err := pub.Publish(ctx, &mqttwire.Publish{Topic: topic, QoS: qos, Payload: payload}, nil); err != nil {
				return fmt.Errorf("publish: %w", err)
			}
			sent++
		}
	}
	if err := pub.Drain(ctx); err != nil {
		return fmt.Errorf("waiting for PUBACKs: %w", err)
	}
	// The marker follows on the same topic, so it arrives after them all.
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Payload: endMark}); err != nil {
		return err
	}
	if _, err := sub.expect(ctx, "the end marker"); err != nil {
		return err
	}
	took := time.Since(start).Seconds()
	got := received.Load()
	t.Metric(fmt.Sprintf("bench_qos%d_sent_per_s", qos), int(float64(sent)/took))
	t.Metric(fmt.Sprintf("bench_qos%d_received_per_s", qos), int(float64(got)/took))
	t.Notef("%.0f msgs/s sent, %.0f msgs/s received (%d of %d)", float64(sent)/took, float64(got)/took, got, sent)
	if qos > 0 && got < int64(sent) {
		return failf(fmt.Sprintf("all %d QoS %d messages", sent, qos), "%d", got)
	}
	return nil
}
