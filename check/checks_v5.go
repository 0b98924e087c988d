package check

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

func v5Checks() []*Check {
	return []*Check{
		{Name: "mqtt5/connack-properties", Category: "mqtt5", Needs: []string{CapV5},
			Verifies: "the CONNACK properties are each sent at most once with legal values (MQTT 5.0 §3.2.2.3); lists them",
			Run:      checkConnackProperties},
		{Name: "mqtt5/topic-alias", Category: "mqtt5", Needs: []string{CapV5, CapTopicAlias},
			Verifies: "a message sent with an empty topic and a Topic Alias set earlier arrives on the full topic (MQTT 5.0 §3.3.2.3.4)",
			Run:      checkTopicAlias},
		{Name: "mqtt5/message-expiry", Category: "mqtt5", Needs: []string{CapV5, CapRetain},
			Verifies: "Message Expiry Interval is forwarded, no larger than sent, and an expired retained message is not delivered (MQTT 5.0 §3.3.2.3.3)",
			Extra:    func(Config) time.Duration { return expiryWait },
			Run:      checkMessageExpiry},
		{Name: "mqtt5/shared-subscription", Category: "mqtt5", Needs: []string{CapV5, CapShared},
			Verifies: "messages to $share/g/topic go to exactly one member each, spread over the members (MQTT 5.0 §4.8.2)",
			Run:      checkShared},
		{Name: "mqtt5/subscription-id", Category: "mqtt5", Needs: []string{CapV5, CapSubID},
			Verifies: "a message carries the Subscription Identifier of the subscription it matched (MQTT 5.0 §3.8.2.1.2)",
			Run:      checkSubscriptionID},
		{Name: "mqtt5/user-properties", Category: "mqtt5", Needs: []string{CapV5},
			Verifies: "user properties (repeated keys, UTF-8), Content Type and Payload Format Indicator arrive unchanged and in order (MQTT 5.0 §3.3.2.3.7)",
			Run:      checkUserProperties},
		{Name: "mqtt5/no-local", Category: "mqtt5", Needs: []string{CapV5},
			Verifies: "with No Local a client does not get its own messages back (MQTT 5.0 §3.8.3.1)",
			Run:      checkNoLocal},
		{Name: "mqtt5/retain-as-published", Category: "mqtt5", Needs: []string{CapV5, CapRetain},
			Verifies: "with Retain As Published a live message keeps its retain flag, without it the flag is cleared (MQTT 5.0 §3.8.3.1)",
			Run:      checkRetainAsPublished},
		{Name: "mqtt5/request-response", Category: "mqtt5", Needs: []string{CapV5},
			Verifies: "Response Topic and Correlation Data reach the responder unchanged and the answer reaches the requester (MQTT 5.0 §4.10)",
			Run:      checkRequestResponse},
		{Name: "mqtt5/session-takeover", Category: "mqtt5", Needs: []string{CapV5},
			Verifies: "a second connection with the same client id ends the first, with DISCONNECT 0x8E Session taken over if it sends one (MQTT 5.0 §3.1.4)",
			Run:      checkSessionTakeover},
	}
}

// connackRules are the legal values of the 5.0 CONNACK properties that
// have limits (MQTT 5.0 §3.2.2.3): a value outside them is a Protocol Error.
var connackRules = map[mqttwire.PropID]func(uint32) bool{
	mqttwire.PropMaximumQoS:              func(v uint32) bool { return v <= 1 },
	mqttwire.PropRetainAvailable:         func(v uint32) bool { return v <= 1 },
	mqttwire.PropWildcardSubAvailable:    func(v uint32) bool { return v <= 1 },
	mqttwire.PropSubscriptionIDAvailable: func(v uint32) bool { return v <= 1 },
	mqttwire.PropSharedSubAvailable:      func(v uint32) bool { return v <= 1 },
	mqttwire.PropReceiveMaximum:          func(v uint32) bool { return v > 0 },
	mqttwire.PropMaximumPacketSize:       func(v uint32) bool { return v > 0 },
}

