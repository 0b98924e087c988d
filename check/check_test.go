package check_test

import (
	"testing"
	"time"

	"github.com/mqtap/mqtap/check"
)

// Against a healthy broker every check passes, or is skipped for a reason
// the broker (or the run's options) gave.
func TestMochiAllPassOrSkip(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{})
	cfg := configFor(addr)
	cfg.Bench, cfg.BenchDuration = true, 300*time.Millisecond
	rep := runChecks(t, cfg)
	wantSkips := map[string]string{
		"connect/credentials":     "no credentials given (-u, -P)",
		"connect/bad-credentials": "--expect-auth not given",
		// mochi takes topic aliases but does not announce a Topic Alias
		// Maximum, so a client may not use them (MQTT 5.0 §3.2.2.3.8).
		"mqtt5/topic-alias": "CONNACK has no Topic Alias Maximum (means 0)",
	}
	for _, r := range rep.Results {
		switch {
		case r.Status == check.Fail:
			t.Errorf("%s failed: %s", r.Name, r.Detail)
		case r.Status == check.Skip && wantSkips[r.Name] != r.Detail:
			t.Errorf("%s skipped with %q, want %q", r.Name, r.Detail, wantSkips[r.Name])
		case r.Status == check.Pass && wantSkips[r.Name] != "":
			t.Errorf("%s passed, want a skip: %s", r.Name, wantSkips[r.Name])
		}
	}
	if len(rep.Results) != len(check.Checks()) {
		t.Errorf("%d results for %d checks", len(rep.Results), len(check.Checks()))
	}
}
