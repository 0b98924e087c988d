package check

import (
	"bytes"
	"context"
	"fmt"

	"github.com/mqtap/mqtap/mqttwire"
)

func retainChecks() []*Check {
	return []*Check{
		{Name: "retain/delivered", Category: "retain", Needs: []string{CapRetain},
			Verifies: "a retained message is stored and sent to a new subscriber with the retain flag, " +
				"and to an existing subscriber without it (MQTT 5.0 §3.3.1.3)",
			Run: checkRetainDelivered},
		{Name: "retain/cleared", Category: "retain", Needs: []string{CapRetain},
			Verifies: "an empty retained message removes the stored one: a new subscriber gets nothing",
			Run:      checkRetainCleared},
	}
}

func checkRetainDelivered(ctx context.Context, t *T) error {
	topic := t.Topic("r")
	payload := []byte("retained " + t.run.id)
	live, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := live.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	t.clearRetained(topic)
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true, Payload: payload}); err != nil {
		return err
	}
	m, err := live.expect(ctx, "the retained message at the existing subscriber")
	if err != nil {
		return err
	}
	// A 3.1.1 subscriber, or a 5.0 one without Retain As Published, sees
	// the flag cleared on a message forwarded live.
	if m.Retain {
		return failf("retain flag 0 on a message forwarded to an existing subscription", "retain flag 1")
	}
	late, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := late.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	m, err = late.expect(ctx, "the retained message at a new subscriber")
	if err != nil {
		return err
	}
	switch {
	case !bytes.Equal(m.Payload, payload):
		return failf(fmt.Sprintf("the retained payload %q", payload), "%q", m.Payload)
	case !m.Retain:
		return failf("retain flag 1 on a message sent because it was retained", "retain flag 0")
	}
	return nil
}

func checkRetainCleared(ctx context.Context, t *T) error {
	topic := t.Topic("r")
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	t.clearRetained(topic)
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true, Payload: []byte("to be cleared")}); err != nil {
		return err
	}
	// First make sure it was stored, or clearing proves nothing.
	first, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := first.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	if _, err := first.expect(ctx, "the retained message before clearing it"); err != nil {
		return err
	}
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true}); err != nil {
		return err
	}
	second, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := second.subscribe(ctx, topic, 1); err != nil {
		return err
	}
	got, err := second.until(ctx, pub, topic)
	if err != nil {
		return err
	}
	if len(got) > 0 {
		return failf("no retained message after an empty retained message cleared it",
			"%d message(s), the first %q retain=%v", len(got), got[0].Payload, got[0].Retain)
	}
	return nil
}
