package mqttwire_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// encodedSize is the length of p on the wire for v, as the server counts
// it against its Maximum Packet Size.
func encodedSize(t *testing.T, p *mqttwire.Publish, v mqttwire.Version) int {
	t.Helper()
	q := *p
	if q.QoS > 0 {
		q.PacketID = 1
	}
	raw, err := mqttwire.Encode(&q, v)
	if err != nil {
		t.Fatal(err)
	}
	return len(raw)
}

func aliased(alias uint32) mqttwire.Properties {
	var ps mqttwire.Properties
	ps.AddInt(mqttwire.PropTopicAlias, alias)
	return ps
}

// TestConnLimits checks that a PUBLISH breaking a limit of the server's
// CONNACK is refused before anything is written, with a LimitError naming
// the limit, that the session goes on, and that a message exactly at the
// limit is sent.
func TestConnLimits(t *testing.T) {
	// sized is a message whose encoded size (5.0, QoS 1, with a
	// property) is the Maximum Packet Size of the size cases.
	sized := &mqttwire.Publish{Topic: "size/t", QoS: 1, Payload: bytes.Repeat([]byte("s"), 200)}
	sized.Properties.AddString(mqttwire.PropContentType, "text/plain")
	bigger := *sized
	bigger.Payload = append(bytes.Repeat([]byte("s"), 200), 'x')
	sizedLen := encodedSize(t, sized, mqttwire.V5)

	type caseT struct {
		name string
		v    mqttwire.Version
		ack  func(*mqttwire.Properties) // CONNACK properties
		// refused is sent first and must not reach the server; pass must.
		refused *mqttwire.Publish
		pass    *mqttwire.Publish
		queued  bool // use PublishQueued (QoS > 0) instead of Publish
		prop    mqttwire.PropID
		value   int
		max     int
		msg     string
	}
	cases := []caseT{
		{name: "max-qos-1", v: mqttwire.V5,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropMaximumQoS, 1) },
			refused: &mqttwire.Publish{Topic: "q", QoS: 2, Payload: []byte("two")},
			pass:    &mqttwire.Publish{Topic: "q", QoS: 1, Payload: []byte("one")},
			prop:    mqttwire.PropMaximumQoS, value: 2, max: 1,
			msg: "QoS 2 exceeds the server's Maximum QoS 1"},
		{name: "max-qos-0-queued", v: mqttwire.V5, queued: true,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropMaximumQoS, 0) },
			refused: &mqttwire.Publish{Topic: "q", QoS: 1, Payload: []byte("one")},
			pass:    &mqttwire.Publish{Topic: "q", QoS: 0, Payload: []byte("zero")},
			prop:    mqttwire.PropMaximumQoS, value: 1, max: 0,
			msg: "QoS 1 exceeds the server's Maximum QoS 0"},
		{name: "retain-unavailable", v: mqttwire.V5,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropRetainAvailable, 0) },
			refused: &mqttwire.Publish{Topic: "r", Retain: true, Payload: []byte("kept")},
			pass:    &mqttwire.Publish{Topic: "r", Payload: []byte("not kept")},
			prop:    mqttwire.PropRetainAvailable, value: 1, max: 0,
			msg: "retained message but the server has Retain Available 0"},
		{name: "retain-unavailable-queued", v: mqttwire.V5, queued: true,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropRetainAvailable, 0) },
			refused: &mqttwire.Publish{Topic: "r", QoS: 1, Retain: true, Payload: []byte("kept")},
			pass:    &mqttwire.Publish{Topic: "r", QoS: 1, Payload: []byte("not kept")},
			prop:    mqttwire.PropRetainAvailable, value: 1, max: 0,
			msg: "retained message but the server has Retain Available 0"},
		{name: "topic-alias-over", v: mqttwire.V5,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropTopicAliasMaximum, 2) },
			refused: &mqttwire.Publish{Topic: "a", Payload: []byte("5"), Properties: aliased(5)},
			pass:    &mqttwire.Publish{Topic: "a", Payload: []byte("2"), Properties: aliased(2)},
			prop:    mqttwire.PropTopicAliasMaximum, value: 5, max: 2,
			msg: "topic alias 5 exceeds the server's Topic Alias Maximum 2"},
		{name: "topic-alias-zero", v: mqttwire.V5,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropTopicAliasMaximum, 2) },
			refused: &mqttwire.Publish{Topic: "a", Payload: []byte("0"), Properties: aliased(0)},
			pass:    &mqttwire.Publish{Topic: "a", Payload: []byte("1"), Properties: aliased(1)},
			prop:    mqttwire.PropTopicAliasMaximum, value: 0, max: 2,
			msg: "topic alias 0 is not allowed (the server's Topic Alias Maximum is 2)"},
		{name: "topic-alias-absent", v: mqttwire.V5,
			ack:     func(*mqttwire.Properties) {}, // absent: no aliases (MQTT 5.0 §3.2.2.3.8)
			refused: &mqttwire.Publish{Topic: "a", Payload: []byte("1"), Properties: aliased(1)},
			pass:    &mqttwire.Publish{Topic: "a", Payload: []byte("plain")},
			prop:    mqttwire.PropTopicAliasMaximum, value: 1, max: 0,
			msg: "topic alias 1 exceeds the server's Topic Alias Maximum 0"},
		{name: "packet-size", v: mqttwire.V5,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropMaximumPacketSize, uint32(sizedLen)) },
			refused: &bigger, pass: sized,
			prop: mqttwire.PropMaximumPacketSize, value: sizedLen + 1, max: sizedLen,
			msg: fmt.Sprintf("message of %d bytes exceeds the server's Maximum Packet Size %d (CONNACK)", sizedLen+1, sizedLen)},
		{name: "packet-size-queued", v: mqttwire.V5, queued: true,
			ack:     func(ps *mqttwire.Properties) { ps.AddInt(mqttwire.PropMaximumPacketSize, uint32(sizedLen)) },
			refused: &bigger, pass: sized,
			prop: mqttwire.PropMaximumPacketSize, value: sizedLen + 1, max: sizedLen,
			msg: fmt.Sprintf("message of %d bytes exceeds the server's Maximum Packet Size %d (CONNACK)", sizedLen+1, sizedLen)},
		// 3.1.1 has no limits; neither has a 5.0 CONNACK without them.
		{name: "v311-no-limits", v: mqttwire.V311,
			pass: &mqttwire.Publish{Topic: "n", QoS: 2, Retain: true, Payload: make([]byte, 300<<10)}},
		{name: "v5-no-limits", v: mqttwire.V5, ack: func(*mqttwire.Properties) {},
			pass: &mqttwire.Publish{Topic: "n", QoS: 2, Retain: true, Payload: make([]byte, 300<<10)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ack := &mqttwire.Connack{}
			if tc.ack != nil {
				tc.ack(&ack.Properties)
			}
			conn, b := connect(t, tc.v, mqttwire.ConnConfig{}, ack)
			send := func(p *mqttwire.Publish) error {
				if tc.queued {
					err := conn.PublishQueued(ctxT(t), p, nil)
					if err == nil {
						err = conn.Flush()
					}
					return err
				}
				return conn.Publish(ctxT(t), p, nil)
			}
			if tc.refused != nil {
				err := send(tc.refused)
				var le *mqttwire.LimitError
				if !errors.As(err, &le) {
					t.Fatalf("publish: %v, want a LimitError", err)
				}
				if le.Prop != tc.prop || le.Value != tc.value || le.Max != tc.max {
					t.Errorf("LimitError %+v, want %v value %d max %d", le, tc.prop, tc.value, tc.max)
				}
				if err.Error() != tc.msg {
					t.Errorf("message %q\n         want %q", err.Error(), tc.msg)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("message %q is not one line", err.Error())
				}
				if conn.Err() != nil || conn.Inflight() != 0 || conn.Backlog() != 0 {
					t.Fatalf("after a local refusal: session error %v, inflight %d, backlog %d", conn.Err(), conn.Inflight(), conn.Backlog())
				}
			}
			if err := send(tc.pass); err != nil {
				t.Fatalf("message at the limit: %v", err)
			}
			// The connection keeps order: had the refused message been
			// written, the server would read it first.
			got, ok := b.read().(*mqttwire.Publish)
			if !ok {
				t.Fatalf("server read %T, want the PUBLISH at the limit", got)
			}
			if got.Topic != tc.pass.Topic || !bytes.Equal(got.Payload, tc.pass.Payload) || got.QoS != tc.pass.QoS || got.Retain != tc.pass.Retain {
				t.Fatalf("server read PUBLISH %q (%d bytes, QoS %d), want %q (%d bytes, QoS %d): the refused message was sent",
					got.Topic, len(got.Payload), got.QoS, tc.pass.Topic, len(tc.pass.Payload), tc.pass.QoS)
			}
			if tc.prop == mqttwire.PropMaximumPacketSize {
				if n := got.Header().Size(); n != tc.max {
					t.Errorf("PUBLISH at the limit is %d bytes on the wire, want %d", n, tc.max)
				}
			}
		})
	}
}

