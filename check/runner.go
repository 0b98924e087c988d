package check

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// run is the state one battery run shares between its checks: read-only
// once the checks start.
type run struct {
	cfg      Config
	id       string // random, in topics and client ids, so runs never meet
	version  mqttwire.Version
	caps     map[string]Capability
	ack5     *mqttwire.Connack
	probes   map[mqttwire.Version]versionProbe
	required map[string]bool
}

// BrokerError is a broker that could not be used at all, so no check ran:
// Err says why (a transport dial error, a CONNACK refusal, a timeout).
type BrokerError struct{ Err error }

func (e *BrokerError) Error() string { return e.Err.Error() }
func (e *BrokerError) Unwrap() error { return e.Err }

// Run runs the checks against the broker. It returns a *BrokerError when
// the broker cannot be reached or refuses the configured connection,
// with a report holding that one failure; check failures are in the
// report.
func Run(ctx context.Context, cfg Config, checks []*Check) (*Report, error) {
	var b [4]byte
	rand.Read(b[:])
	r := &run{id: hex.EncodeToString(b[:]), required: map[string]bool{}}
	r.cfg = cfg.withDefaults(r.id)
	for _, c := range r.cfg.Require {
		r.required[c] = true
	}
	rep := &Report{Broker: r.cfg.Broker, Prefix: r.cfg.Prefix, Started: time.Now()}
	r.probes = r.probeVersions(ctx)
	if err := r.learn(r.probes); err != nil {
		// The report still says what happened, so that a CI job's report
		// step has a failure to show rather than a missing file.
		rep.Results = []Result{{Name: "connect/broker", Category: "connect", Status: Fail,
			Expected: "a broker that accepts the configured connection", Got: err.Error(),
			Detail: err.Error(), Duration: time.Since(rep.Started)}}
		rep.Duration = time.Since(rep.Started)
		return rep, &BrokerError{Err: err}
	}
	rep.Version = r.version.String()
	for _, name := range CapabilityNames {
		if c, ok := r.caps[name]; ok {
			rep.Capabilities = append(rep.Capabilities, c)
		}
	}
	rep.Connack = connackReport(r.ack5)
	if !r.cfg.Bench {
		// Benchmarks load the broker for seconds: only on request.
		checks = slices.DeleteFunc(slices.Clone(checks), func(c *Check) bool { return c.Category == "bench" })
	}
	rep.Results = r.runAll(ctx, checks)
	for _, res := range rep.Results {
		into := &rep.Limits
		switch res.Category {
		case "limits":
		case "bench":
			into = &rep.Throughput
		default:
			continue
		}
		for k, v := range res.Metrics {
			if *into == nil {
				*into = map[string]any{}
			}
			(*into)[k] = v
		}
	}
	rep.Duration = time.Since(rep.Started)
	return rep, nil
}

// runAll runs the parallel checks, at most cfg.Parallel at once, then the
// serial ones; results keep the battery's order.
func (r *run) runAll(ctx context.Context, checks []*Check) []Result {
	results := make([]Result, len(checks))
	sem := make(chan struct{}, r.cfg.Parallel)
	var wg sync.WaitGroup
	for i, c := range checks {
		if c.Serial {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = r.runOne(ctx, c)
		})
	}
	wg.Wait()
	for i, c := range checks {
		if c.Serial {
			results[i] = r.runOne(ctx, c)
		}
	}
	return results
}

// runOne runs a check under its timeout and cleans up after it.
func (r *run) runOne(ctx context.Context, c *Check) (res Result) {
	res = Result{Name: c.Name, Category: c.Category}
	start := time.Now()
	defer func() {
		if res.Duration == 0 {
			res.Duration = time.Since(start)
		}
		if r.cfg.OnResult != nil {
			r.cfg.OnResult(res)
		}
	}()
	for _, need := range c.Needs {
		if cap := r.caps[need]; !cap.Available {
			outcome(&res, skip(need, "%s", cap.Evidence), r.required)
			return res
		}
	}
	timeout := r.cfg.Timeout
	if c.Extra != nil {
		timeout += c.Extra(r.cfg)
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	cctx = context.WithValue(cctx, timeoutKey{}, timeout)
	defer cancel()
	t := &T{run: r, check: c}
	errc := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				errc <- fmt.Errorf("check panicked: %v\n%s", p, debug.Stack())
			}
		}()
		errc <- c.Run(cctx, t)
	}()
	var err error
	select {
	case err = <-errc:
	case <-cctx.Done():
		// Every wait in a check honours ctx; this bounds a check that
		// does not, so one bug cannot hang the battery.
		select {
		case err = <-errc:
		case <-time.After(2 * time.Second):
			err = failf(fmt.Sprintf("the check to end within %v", timeout), "it was still running")
		}
	}
	t.finish(r.cfg.Timeout)
	outcome(&res, err, r.required)
	t.mu.Lock()
	defer t.mu.Unlock()
	if res.Status == Pass {
		res.Detail = strings.Join(t.notes, "; ")
	}
	if len(t.metrics) > 0 {
		res.Metrics = t.metrics
	}
	res.Duration = t.took
	return res
}

// Checks is the whole battery, in the order reports list it.
func Checks() []*Check { return slices.Clone(allChecks()) }

// allChecks builds the battery on first use, not at start-up: every mqtap
// command links this package, and only check runs it.
var allChecks = sync.OnceValue(func() []*Check {
	return slices.Concat(connectChecks(), pubsubChecks(), retainChecks(), willChecks(), wildcardChecks(),
		sessionChecks(), limitChecks(), v5Checks(), benchChecks())
})
