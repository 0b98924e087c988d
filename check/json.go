package check

import (
	"encoding/json"
	"io"
)

// jsonResult is a Result with its time in seconds, as the report's
// readers (jq, dashboards) want numbers, not Go durations.
type jsonResult struct {
	Result
	Seconds float64 `json:"seconds"`
}

// WriteJSON writes the report as one JSON document: capabilities, the
// CONNACK properties, measured limits and every result.
func WriteJSON(w io.Writer, r *Report) error {
	doc := struct {
		*Report
		Seconds float64        `json:"seconds"`
		Summary map[Status]int `json:"summary"`
		Results []jsonResult   `json:"results"`
	}{Report: r, Seconds: r.Duration.Seconds(),
		Summary: map[Status]int{Pass: r.Count(Pass), Fail: r.Count(Fail), Skip: r.Count(Skip)}}
	for _, res := range r.Results {
		doc.Results = append(doc.Results, jsonResult{Result: res, Seconds: res.Duration.Seconds()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
