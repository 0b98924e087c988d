//go:build !race

package mqttwire

const raceEnabled = false
