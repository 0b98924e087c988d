package check

import "time"

// Report is a whole run: what the broker announced, what was measured,
// and every check's result in battery order.
type Report struct {
	Broker       string         `json:"broker"`
	Version      string         `json:"version"` // of the checks not about a version
	Prefix       string         `json:"prefix"`
	Started      time.Time      `json:"started"`
	Duration     time.Duration  `json:"-"`
	Capabilities []Capability   `json:"capabilities"`
	Connack      map[string]any `json:"connack_properties,omitempty"`
	Limits       map[string]any `json:"limits,omitempty"`
	Throughput   map[string]any `json:"throughput,omitempty"` // --bench's messages per second
	Results      []Result       `json:"results"`
}

// Count returns how many results have the status.
func (r *Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool { return r.Count(Fail) > 0 }
