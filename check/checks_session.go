package check

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/mqtap/mqtap/mqttwire"
)

func sessionChecks() []*Check {
	return []*Check{
		{Name: "session/persistent", Category: "session", Needs: []string{CapQoS1},
			Verifies: "QoS 1 messages published while a clean-session-off (5.0: session expiry) client is away " +
				"are delivered when it returns with Session Present set (3.1 has no such flag) (the order they come in is reported)",
			Run: checkPersistentSession},
	}
}

// queued is how many messages the session check sends while away.
const queued = 5

func checkPersistentSession(ctx context.Context, t *T) error {
	id, topic := t.run.newID(), t.Topic("q")
	o := clientOptions{id: id, keep: true, sessionExpiry: 60}
	t.clearSession(id, t.Version())
	away, err := t.connect(ctx, o)
	if err != nil {
		return err
	}
	if _, err := away.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	if err := away.Disconnect(ctx, nil); err != nil {
		return fmt.Errorf("disconnect: %w", err)
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	for i := range queued {
		p := &mqttwire.Publish{Topic: topic, QoS: 1, Payload: binary.BigEndian.AppendUint32(nil, uint32(i))}
		if err := pub.publish(ctx, p); err != nil {
			return err
		}
	}
	back, err := t.connect(ctx, o)
	if err != nil {
		return err
	}
	// MQTT 3.1's CONNACK has no Session Present flag (3.1.1 added it): at
	// 3.1 the queued messages arriving is the only evidence.
	if t.Version() != mqttwire.V31 && !back.ack.SessionPresent() {
		return failf("CONNACK Session Present 1 on returning to a kept session", "Session Present 0")
	}
	var order []int
	seen := make([]bool, queued)
	for left := queued; left > 0; {
		m, err := back.expect(ctx, fmt.Sprintf("%d more of the %d queued messages", left, queued))
		if err != nil {
			return err
		}
		n := seqOf(m)
		if n < 0 || n >= queued || seen[n] {
			continue // a redelivery (DUP) of one already counted
		}
		seen[n] = true
		order = append(order, n)
		left--
	}
	// Delivery is what this check is about; pubsub/ordering judges order.
	// A broker that resends a session's queue out of order is reported.
	if !slices.IsSorted(order) {
		t.Notef("queue delivered out of publish order %v (MQTT 5.0 §4.6 asks for publish order)", order)
	}
	t.Notef("%d messages queued and delivered", queued)
	return nil
}