// TestConnLimitPacketSizes checks the size the Conn computes is the
// encoded size, across the remaining length's varint boundaries, for both
// versions' layouts and with properties: with a Maximum Packet Size of 1
// every message is refused with its exact size.
func TestConnLimitPacketSizes(t *testing.T) {
	ack := &mqttwire.Connack{}
	ack.Properties.AddInt(mqttwire.PropMaximumPacketSize, 1)
	conn, _ := connect(t, mqttwire.V5, mqttwire.ConnConfig{}, ack)
	for _, payload := range []int{0, 1, 115, 116, 117, 118, 120, 121, 16370, 16371, 16372, 16376, 16377, 2097140, 2097141} {
		for qos := byte(0); qos <= 2; qos++ {
			p := &mqttwire.Publish{Topic: "size/topic", QoS: qos, Payload: make([]byte, payload)}
			if payload%2 == 1 {
				p.Properties.AddInt(mqttwire.PropMessageExpiry, 60).AddUser("k", "v")
			}
			want := encodedSize(t, p, mqttwire.V5)
			var le *mqttwire.LimitError
			if err := conn.Publish(ctxT(t), p, nil); !errors.As(err, &le) || le.Value != want {
				t.Errorf("payload %d QoS %d: %v, want a LimitError for %d bytes", payload, qos, err, want)
			}
		}
	}
}
