package check

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// expiryWait bounds how long an expired retained message may still be
// delivered: brokers count expiry in whole seconds and some sweep once a
// second.
const expiryWait = 5 * time.Second

func checkMessageExpiry(ctx context.Context, t *T) error {
	topic := t.Topic("exp")
	live, pub, err := v5Pair(ctx, t, topic, 1)
	if err != nil {
		return err
	}
	t.clearRetained(topic)
	p := &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true, Payload: []byte("expires")}
	p.Properties.AddInt(mqttwire.PropMessageExpiry, 1)
	sent := time.Now()
	if err := pub.publish(ctx, p); err != nil {
		return err
	}
	m, err := live.expect(ctx, "the message with Message Expiry Interval 1")
	if err != nil {
		return err
	}
	if v, ok := m.Properties.Int(mqttwire.PropMessageExpiry); !ok || v > 1 {
		return failf("Message Expiry Interval forwarded, at most 1", "%v (present: %v)", v, ok)
	}
	// Ask again as a new subscriber until the retained message is gone; a
	// broker that never expires it runs into the deadline.
	for {
		c, err := t.connectRaw(ctx, clientOptions{version: mqttwire.V5})
		if err != nil {
			return err
		}
		_, err = c.subscribe(ctx, topic, 1)
		var got []*mqttwire.Publish
		if err == nil {
			got, err = c.until(ctx, pub, topic)
		}
		c.Close()
		if err != nil {
			return err
		}
		if len(got) == 0 {
			t.Notef("expired retained message gone %v after publishing", time.Since(sent).Round(100*time.Millisecond))
			return nil
		}
		if time.Since(sent) > expiryWait {
			return failf("the retained message gone once its 1s Message Expiry Interval passed",
				"it still delivered after %v", time.Since(sent).Round(100*time.Millisecond))
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// sharedCount is how many messages the shared subscription check sends:
// enough that a broker choosing members at random, even unevenly, reaches
// both. mochi takes the first member its Go map iteration meets, which
// favours one of two members about 72 to 28 (200-message runs split
// [135 65] to [152 48]); of 20 messages it once gave all to one member in
// CI. Even at 90 to 10, 200 messages all go one way with odds of 10^-9. A
// broker that always picks the same member still fails.
const sharedCount = 200

func checkShared(ctx context.Context, t *T) error {
	topic := t.Topic("shared")
	filter := "$share/" + "g" + t.run.id + "/" + topic
	var members []*client
	for range 2 {
		m, err := t.connect(ctx, clientOptions{version: mqttwire.V5})
		if err != nil {
			return err
		}
		if _, err := m.subscribe(ctx, filter, 1); err != nil {
			return err
		}
		members = append(members, m)
	}
	pub, err := t.connect(ctx, clientOptions{version: mqttwire.V5})
	if err != nil {
		return err
	}
	for i := range sharedCount {
		p := &mqttwire.Publish{Topic: topic, QoS: 1, Payload: binary.BigEndian.AppendUint32(nil, uint32(i))}
		if err := pub.publish(ctx, p); err != nil {
			return err
		}
	}
	perMember, seen, err := collectShared(ctx, members)
	if err != nil {
		return err
	}
	for i, n := range seen {
		if n > 1 {
			return failf("each message to one member of the group", "message %d delivered %d times", i, n)
		}
	}
	if slices.Contains(perMember, 0) {
		return failf(fmt.Sprintf("%d messages spread over 2 members", sharedCount), "%v per member", perMember)
	}
	t.Notef("%d messages split %v", sharedCount, perMember)
	return nil
}

// collectShared reads the members' messages until every number has come
// once, then counts them per member. A marker cannot tell that nothing
// more will come, since it too goes to one member only; so duplicates are
// caught while they arrive with the others.
func collectShared(ctx context.Context, members []*client) (perMember []int, seen []int, err error) {
	perMember, seen = make([]int, len(members)), make([]int, sharedCount)
	type delivery struct {
		member int
		m      *mqttwire.Publish
	}
	ch := make(chan delivery)
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for i, c := range members {
		wg.Go(func() {
			for {
				m, err := c.in.next(cctx, c.Done())
				if err != nil {
					return
				}
				select {
				case ch <- delivery{i, m}:
				case <-cctx.Done():
					return
				}
			}
		})
	}
	for distinct := 0; distinct < sharedCount; {
		select {
		case d := <-ch:
			n := seqOf(d.m)
			if n < 0 || n >= sharedCount {
				continue
			}
			if seen[n] == 0 {
				distinct++
			}
			seen[n]++
			perMember[d.member]++
		case <-ctx.Done():
			return nil, nil, failf(fmt.Sprintf("all %d messages at the group", sharedCount), "%d of them", distinct)
		}
	}
	return perMember, seen, nil
}
