package commands

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// latencySamples bounds the ack latencies kept for the percentiles.
const latencySamples = 1 << 16

// pubStats counts what a pub run sent and what the broker acknowledged.
// Acks arrive on the session's read goroutine, hence the mutex.
type pubStats struct {
	mu        sync.Mutex
	start     time.Time
	sent      int // messages handed to the session
	bytes     int // payload bytes sent
	needAck   int // QoS 1/2 messages sent
	acked     int
	refused   int
	firstFail error // first refusal or flow failure
	// latencies is a uniform sample (reservoir) of at most latencySamples
	// ack latencies, so a run of any length keeps bounded memory; the
	// maximum is kept exactly.
	latencies  []time.Duration
	maxLatency time.Duration
	// resent counts messages sent again on a new connection, reconnects
	// the new connections.
	resent, reconnects int
}

func (s *pubStats) resentMessages(n, reconnects int) {
	s.mu.Lock()
	s.resent += n
	s.reconnects = reconnects
	s.mu.Unlock()
}

func (s *pubStats) published(payload int, qos byte) {
	s.mu.Lock()
	s.sent++
	s.bytes += payload
	if qos > 0 {
		s.needAck++
	}
	s.mu.Unlock()
}

// done is the session's callback for a finished QoS 1/2 flow.
func (s *pubStats) done(r mqttwire.PublishResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ae *mqttwire.AckError
	switch {
	case r.Err == nil:
		s.acked++
		lat := r.Done.Sub(r.Sent)
		s.maxLatency = max(s.maxLatency, lat)
		if len(s.latencies) < latencySamples {
			s.latencies = append(s.latencies, lat)
		} else if j := rand.IntN(s.acked); j < latencySamples {
			s.latencies[j] = lat
		}
	case errors.As(r.Err, &ae):
		s.refused++
		if s.firstFail == nil {
			s.firstFail = r.Err
		}
	}
}

// snapshot returns the counters under the lock.
func (s *pubStats) snapshot() (sent, needAck, acked, refused int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent, s.needAck, s.acked, s.refused
}

// outcome turns the counts into the run's error: some messages refused,
// or some not acknowledged (why, in cause).
func (s *pubStats) outcome(cause error) error {
	sent, needAck, acked, refused := s.snapshot()
	missing := needAck - acked - refused
	switch {
	case missing > 0 && cause != nil:
		return fmt.Errorf("%w (%d of %d messages not acknowledged)", cause, missing, sent)
	case missing > 0:
		return exitf(ExitTimeout, "%d of %d messages not acknowledged", missing, sent)
	case refused > 0:
		return withCode(ExitFailure, fmt.Errorf("%d of %d messages refused by the broker (first: %w)", refused, sent, s.firstFail))
	}
	return cause
}

// writeSummary prints the run's totals and the ack latency percentiles.
func (s *pubStats) writeSummary(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el := time.Since(s.start)
	rate := float64(s.sent) / el.Seconds()
	fmt.Fprintf(w, "published %d messages, %s in %v (%.0f msg/s)\n", s.sent, byteCount(s.bytes), el.Round(time.Millisecond), rate)
	if s.needAck > 0 {
		fmt.Fprintf(w, "delivery: sent %d, acknowledged %d, refused %d, resent %d (%d reconnects), not acknowledged %d\n",
			s.needAck, s.acked, s.refused, s.resent, s.reconnects, s.needAck-s.acked-s.refused)
	}
	if len(s.latencies) == 0 {
		return
	}
	l := slices.Clone(s.latencies)
	slices.Sort(l)
	pct := func(p float64) time.Duration { return l[min(len(l)-1, int(p*float64(len(l))))] }
	fmt.Fprintf(w, "acknowledged %d: latency p50 %v, p99 %v, max %v\n", s.acked, roundDur(pct(0.50)), roundDur(pct(0.99)), roundDur(s.maxLatency))
}

func roundDur(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func byteCount(n int) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
