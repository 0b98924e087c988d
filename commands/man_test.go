package commands

import (
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestManPage(t *testing.T) {
	page, errOut, code := runMqtap(t, "man")
	if code != ExitOK {
		t.Fatalf("mqtap man: exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(page, ".TH MQTAP 1 ") {
		t.Errorf("page does not start with .TH: %.40q", page)
	}
	// The sections man-pages(7) asks for, in its order.
	at := 0
	for _, sh := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "EXAMPLES", "SEE ALSO"} {
		i := strings.Index(page[at:], "\n.SH "+sh+"\n")
		if i < 0 {
			t.Fatalf("no .SH %s after byte %d", sh, at)
		}
		at += i + 1
	}
	app := NewApp(Stdio{}, BuildInfo{})
	eachCommand(app.Commands, "mqtap", func(path string, c *cli.Command) {
		if !strings.Contains(page, ".SS "+roffQuote(path)+"\n") {
			t.Errorf("no .SS for %s", path)
		}
		for _, f := range c.VisibleFlags() {
			if !strings.Contains(page, `\fB`+roffText(manFlagName(f.Names()[0]))+`\fR`) {
				t.Errorf("%s: flag %s missing", path, f.Names()[0])
			}
		}
	})
	for _, e := range exitStatus {
		if !regexp.MustCompile(`(?m)^\.TP\n\.B ` + regexp.QuoteMeta(string(rune('0'+e.code))) + `\n`).MatchString(page) {
			t.Errorf("EXIT STATUS lacks %d", e.code)
		}
	}
	for _, env := range []string{"MQTT_HOST", "MQTT_PASSWORD", "NO_COLOR"} {
		if !strings.Contains(page, ".B "+env+"\n") {
			t.Errorf("ENVIRONMENT lacks %s", env)
		}
	}
	// Text lines must not start a roff request by accident.
	for i, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, "'") {
			t.Errorf("line %d starts with a quote: %q", i+1, line)
		}
	}
	groffClean(t, page)
}

