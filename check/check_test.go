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
	// Measured throughput is reported apart from the broker's limits.
	for _, k := range []string{"bench_qos0_received_per_s", "bench_qos1_received_per_s"} {
		if _, ok := rep.Throughput[k]; !ok {
			t.Errorf("throughput lacks %s: %v", k, rep.Throughput)
		}
		if _, ok := rep.Limits[k]; ok {
			t.Errorf("limits hold the benchmark's %s", k)
		}
	}
	if _, ok := rep.Limits["max_payload_bytes"]; !ok {
		t.Errorf("limits lack max_payload_bytes: %v", rep.Limits)
	}
	// A version check's time is its probe's CONNACK round trip, which its
	// detail names, not the instant it took to report it.
	r := result(t, rep, "connect/v5.0")
	if want := "CONNACK in " + r.Duration.Round(time.Microsecond).String(); r.Detail != want {
		t.Errorf("connect/v5.0 took %v with detail %q, want %q", r.Duration, r.Detail, want)
	}
}