func checkConnackProperties(ctx context.Context, t *T) error {
	ack := t.Connack5()
	seen := map[mqttwire.PropID]bool{}
	var listed []string
	for _, p := range ack.Properties.List {
		name := fmt.Sprintf("property 0x%02X", byte(p.ID))
		if spec, ok := mqttwire.LookupProp(p.ID); ok {
			name = spec.Name
		}
		if seen[p.ID] && p.ID != mqttwire.PropUserProperty {
			return failf(name+" at most once", "it twice")
		}
		seen[p.ID] = true
		if ok, has := connackRules[p.ID]; has && !ok(p.Int) {
			return failf("a legal "+name, "%d", p.Int)
		}
		if p.ID != mqttwire.PropUserProperty && p.ID != mqttwire.PropReasonString {
			listed = append(listed, fmt.Sprintf("%s %v", name, propValue(p)))
		}
	}
	if len(listed) == 0 {
		t.Notef("no properties: every default applies")
		return nil
	}
	t.Notef("%s", strings.Join(listed, ", "))
	return nil
}

// propValue is a property's value for people.
func propValue(p mqttwire.Property) any {
	switch {
	case p.Str != "":
		return p.Str
	case p.Bin != nil:
		return fmt.Sprintf("%d bytes", len(p.Bin))
	}
	return p.Int
}

// v5Pair connects a subscriber (subscribed to topic with options and
// props) and a publisher, both at 5.0.
func v5Pair(ctx context.Context, t *T, topic string, options byte, props ...mqttwire.Property) (sub, pub *client, err error) {
	if sub, err = t.connect(ctx, clientOptions{version: mqttwire.V5}); err != nil {
		return
	}
	if _, err = sub.subscribe(ctx, topic, options, props...); err != nil {
		return
	}
	pub, err = t.connect(ctx, clientOptions{version: mqttwire.V5})
	return
}

func checkTopicAlias(ctx context.Context, t *T) error {
	topic := t.Topic("alias")
	sub, pub, err := v5Pair(ctx, t, topic, 1)
	if err != nil {
		return err
	}
	for i, tp := range []string{topic, ""} {
		p := &mqttwire.Publish{Topic: tp, QoS: 1, Payload: fmt.Appendf(nil, "%d", i)}
		p.Properties.AddInt(mqttwire.PropTopicAlias, 1)
		if err := pub.publish(ctx, p); err != nil {
			var ae *mqttwire.AckError
			if errors.As(err, &ae) {
				return failf("the Topic Alias accepted (CONNACK offers aliases)", "%v", err)
			}
			return err
		}
		m, err := sub.expect(ctx, fmt.Sprintf("message %d sent with Topic Alias 1", i+1))
		if err != nil {
			return err
		}
		if m.Topic != topic {
			// We sent no Topic Alias Maximum, so the broker may not use
			// aliases towards us either (MQTT 5.0 §3.1.2.11.5).
			return failf("message "+fmt.Sprint(i+1)+" on "+topic, "it on %q", m.Topic)
		}
	}
	return nil
}

func checkSubscriptionID(ctx context.Context, t *T) error {
	topic := t.Topic("subid")
	const id = 42
	sub, pub, err := v5Pair(ctx, t, topic, 1, mqttwire.Property{ID: mqttwire.PropSubscriptionID, Int: id})
	if err != nil {
		return err
	}
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Payload: []byte("x")}); err != nil {
		return err
	}
	m, err := sub.expect(ctx, "the message")
	if err != nil {
		return err
	}
	var ids []uint32
	for _, p := range m.Properties.List {
		if p.ID == mqttwire.PropSubscriptionID {
			ids = append(ids, p.Int)
		}
	}
	if !slices.Equal(ids, []uint32{id}) {
		return failf(fmt.Sprintf("Subscription Identifier %d", id), "%v", ids)
	}
	return nil
}
