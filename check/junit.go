package check

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// The JUnit XML schema as Jenkins, GitLab and the GitHub Actions test
// reporters read it: one testsuite per category, a failure element with
// a one-line message and the detail as text, a skipped element with the
// reason, times in seconds.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Timestamp  string          `xml:"timestamp,attr"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		ClassName string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes the report as JUnit XML.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Name: "mqtap check " + r.Broker, Time: seconds(r.Duration)}
	index := map[string]int{}
	var suiteTime []time.Duration
	for _, res := range r.Results {
		i, ok := index[res.Category]
		if !ok {
			i = len(out.Suites)
			index[res.Category] = i
			props := []junitProperty{{"broker", r.Broker}}
			if r.Version != "" { // none when no connection was accepted
				props = append(props, junitProperty{"mqtt_version", r.Version})
			}
			out.Suites = append(out.Suites, junitSuite{Name: res.Category, Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"),
				Properties: props})
			suiteTime = append(suiteTime, 0)
		}
		s := &out.Suites[i]
		c := junitCase{Name: res.Name, ClassName: "mqtap.check." + res.Category, Time: seconds(res.Duration)}
		switch res.Status {
		case Fail:
			msg := res.Detail
			if res.Expected != "" {
				msg = "expected " + res.Expected
			}
			c.Failure = &junitFailure{Message: msg, Type: "CheckFailed", Text: res.Detail}
			s.Failures++
		case Skip:
			c.Skipped = &junitSkipped{Message: res.Detail}
			s.Skipped++
		case Pass:
			c.SystemOut = res.Detail
		}
		s.Tests++
		suiteTime[i] += res.Duration
		s.Cases = append(s.Cases, c)
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		// Checks in a suite overlap in time, so a suite's time is the sum
		// of its cases: what the renderers expect, not the wall clock.
		s.Time = seconds(suiteTime[i])
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