// groffClean formats the page with all warnings on (-ww) and fails on any,
// except "cannot adjust line" (-Wbreak): a long URL or example in a
// justified paragraph is a layout matter, not a broken page.
func groffClean(t *testing.T, page string) {
	t.Helper()
	if _, err := exec.LookPath("groff"); err != nil {
		t.Log("groff is not installed; the page was checked structurally only")
		return
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-Wbreak", "-z")
	cmd.Stdin = strings.NewReader(page)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
	cmd = exec.Command("groff", "-man", "-Tutf8")
	cmd.Stdin = strings.NewReader(page)
	text, err := cmd.Output()
	if err != nil {
		t.Fatalf("groff: %v", err)
	}
	for _, want := range []string{"EXIT STATUS", "mqtap pub", "MQTT_HOST"} {
		if !strings.Contains(stripOverstrike(string(text)), want) {
			t.Errorf("formatted page lacks %q", want)
		}
	}
}

// stripOverstrike removes grotty's bold/underline (x\bx, _\bx).
func stripOverstrike(s string) string {
	return regexp.MustCompile(".\b").ReplaceAllString(s, "")
}

func TestManUsage(t *testing.T) {
	if _, _, code := runMqtap(t, "man", "extra"); code != ExitUsage {
		t.Errorf("mqtap man extra: exit %d, want %d", code, ExitUsage)
	}
}

// Every command's --help must show at least one example: an "Examples:"
// heading in UsageText or Description followed by a line running
// `mqtap <command>`. The man page's EXAMPLES section is built from these.
// mqtap --help itself has examples too, and every heading is spelled
// "Examples:".
func TestEveryCommandHasExamples(t *testing.T) {
	app := NewApp(Stdio{}, BuildInfo{})
	check := func(path string, c *cli.Command) {
		for _, text := range []string{c.UsageText, c.Description} {
			for _, h := range examplesHeading().FindAllString(text, -1) {
				if strings.TrimSpace(h) != "Examples:" {
					t.Errorf("%s: heading %q, want \"Examples:\"", path, strings.TrimSpace(h))
				}
			}
		}
		for _, ex := range commandExamples(c) {
			if strings.Contains(ex, path+" ") || strings.HasSuffix(ex, path) {
				return
			}
		}
		t.Errorf("%s: --help has no example; add \"Examples:\" and a line running %q to its UsageText or Description", path, path)
	}
	check("mqtap", &cli.Command{UsageText: app.UsageText, Description: app.Description})
	eachCommand(app.Commands, "mqtap", check)
	out, _, code := runMqtap(t, "--help")
	if code != ExitOK || !regexp.MustCompile(`(?m)^\s*Examples:\n\s+mqtap `).MatchString(out) {
		t.Errorf("mqtap --help: exit %d, no examples:\n%s", code, out)
	}
}

// .TH carries the build's date and version (mqtap --version's), so two
// builds of one commit print the same page.
func TestManTitleDatedByBuild(t *testing.T) {
	for _, c := range []struct {
		build BuildInfo
		want  string
	}{
		{BuildInfo{Version: "1.2.3", Commit: "abc", Date: "2026-11-25T20:53:26Z"}, `.TH MQTAP 1 "2026-11-25" "mqtap 1.2.3" "User Commands"`},
		{BuildInfo{Version: "1.2.3", Date: "2026-11-25T23:30:00-05:00"}, `.TH MQTAP 1 "2026-11-26" "mqtap 1.2.3" "User Commands"`},
		{BuildInfo{Version: "test"}, `.TH MQTAP 1 "" "mqtap test" "User Commands"`},
	} {
		var out bytes.Buffer
		if code := Run([]string{"mqtap", "man"}, Stdio{In: strings.NewReader(""), Out: &out, Err: io.Discard}, c.build); code != ExitOK {
			t.Fatalf("mqtap man: exit %d", code)
		}
		if first, _, _ := strings.Cut(out.String(), "\n"); first != c.want {
			t.Errorf("build %+v: %s, want %s", c.build, first, c.want)
		}
	}
}

// "mqtap help" and "mqtap help CMD" print what --help prints.
func TestHelpCommand(t *testing.T) {
	for _, c := range [][2][]string{
		{{"help"}, {"--help"}},
		{{"help", "pub"}, {"pub", "--help"}},
		{{"help", "decode"}, {"decode", "--help"}},
		{{"help", "check"}, {"check", "--help"}},
	} {
		got, gotErr, gotCode := runMqtap(t, c[0]...)
		want, _, wantCode := runMqtap(t, c[1]...)
		if gotCode != wantCode || got != want || gotErr != "" {
			t.Errorf("mqtap %s: exit %d, stderr %q, stdout differs from mqtap %s: %v", strings.Join(c[0], " "), gotCode, gotErr, strings.Join(c[1], " "), got != want)
		}
	}
	for _, args := range [][]string{{"help", "nosuch"}, {"nosuch"}} {
		if out, errOut, code := runMqtap(t, args...); code != ExitUsage || out != "" || !strings.HasPrefix(errOut, `mqtap: unknown command "nosuch"`) {
			t.Errorf("mqtap %s: exit %d, stdout %q, stderr %q; want exit %d and one mqtap: line", strings.Join(args, " "), code, out, errOut, ExitUsage)
		}
	}
}

func TestCommandExamples(t *testing.T) {
	c := &cli.Command{
		UsageText:   "mqtap x [flags]\n\nexamples:\n  mqtap x -a\n  not an example\n",
		Description: "Runs x.\n\nExamples:\n   echo 1 | mqtap x -\n",
	}
	got := commandExamples(c)
	want := []string{"mqtap x -a", "echo 1 | mqtap x -"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("commandExamples = %q, want %q", got, want)
	}
	if d := descriptionWithoutExamples(c.Description); d != "Runs x." {
		t.Errorf("descriptionWithoutExamples = %q", d)
	}
	if c := (&cli.Command{UsageText: "mqtap x\n  mqtap x -a"}); len(commandExamples(c)) != 0 {
		t.Errorf("lines without an Examples heading count as examples")
	}
}

func TestRoffText(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:            `a\eb`,
		"--qos":          `\-\-qos`,
		".hidden\n'x":    "\\&.hidden\n\\&'x",
		"mid.dle 'ok'":   "mid.dle 'ok'",
		`say "hi"`:       `say "hi"`,
		"tab\tinside ok": "tab\tinside ok",
	} {
		if got := roffText(in); got != want {
			t.Errorf("roffText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := roffQuote(`a "b"`); got != `"a \(dqb\(dq"` {
		t.Errorf("roffQuote = %q", got)
	}
}

// -h is the host where commands connect; elsewhere it gets a usage error
// that points to --help, not Go's "flag: help requested".
func TestDashHWhereNotHost(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-h"}, "mqtap: -h is not a flag of mqtap; help is mqtap --help\n"},
		{[]string{"decode", "-h", "00"}, "mqtap: -h is not a flag of mqtap decode; help is mqtap decode --help\n"},
		{[]string{"completion", "-h"}, "mqtap: -h is not a flag of mqtap completion; help is mqtap completion --help\n"},
	} {
		out, errOut, code := runMqtap(t, tc.args...)
		if code != ExitUsage || out != "" || errOut != tc.want {
			t.Errorf("mqtap %s: exit %d, stdout %q, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, out, errOut, ExitUsage, tc.want)
		}
	}
	// In the connecting commands -h takes the host.
	if _, errOut, code := runMqtap(t, "pub", "-h"); code != ExitUsage || !strings.Contains(errOut, "flag needs an argument: -h") {
		t.Errorf("pub -h: exit %d, %q", code, errOut)
	}
}
