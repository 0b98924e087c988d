//go:build race

package mqttwire

// raceEnabled: the race detector allocates for its own bookkeeping, so
// allocation counts are checked only without it (CI's interop run).
const raceEnabled = true
