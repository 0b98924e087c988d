package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

func wildcardChecks() []*Check {
	return []*Check{
		{Name: "wildcard/plus", Category: "wildcard", Needs: []string{CapWildcard},
			Verifies: "'+' matches exactly one level, empty levels included (MQTT 5.0 §4.7.1.3)",
			Run: wildcardCheck("a/+/c",
				[]string{"a/b/c", "a/x/c", "a//c"},
				[]string{"a/b/b/c", "a/c", "a/b/cx", "ax/b/c"})},
		{Name: "wildcard/hash", Category: "wildcard", Needs: []string{CapWildcard},
			Verifies: "'#' matches its parent level and every level below it (MQTT 5.0 §4.7.1.2)",
			Run: wildcardCheck("a/#",
				[]string{"a", "a/b", "a/b/c/d", "a/"},
				[]string{"ab", "b/a"})},
		{Name: "wildcard/sys", Category: "wildcard", Needs: []string{CapWildcard, CapSys},
			Verifies: "'#' does not match $SYS topics, which the broker does publish (MQTT 5.0 §4.7.2)",
			Run:      checkSysNotMatched},
	}
}

// wildcardCheck subscribes to filter under the check's topic, publishes
// to every topic in match and miss, and wants exactly the matches.
func wildcardCheck(filter string, match, miss []string) func(context.Context, *T) error {
	return func(ctx context.Context, t *T) error {
		base := t.Topic()
		sub, err := t.connect(ctx, clientOptions{})
		if err != nil {
			return err
		}
		if _, err := sub.subscribe(ctx, base+filter, 0); err != nil {
			return err
		}
		pub, err := t.connect(ctx, clientOptions{})
		if err != nil {
			return err
		}
		for _, topic := range slices.Concat(match, miss) {
			if err := pub.publish(ctx, &mqttwire.Publish{Topic: base + topic, QoS: 1, Payload: []byte(topic)}); err != nil {
				return err
			}
		}
		got, err := sub.until(ctx, pub, base+match[0])
		if err != nil {
			return err
		}
		var gotTopics []string
		for _, m := range got {
			gotTopics = append(gotTopics, strings.TrimPrefix(m.Topic, base))
		}
		slices.Sort(gotTopics)
		want := slices.Sorted(slices.Values(match))
		if !slices.Equal(gotTopics, want) {
			return failf(fmt.Sprintf("%s to match %q", filter, want), "%q", gotTopics)
		}
		t.Notef("%s matched %d of %d topics as it should", filter, len(match), len(match)+len(miss))
		return nil
	}
}

// sysWait bounds the wait for the broker's first $SYS message; brokers
// retain them, so one usually comes at once.
const sysWait = 3 * time.Second

func checkSysNotMatched(ctx context.Context, t *T) error {
	sys, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	// Only a SUBACK refusal is evidence that $SYS is not offered; a
	// timeout or a lost connection is the broker failing the check.
	if code, err := sys.subscribe(ctx, "$SYS/#", 0); err != nil {
		if code >= 0x80 {
			return skip(CapSys, "$SYS/# refused: %v", err)
		}
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, sysWait)
	m, err := sys.in.next(sctx, sys.Done())
	cancel()
	if err != nil {
		return skip(CapSys, "no $SYS message within %v of subscribing to $SYS/#", sysWait)
	}
	sys.Disconnect(ctx, nil)
	marker := t.Topic("marker")
	// "#" sees all the broker's traffic: keep only what the check is about.
	all, err := t.connect(ctx, clientOptions{filter: func(p *mqttwire.Publish) bool {
		return strings.HasPrefix(p.Topic, "$") || p.Topic == marker
	}})
	if err != nil {
		return err
	}
	if _, err := all.subscribe(ctx, "#", 0); err != nil {
		return err
	}
	pub, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return err
	}
	got, err := all.until(ctx, pub, marker)
	if err != nil {
		return err
	}
	if len(got) > 0 {
		return failf("'#' not to match topics starting with $", "%s", topics(got[:min(3, len(got))]))
	}
	t.Notef("$SYS published (%s), not matched by #", m.Topic)
	return nil
}
