package commands

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// parseRate reads --rate: "100", "100/s", "30/m", "2/h", "0.5/s".
func parseRate(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	num, unit, _ := strings.Cut(s, "/")
	per := map[string]time.Duration{"": time.Second, "s": time.Second, "m": time.Minute, "h": time.Hour}[unit]
	r, err := strconv.ParseFloat(num, 64)
	if err != nil || r <= 0 || per == 0 {
		return 0, usageError("--rate %q: want a positive rate such as 100/s, 30/m or 2/h", s)
	}
	return time.Duration(float64(per) / r), nil
}

// parseDelay reads a pause given as seconds, as mosquitto_pub's
// --repeat-delay ("0.5"), or as a Go duration ("500ms").
func parseDelay(flag, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs < 0 || secs > 1e9 {
		return 0, usageError("--%s %q: want seconds (0.5) or a duration (500ms)", flag, s)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// pacer spaces messages: --rate sets a schedule measured from the start (so
// a slow send is made up for), --repeat-delay a pause between messages.
type pacer struct {
	interval time.Duration
	delay    time.Duration
	start    time.Time
	n        int
}

func (p *pacer) wait(ctx context.Context) error {
	var d time.Duration
	switch {
	case p.n == 0:
		p.start = time.Now()
	case p.interval > 0:
		d = time.Until(p.start.Add(time.Duration(p.n) * p.interval))
	case p.delay > 0:
		d = p.delay
	}
	p.n++
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
