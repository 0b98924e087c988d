package check

import (
	"errors"
	"fmt"
	"time"
)

// Status is how a check ended.
type Status string

// The three outcomes of a check.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Result is one check's outcome.
type Result struct {
	Name     string        `json:"name"`
	Category string        `json:"category"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"-"`
	// Detail is the measurements of a pass, the reason of a failure or the
	// evidence for a skip.
	Detail string `json:"detail,omitempty"`
	// Expected and Got split a failure's reason, for JUnit's message and
	// body.
	Expected string `json:"expected,omitempty"`
	Got      string `json:"got,omitempty"`
	// Capability is the capability a skip is about.
	Capability string         `json:"capability,omitempty"`
	Metrics    map[string]any `json:"metrics,omitempty"`
}

// Failure is a check that saw something other than what the specification
// or the broker's own announcement requires.
type Failure struct {
	Expected string
	Got      string
}

func (f *Failure) Error() string { return "expected " + f.Expected + ", got " + f.Got }

// failf builds a Failure; got is formatted with args.
func failf(expected, got string, args ...any) error {
	return &Failure{Expected: expected, Got: fmt.Sprintf(got, args...)}
}

// SkipError ends a check because the broker does not offer a capability.
type SkipError struct {
	Capability string // a Capability name, so --require can turn it into a failure
	Evidence   string // what showed it ("CONNACK Maximum QoS 1")
}

func (s *SkipError) Error() string { return s.Evidence }

// skip ends a check for a missing capability.
func skip(capability, evidence string, args ...any) error {
	return &SkipError{Capability: capability, Evidence: fmt.Sprintf(evidence, args...)}
}

// outcome turns what a check function returned into a result, applying
// the capabilities the user requires.
func outcome(r *Result, err error, required map[string]bool) {
	var s *SkipError
	var f *Failure
	switch {
	case err == nil:
		r.Status = Pass
	case errors.As(err, &s) && s.Capability != "" && required[s.Capability]:
		r.Status, r.Capability = Fail, s.Capability
		r.Expected = "required capability " + s.Capability
		r.Got = s.Evidence
		r.Detail = fmt.Sprintf("required capability %s not offered: %s", s.Capability, s.Evidence)
	case errors.As(err, &s):
		r.Status, r.Capability, r.Detail = Skip, s.Capability, s.Evidence
	case errors.As(err, &f):
		r.Status, r.Expected, r.Got, r.Detail = Fail, f.Expected, f.Got, err.Error()
		if f.Expected == "" {
			r.Detail = f.Got
		}
	default:
		r.Status, r.Got, r.Detail = Fail, err.Error(), err.Error()
	}
}
