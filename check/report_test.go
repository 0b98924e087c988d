package check_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mqtap/mqtap/check"
)

// The JUnit schema as CI systems read it.
type (
	xSuites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Errors   int      `xml:"errors,attr"`
		Time     string   `xml:"time,attr"`
		Suites   []xSuite `xml:"testsuite"`
	}
	xSuite struct {
		Name     string  `xml:"name,attr"`
		Tests    int     `xml:"tests,attr"`
		Failures int     `xml:"failures,attr"`
		Skipped  int     `xml:"skipped,attr"`
		Time     string  `xml:"time,attr"`
		Cases    []xCase `xml:"testcase"`
	}
	xCase struct {
		Name      string `xml:"name,attr"`
		ClassName string `xml:"classname,attr"`
		Time      string `xml:"time,attr"`
		Failure   *struct {
			Message string `xml:"message,attr"`
			Text    string `xml:",chardata"`
		} `xml:"failure"`
		Skipped *struct {
			Message string `xml:"message,attr"`
		} `xml:"skipped"`
	}
)

func parseSeconds(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		t.Fatalf("time %q is not a number of seconds", s)
	}
	return f
}

// A run with passes, a failure and a skip, written as JUnit and read back:
// one suite per category, counts that add up, times that add up, failure
// and skip reasons where CI renderers look for them.
func TestJUnitStructure(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{hooks: []mqtt.Hook{&ignoreRetain{}}})
	cfg := configFor(addr)
	cfg.Timeout = brokenTimeout
	rep := runChecks(t, cfg, "connect", "retain", "pubsub/qos0")
	var buf bytes.Buffer
	if err := check.WriteJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc xSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	wantSuites := []string{"connect", "pubsub", "retain"}
	var names []string
	tests, failures, skipped := 0, 0, 0
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		f, sk := 0, 0
		var sum float64
		for _, c := range s.Cases {
			if c.Failure != nil && c.Skipped != nil {
				t.Errorf("%s is both failed and skipped", c.Name)
			}
			if c.Failure != nil {
				f++
				if c.Failure.Message == "" || c.Failure.Text == "" {
					t.Errorf("%s: failure without message or detail", c.Name)
				}
			}
			if c.Skipped != nil {
				sk++
				if c.Skipped.Message == "" {
					t.Errorf("%s: skipped without a reason", c.Name)
				}
			}
			if !strings.HasPrefix(c.Name, s.Name+"/") || c.ClassName != "mqtap.check."+s.Name {
				t.Errorf("case %s (class %s) in suite %s", c.Name, c.ClassName, s.Name)
			}
			sum += parseSeconds(t, c.Time)
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Skipped != sk {
			t.Errorf("suite %s says %d/%d/%d tests/failures/skipped, has %d/%d/%d", s.Name, s.Tests, s.Failures, s.Skipped, len(s.Cases), f, sk)
		}
		// Each time is rounded to a millisecond.
		if math.Abs(parseSeconds(t, s.Time)-sum) > 0.001*float64(len(s.Cases)+1) {
			t.Errorf("suite %s time %s, its cases add up to %.3f", s.Name, s.Time, sum)
		}
		tests, failures, skipped = tests+s.Tests, failures+s.Failures, skipped+s.Skipped
	}
	if strings.Join(names, ",") != strings.Join(wantSuites, ",") {
		t.Errorf("suites %v, want %v", names, wantSuites)
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Skipped != skipped || doc.Errors != 0 {
		t.Errorf("testsuites says %d/%d/%d, suites add up to %d/%d/%d", doc.Tests, doc.Failures, doc.Skipped, tests, failures, skipped)
	}
	if doc.Tests != len(rep.Results) || failures != rep.Count(check.Fail) || skipped != rep.Count(check.Skip) {
		t.Errorf("XML counts %d/%d/%d, report %d/%d/%d", doc.Tests, failures, skipped,
			len(rep.Results), rep.Count(check.Fail), rep.Count(check.Skip))
	}
	if failures == 0 || skipped == 0 || tests-failures-skipped == 0 {
		t.Errorf("want passes, failures and skips in the sample, got %d/%d/%d", tests, failures, skipped)
	}
	parseSeconds(t, doc.Time)
}

// The JSON report carries the summary, capabilities, CONNACK properties,
// limits and results with times.
func TestJSONReport(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{caps: func(c *mqtt.Capabilities) { c.MaximumQos = 1 }})
	rep := runChecks(t, configFor(addr), "pubsub/qos2", "limits/client-id", "mqtt5/connack-properties")
	var buf bytes.Buffer
	if err := check.WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary      map[string]int     `json:"summary"`
		Capabilities []check.Capability `json:"capabilities"`
		Connack      map[string]any     `json:"connack_properties"`
		Limits       map[string]any     `json:"limits"`
		Results      []struct {
			Name    string   `json:"name"`
			Status  string   `json:"status"`
			Seconds *float64 `json:"seconds"`
		} `json:"results"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary["pass"] != 2 || doc.Summary["skip"] != 1 || doc.Summary["fail"] != 0 {
		t.Errorf("summary %v", doc.Summary)
	}
	var qos2 check.Capability
	for _, c := range doc.Capabilities {
		if c.Name == check.CapQoS2 {
			qos2 = c
		}
	}
	if qos2.Available || qos2.Evidence != "CONNACK Maximum QoS 1" {
		t.Errorf("qos2 capability %+v", qos2)
	}
	if doc.Connack["Maximum QoS"] != float64(1) {
		t.Errorf("CONNACK properties %v", doc.Connack)
	}
	if _, ok := doc.Limits["max_client_id_bytes"]; !ok {
		t.Errorf("limits %v", doc.Limits)
	}
	for _, r := range doc.Results {
		if r.Seconds == nil {
			t.Errorf("%s has no time", r.Name)
		}
	}
}

// The table is plain without colour and has one row per check.
func TestTable(t *testing.T) {
	rep := &check.Report{Broker: "b:1883", Version: "5.0", Prefix: "p/", Results: []check.Result{
		{Name: "a/one", Status: check.Pass, Detail: "fine"},
		{Name: "a/two", Status: check.Fail, Detail: "expected x, got y"},
		{Name: "b/three", Status: check.Skip, Detail: "CONNACK Maximum QoS 1"},
	}}
	var plain, coloured bytes.Buffer
	check.WriteTable(&plain, rep, false)
	check.WriteTable(&coloured, rep, true)
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain table has escape sequences")
	}
	if !strings.Contains(coloured.String(), "\x1b[") {
		t.Error("coloured table has no escape sequences")
	}
	for _, want := range []string{"a/one    PASS", "a/two    FAIL", "expected x, got y", "b/three  SKIP", "1 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, plain.String())
		}
	}
}

func TestSelect(t *testing.T) {
	all := check.Checks()
	got, err := check.Select(all, []string{"retain", "pubsub/qos1"}, []string{"retain/cleared"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "pubsub/qos1,retain/delivered" {
		t.Errorf("selected %v", names)
	}
	if _, err := check.Select(all, []string{"nosuch"}, nil); err == nil {
		t.Error("an unknown name was accepted")
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c.Name] || !strings.HasPrefix(c.Name, c.Category+"/") || c.Verifies == "" {
			t.Errorf("check %q: names must be unique, under their category, and say what they verify", c.Name)
		}
		seen[c.Name] = true
	}
}
