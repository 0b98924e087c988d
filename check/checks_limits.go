package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// maxString is the longest string MQTT can carry (a two-byte length,
// MQTT 5.0 §1.5.4): the end of the topic and client id searches.
const maxString = 65535

func limitChecks() []*Check {
	return []*Check{
		{Name: "limits/payload", Category: "limits",
			Verifies: "the largest payload delivered, up to --max-payload, found by bisection",
			Extra:    func(Config) time.Duration { return 10 * time.Second },
			Run:      checkMaxPayload},
		{Name: "limits/topic-length", Category: "limits",
			Verifies: "the longest topic name delivered, up to 65535 bytes",
			Extra:    func(Config) time.Duration { return 5 * time.Second },
			Run:      checkMaxTopicLength},
		{Name: "limits/topic-levels", Category: "limits",
			Verifies: "the deepest topic (most levels) delivered",
			Extra:    func(Config) time.Duration { return 5 * time.Second },
			Run:      checkMaxTopicLevels},
		{Name: "limits/client-id", Category: "limits",
			Verifies: "the longest client id accepted, up to 65535 bytes (at least 23 required, 3.1.1 §3.1.3.1)",
			Extra:    func(Config) time.Duration { return 5 * time.Second },
			Run:      checkMaxClientID},
	}
}

// deliverProbe sends one message of a search and says whether it came
// through. The message goes at QoS 0 and a QoS 1 marker follows it: a
// broker that drops what it will not take, without closing the
// connection or answering, is then told from one that delivers it without
// waiting for a timeout. Each probe uses a new publisher, since a refusal
// usually ends the publisher's connection.
type deliverProbe struct {
	t      *T
	filter string
	sub    *client
}

func (d *deliverProbe) ensureSub(ctx context.Context) error {
	if d.sub != nil {
		select {
		case <-d.sub.Done():
		default:
			return nil
		}
	}
	sub, err := d.t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	if _, err := sub.subscribe(ctx, d.filter, 0); err != nil {
		return err
	}
	d.sub = sub
	return nil
}

func (d *deliverProbe) delivered(ctx context.Context, topic string, payload []byte) (bool, error) {
	if err := d.ensureSub(ctx); err != nil {
		return false, err
	}
	pub, err := d.t.connectRaw(ctx, clientOptions{})
	if err != nil {
		return false, err
	}
	defer pub.Close()
	// Probe and marker both at QoS 0: the order promise holds within one
	// QoS, and a QoS 0 send cannot wait on an acknowledgement from a
	// broker that is closing the connection.
	marker := []byte(fmt.Sprintf("mqtap-probe-end-%d", barrierSeq.Add(1)))
	if pub.Publish(ctx, &mqttwire.Publish{Topic: topic, Payload: payload}, nil) != nil ||
		pub.Publish(ctx, &mqttwire.Publish{Topic: d.t.Topic("marker"), Payload: marker}, nil) != nil {
		return false, nil
	}
	// A broker refusing the probe closes the publisher's connection; the
	// marker then never comes, and the wait ends with the connection.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-pub.Done():
			cancel()
		case <-wctx.Done():
		}
	}()
	delivered := false
	for {
		m, err := d.sub.in.next(wctx, d.sub.Done())
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			return false, nil
		}
		if m.Topic == topic && len(m.Payload) == len(payload) {
			delivered = true
		}
		if string(m.Payload) == string(marker) {
			return delivered, nil
		}
	}
}

func checkMaxPayload(ctx context.Context, t *T) error {
	topic := t.Topic("p")
	d := &deliverProbe{t: t, filter: t.Topic("#")}
	hi := t.run.cfg.MaxPayload
	n, found, err := largest(ctx, 1, hi, func(n int) (bool, error) {
		return d.delivered(ctx, topic, make([]byte, n))
	})
	if err != nil {
		return err
	}
	if !found {
		return failf("a 1-byte payload delivered", "it was not")
	}
	t.Metric("max_payload_bytes", n)
	note := fmt.Sprintf("largest payload %d bytes", n)
	if n == hi {
		note += " (the --max-payload limit of the search)"
	}
	if max, ok := t.run.announced(mqttwire.PropMaximumPacketSize); ok {
		note += fmt.Sprintf("; CONNACK Maximum Packet Size %d", max)
	}
	t.Notef("%s", note)
	return nil
}

// announced is a 5.0 CONNACK property from the probe.
func (r *run) announced(id mqttwire.PropID) (uint32, bool) {
	if r.ack5 == nil {
		return 0, false
	}
	return r.ack5.Properties.Int(id)
}

func checkMaxTopicLength(ctx context.Context, t *T) error {
	base := t.Topic("t") + "/"
	d := &deliverProbe{t: t, filter: t.Topic("#")}
	n, found, err := largest(ctx, len(base)+1, maxString, func(n int) (bool, error) {
		return d.delivered(ctx, base+strings.Repeat("x", n-len(base)), []byte("t"))
	})
	if err != nil {
		return err
	}
	if !found {
		return failf("a short topic delivered", "it was not")
	}
	t.Metric("max_topic_bytes", n)
	t.Notef("longest topic %d bytes", n)
	return nil
}

func checkMaxTopicLevels(ctx context.Context, t *T) error {
	base := t.Topic("l")
	baseLevels := strings.Count(base, "/") + 1
	d := &deliverProbe{t: t, filter: t.Topic("#")}
	topic := func(levels int) string { return base + strings.Repeat("/a", levels-baseLevels) }
	n, found, err := largest(ctx, baseLevels+1, baseLevels+(maxString-len(base))/2, func(n int) (bool, error) {
		return d.delivered(ctx, topic(n), []byte("l"))
	})
	if err != nil {
		return err
	}
	if !found {
		return failf("a topic of a few levels delivered", "it was not")
	}
	t.Metric("max_topic_levels", n)
	t.Notef("deepest topic %d levels", n)
	return nil
}

func checkMaxClientID(ctx context.Context, t *T) error {
	stem := t.run.newID() + "-"
	n, found, err := largest(ctx, 23, maxString, func(n int) (bool, error) {
		id := stem + strings.Repeat("x", n-len(stem))
		c, err := t.connectRaw(ctx, clientOptions{id: id})
		var ce *mqttwire.ConnackError
		var ne interface{ Timeout() bool }
		switch {
		case err == nil:
			c.Disconnect(ctx, nil)
			return true, nil
		case errors.As(err, &ne) && ne.Timeout() && ctx.Err() != nil:
			return false, err
		case errors.As(err, &ce):
			return false, nil
		}
		return false, nil // closed or malformed: the broker did not take it
	})
	if err != nil {
		return err
	}
	if !found {
		return failf("a 23-character client id accepted (3.1.1 §3.1.3.1)", "it was refused")
	}
	t.Metric("max_client_id_bytes", n)
	t.Notef("longest client id %d bytes", n)
	return nil
}
