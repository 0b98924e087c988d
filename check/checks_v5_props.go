package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mqtap/mqtap/mqttwire"
)

func checkUserProperties(ctx context.Context, t *T) error {
	topic := t.Topic("props")
	sub, pub, err := v5Pair(ctx, t, topic, 1)
	if err != nil {
		return err
	}
	want := [][2]string{{"k", "1"}, {"other", "x"}, {"k", "2"}, {"grüße", "日本 ✓"}, {"empty", ""}}
	p := &mqttwire.Publish{Topic: topic, QoS: 1, Payload: []byte("{}")}
	p.Properties.AddInt(mqttwire.PropPayloadFormat, 1)
	p.Properties.AddString(mqttwire.PropContentType, "application/json")
	for _, kv := range want {
		p.Properties.AddUser(kv[0], kv[1])
	}
	if err := pub.publish(ctx, p); err != nil {
		return err
	}
	m, err := sub.expect(ctx, "the message with user properties")
	if err != nil {
		return err
	}
	if got := m.Properties.UserProperties(); !slices.Equal(got, want) {
		return failf(fmt.Sprintf("user properties %q in order", want), "%q", got)
	}
	if ct, _ := m.Properties.String(mqttwire.PropContentType); ct != "application/json" {
		return failf("Content Type application/json", "%q", ct)
	}
	if pf, ok := m.Properties.Int(mqttwire.PropPayloadFormat); !ok || pf != 1 {
		return failf("Payload Format Indicator 1", "%d (present: %v)", pf, ok)
	}
	return nil
}

func checkNoLocal(ctx context.Context, t *T) error {
	topic := t.Topic("nolocal")
	self, other, err := v5Pair(ctx, t, topic, mqttwire.SubOptions(1, true, false, 0))
	if err != nil {
		return err
	}
	if err := self.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Payload: []byte("own")}); err != nil {
		return err
	}
	got, err := self.until(ctx, other, topic)
	if err != nil {
		return err
	}
	if len(got) > 0 {
		return failf("no copy of its own message with No Local", "%q back", got[0].Payload)
	}
	return nil
}

func checkRetainAsPublished(ctx context.Context, t *T) error {
	topic := t.Topic("rap")
	// Retain Handling 2: no retained copy at subscription time. A broker
	// may scan its retained messages after sending SUBACK (mochi does), so
	// a subscriber could otherwise get the message below twice, once as a
	// retained delivery (retain flag 1, rightly) and once live.
	rap, pub, err := v5Pair(ctx, t, topic, mqttwire.SubOptions(1, false, true, 2))
	if err != nil {
		return err
	}
	plain, err := t.connect(ctx, clientOptions{version: mqttwire.V5})
	if err != nil {
		return err
	}
	if _, err := plain.subscribe(ctx, topic, mqttwire.SubOptions(1, false, false, 2)); err != nil {
		return err
	}
	t.clearRetained(topic)
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true, Payload: []byte("r")}); err != nil {
		return err
	}
	m, err := rap.expect(ctx, "the message at the Retain As Published subscriber")
	if err != nil {
		return err
	}
	if !m.Retain {
		return failf("retain flag 1 with Retain As Published", "retain flag 0")
	}
	if m, err = plain.expect(ctx, "the message at the plain subscriber"); err != nil {
		return err
	}
	if m.Retain {
		return failf("retain flag 0 without Retain As Published", "retain flag 1")
	}
	return nil
}

func checkRequestResponse(ctx context.Context, t *T) error {
	reqTopic, respTopic := t.Topic("req"), t.Topic("resp")
	responder, requester, err := v5Pair(ctx, t, reqTopic, 1)
	if err != nil {
		return err
	}
	if _, err := requester.subscribe(ctx, respTopic, 1); err != nil {
		return err
	}
	corr := []byte{0, 1, 0xfe, 0xff, 'c', 'o', 'r', 'r'}
	req := &mqttwire.Publish{Topic: reqTopic, QoS: 1, Payload: []byte("ping")}
	req.Properties.AddString(mqttwire.PropResponseTopic, respTopic)
	req.Properties.AddBinary(mqttwire.PropCorrelationData, corr)
	if err := requester.publish(ctx, req); err != nil {
		return err
	}
	m, err := responder.expect(ctx, "the request")
	if err != nil {
		return err
	}
	rt, _ := m.Properties.String(mqttwire.PropResponseTopic)
	cd, _ := m.Properties.Get(mqttwire.PropCorrelationData)
	if rt != respTopic || !bytes.Equal(cd.Bin, corr) {
		return failf(fmt.Sprintf("Response Topic %q and Correlation Data %x", respTopic, corr), "%q and %x", rt, cd.Bin)
	}
	resp := &mqttwire.Publish{Topic: rt, QoS: 1, Payload: []byte("pong")}
	resp.Properties.AddBinary(mqttwire.PropCorrelationData, cd.Bin)
	if err := responder.publish(ctx, resp); err != nil {
		return err
	}
	if m, err = requester.expect(ctx, "the response on "+respTopic); err != nil {
		return err
	}
	if cd, _ := m.Properties.Get(mqttwire.PropCorrelationData); !bytes.Equal(cd.Bin, corr) || string(m.Payload) != "pong" {
		return failf(fmt.Sprintf("the response with Correlation Data %x", corr), "%q with %x", m.Payload, cd.Bin)
	}
	return nil
}

func checkSessionTakeover(ctx context.Context, t *T) error {
	id := t.run.newID()
	first, err := t.connect(ctx, clientOptions{version: mqttwire.V5, id: id})
	if err != nil {
		return err
	}
	if _, err := t.connect(ctx, clientOptions{version: mqttwire.V5, id: id}); err != nil {
		return err
	}
	select {
	case <-first.Done():
	case <-ctx.Done():
		return failf("the first connection ended when a second took its client id", "it still open")
	}
	var de *mqttwire.DisconnectError
	if !errors.As(first.Err(), &de) {
		// Closing the old connection is the MUST (MQTT-3.1.4-3); the
		// DISCONNECT before it is what §4.13 recommends.
		return skip(CapTakeover, "the broker closed the old connection without a DISCONNECT (%v); the 0x8E DISCONNECT is recommended, not required", first.Err())
	}
	if de.Code != mqttwire.CodeSessionTakenOver {
		return failf("DISCONNECT 0x8E Session taken over", "%v", de)
	}
	return nil
}
