package check

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"
)

// statusStyle is how a status looks in the table.
var statusStyle = map[Status]struct {
	label string
	attrs []color.Attribute
}{
	Pass: {"PASS", []color.Attribute{color.FgGreen}},
	Fail: {"FAIL", []color.Attribute{color.FgRed, color.Bold}},
	Skip: {"SKIP", []color.Attribute{color.FgYellow}},
}

// WriteTable writes the human report: one row per check (name, result,
// time, detail) and a summary line. colour adds ANSI colours; the caller
// decides (terminal, NO_COLOR, --color).
func WriteTable(w io.Writer, r *Report, colour bool) error {
	width := len("CHECK")
	for _, res := range r.Results {
		width = max(width, len(res.Name))
	}
	paint := func(s string, attrs ...color.Attribute) string {
		c := color.New(attrs...)
		if colour {
			c.EnableColor() // per value: never touches fatih/color's global switch
		} else {
			c.DisableColor()
		}
		return c.Sprint(s)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "broker %s, MQTT %s, topics under %s\n\n", r.Broker, r.Version, r.Prefix)
	fmt.Fprintf(&b, "%s  %-6s  %8s  %s\n", paint(fmt.Sprintf("%-*s", width, "CHECK"), color.Bold), "RESULT", "TIME", "DETAIL")
	for _, res := range r.Results {
		st := statusStyle[res.Status]
		fmt.Fprintf(&b, "%-*s  %s    %8s  %s\n", width, res.Name, paint(st.label, st.attrs...), roundTime(res.Duration), res.Detail)
	}
	fmt.Fprintf(&b, "\n%d checks: %d passed, %s, %d skipped in %v\n", len(r.Results), r.Count(Pass),
		failedWords(r.Count(Fail), paint), r.Count(Skip), roundTime(r.Duration))
	_, err := io.WriteString(w, b.String())
	return err
}

func failedWords(n int, paint func(string, ...color.Attribute) string) string {
	s := fmt.Sprintf("%d failed", n)
	if n == 0 {
		return s
	}
	return paint(s, color.FgRed, color.Bold)
}

// roundTime keeps three significant figures or so.
func roundTime(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
