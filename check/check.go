package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Check is one row of the battery.
type Check struct {
	Name     string // category/what, unique
	Category string
	// Needs lists capabilities without which the check is skipped (or,
	// when the user requires them, failed) without running.
	Needs []string
	// Verifies says in a sentence what the check proves, for --list.
	Verifies string
	// Serial checks run alone after the others: a benchmark measures the
	// broker, not the broker plus the rest of the battery.
	Serial bool
	// Extra is added to the per-check timeout for what the check waits on
	// purpose (a will delay, a message expiry, a benchmark's duration).
	Extra func(Config) time.Duration
	Run   func(ctx context.Context, t *T) error
}

// Select picks checks by name or category: only (if not empty) keeps the
// named ones, skip drops them. A name that matches nothing is an error,
// so a typo does not silently test less.
func Select(all []*Check, only, skip []string) ([]*Check, error) {
	known := map[string]bool{}
	for _, c := range all {
		known[c.Name], known[c.Category] = true, true
	}
	for _, n := range slices.Concat(only, skip) {
		if !known[n] {
			return nil, fmt.Errorf("no check or category %q (see --list)", n)
		}
	}
	match := func(c *Check, names []string) bool {
		return slices.Contains(names, c.Name) || slices.Contains(names, c.Category)
	}
	var out []*Check
	for _, c := range all {
		if (len(only) == 0 || match(c, only)) && !match(c, skip) {
			out = append(out, c)
		}
	}
	return out, nil
}

// ValidateCapabilities reports names that are not capabilities.
func ValidateCapabilities(names []string) error {
	var bad []string
	for _, n := range names {
		if !slices.Contains(CapabilityNames, n) {
			bad = append(bad, n)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("unknown capability %s (want %s)", strings.Join(bad, ", "), strings.Join(CapabilityNames, ", "))
	}
	return nil
}
