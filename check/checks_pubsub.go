package check

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

func pubsubChecks() []*Check {
	return []*Check{
		roundTripCheck(0, nil),
		roundTripCheck(1, []string{CapQoS1}),
		roundTripCheck(2, []string{CapQoS2}),
		{Name: "pubsub/ordering", Category: "pubsub", Needs: []string{CapQoS1},
			Verifies: "1000 QoS 1 messages from one publisher on one topic arrive in order (MQTT 5.0 §4.6)",
			Run:      checkOrdering},
	}
}

// roundTripPayloads are sent at every QoS: bytes that text handling would
// mangle (NUL, invalid UTF-8, CR LF), multi-byte UTF-8, and nothing.
var roundTripPayloads = []struct {
	name string
	data []byte
}{
	{"binary", allBytes()},
	{"UTF-8", []byte("mqtap ✓ grüße, 日本語, emoji 🚀\r\n")},
	{"empty", []byte{}},
}

func allBytes() []byte {
	b := make([]byte, 512)
	for i := range b {
		b[i] = byte(i ^ i>>8*0x5b)
	}
	return b
}

// burst is how many messages the exactly-once and no-loss part sends.
const burst = 50

func roundTripCheck(qos byte, needs []string) *Check {
	return &Check{
		Name: fmt.Sprintf("pubsub/qos%d", qos), Category: "pubsub", Needs: needs,
		Verifies: fmt.Sprintf("QoS %d messages come back byte-exact (binary, UTF-8, empty) at QoS %d, "+
			"%d more arrive %s; latency measured", qos, qos, burst, onceWording[qos]),
		Run: func(ctx context.Context, t *T) error { return roundTrip(ctx, t, qos) },
	}
}

var onceWording = []string{"(at most once)", "at least once", "exactly once"}

func roundTrip(ctx context.Context, t *T, qos byte) error {
	topic := t.Topic("rt")
	sub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	granted, err := sub.subscribe(ctx, topic, qos)
	if err != nil {
		return err
	}
	if byte(granted) < qos {
		return skip(fmt.Sprintf("qos%d", qos), "SUBACK granted QoS %d for a QoS %d subscription", granted, qos)
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	var lat []time.Duration
	for _, pl := range roundTripPayloads {
		start := time.Now()
		if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: qos, Payload: pl.data}); err != nil {
			return err
		}
		m, err := sub.expect(ctx, fmt.Sprintf("the %s QoS %d message on %s", pl.name, qos, topic))
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
		if err := sameMessage(m, topic, qos, pl.data, pl.name); err != nil {
			return err
		}
	}
	if err := burstOnce(ctx, t, pub, sub, topic, qos); err != nil {
		return err
	}
	lo, avg, hi := spread(lat)
	t.Notef("latency min %v avg %v max %v", lo, avg, hi)
	t.Metric(fmt.Sprintf("latency_qos%d_ms", qos), float64(avg.Microseconds())/1000)
	return nil
}

// sameMessage compares a delivered message with the one sent.
func sameMessage(m *mqttwire.Publish, topic string, qos byte, payload []byte, name string) error {
	switch {
	case m.Topic != topic:
		return failf("a message on "+topic, "one on %s", m.Topic)
	case m.QoS != qos:
		return failf(fmt.Sprintf("the %s message delivered at QoS %d", name, qos), "QoS %d", m.QoS)
	case !bytes.Equal(m.Payload, payload):
		return failf(fmt.Sprintf("the %s payload byte for byte (%d bytes)", name, len(payload)), "%d bytes, first difference at byte %d",
			len(m.Payload), firstDiff(m.Payload, payload))
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// burstOnce publishes numbered messages back to back, then a marker, and
// counts each number: QoS 2 must deliver each exactly once, QoS 1 at least
// once (duplicates are noted), QoS 0 is expected to lose nothing on a
// healthy broker.
func burstOnce(ctx context.Context, t *T, pub, sub *client, topic string, qos byte) error {
	for i := range burst {
		p := &mqttwire.Publish{Topic: topic, QoS: qos, Payload: binary.BigEndian.AppendUint32(nil, uint32(i))}
		if err := pub.Publish(ctx, p, nil); err != nil {
			return fmt.Errorf("publish to %s: %w", topic, err)
		}
	}
	got, err := sub.untilQoS(ctx, pub, topic, qos)
	if err != nil {
		return err
	}
	seen := make([]int, burst)
	for _, m := range got {
		if n := seqOf(m); n >= 0 && n < burst {
			seen[n]++
		}
	}
	dups := 0
	for i, n := range seen {
		switch {
		case n == 0:
			return failf(fmt.Sprintf("all %d messages of a burst %s", burst, onceWording[qos]), "message %d never arrived", i)
		case n > 1 && qos == 2:
			return failf(fmt.Sprintf("each of %d QoS 2 messages exactly once", burst), "message %d %d times", i, n)
		case n > 1:
			dups += n - 1
		}
	}
	if dups > 0 {
		t.Notef("%d duplicates (allowed at QoS 1)", dups)
	}
	return nil
}

// spread is the minimum, mean and maximum, rounded for people.
func spread(ds []time.Duration) (lo, avg, hi time.Duration) {
	if len(ds) == 0 {
		return
	}
	lo = ds[0]
	var sum time.Duration
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
		sum += d
	}
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	return r(lo), r(sum / time.Duration(len(ds))), r(hi)
}

// orderingCount is the number of messages the ordering check sends.
const orderingCount = 1000

func checkOrdering(ctx context.Context, t *T) error {
	topic := t.Topic("seq")
	sub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := sub.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	start := time.Now()
	// The messages go out as fast as the inflight window allows: ordering
	// matters most when many are in flight at once.
	for i := range orderingCount {
		p := &mqttwire.Publish{Topic: topic, QoS: 1, Payload: binary.BigEndian.AppendUint32(nil, uint32(i))}
		if err := pub.Publish(ctx, p, nil); err != nil {
			return fmt.Errorf("publish message %d: %w", i, err)
		}
	}
	if err := pub.Drain(ctx); err != nil {
		return fmt.Errorf("waiting for PUBACKs: %w", err)
	}
	next, dups := 0, 0
	for next < orderingCount {
		m, err := sub.expect(ctx, fmt.Sprintf("message %d of %d", next, orderingCount))
		if err != nil {
			return err
		}
		n := seqOf(m)
		switch {
		case n == next:
			next++
		case n < next:
			dups++ // a resend of one already seen does not break the order
		default:
			return failf(fmt.Sprintf("message %d next (in publish order)", next), "message %d: out of order", n)
		}
	}
	t.Notef("%d in order in %v", orderingCount, time.Since(start).Round(time.Millisecond))
	if dups > 0 {
		t.Notef("%d duplicates", dups)
	}
	return nil
}

// seqOf reads the number a numbered message carries, or -1.
func seqOf(m *mqttwire.Publish) int {
	if len(m.Payload) != 4 {
		return -1
	}
	return int(binary.BigEndian.Uint32(m.Payload))
}
