//go:build race

package proxy_test

// raceEnabled scales the long-stream tests down: the race detector slows
// the tap's dissection tenfold, and every wait is bounded.
const raceEnabled = true
