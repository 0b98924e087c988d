package commands

import (
	"bufio"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/urfave/cli/v2"
)

// Man prints mqtap(1) in roff, generated from the command tree so that the
// page lists exactly the commands and flags the binary has. build dates
// and versions the page, as mqtap --version shows them.
func Man(build BuildInfo) *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the mqtap(1) manual page (roff)",
		UsageText: `mqtap man

Examples:
   mqtap man | man -l -
   mqtap man | gzip -9n > /usr/share/man/man1/mqtap.1.gz`,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("man: takes no arguments")
			}
			w := bufio.NewWriter(c.App.Writer)
			writeMan(w, c.App, build)
			return w.Flush()
		},
	}
}

// exitStatus is DESIGN.md's exit code table, for EXIT STATUS.
var exitStatus = []struct {
	code    int
	meaning string
}{
	{ExitOK, "success"},
	{ExitFailure, "unexpected runtime failure"},
	{ExitUsage, "usage: bad flag, bad value, missing argument"},
	{ExitConnect, "could not connect (DNS, refused, TLS handshake, WebSocket upgrade)"},
	{ExitRefused, "broker refused the connection (CONNACK return/reason code)"},
	{ExitProtocol, "protocol error from the peer (malformed or unexpected packet, server DISCONNECT)"},
	{ExitTimeout, "timed out (no CONNACK, no ack, -W expired)"},
	{ExitDecode, "input could not be decoded (bad hex, malformed packet in decode)"},
	{ExitCheckFailed, "one or more check tests failed"},
}

// writeMan writes the page. Its date is the build's (the commit date the
// release sets by ldflags, or the vcs.time Go stamps in a plain build),
// never the time it runs, so that the same commit gives the same page.
func writeMan(w *bufio.Writer, app *cli.App, build BuildInfo) {
	fmt.Fprintf(w, ".TH %s 1 %s %s \"User Commands\"\n", strings.ToUpper(app.Name), manDate(build.Date), roffQuote(app.Name+" "+build.Version))
	fmt.Fprintf(w, ".SH NAME\n%s \\- %s\n", app.Name, roffText(app.Usage))
	fmt.Fprintf(w, ".SH SYNOPSIS\n.B %s\n.I command\n[\\fIflags\\fR] [\\fIarguments\\fR]\n.br\n.B %[1]s \\-\\-help\n.br\n.B %[1]s \\-\\-version\n", app.Name)
	fmt.Fprintf(w, ".SH DESCRIPTION\n%s\n", roffText(manDescription))
	fmt.Fprintf(w, ".SH COMMANDS\n")
	eachCommand(app.Commands, app.Name, func(path string, c *cli.Command) { writeManCommand(w, path, c) })
	fmt.Fprintf(w, ".SH EXIT STATUS\n")
	for _, e := range exitStatus {
		fmt.Fprintf(w, ".TP\n.B %d\n%s\n", e.code, roffText(e.meaning))
	}
	fmt.Fprintf(w, ".SH ENVIRONMENT\n")
	for _, env := range environment(app) {
		fmt.Fprintf(w, ".TP\n.B %s\n%s\n", env.name, roffText(env.meaning))
	}
	fmt.Fprintf(w, ".SH EXAMPLES\n")
	eachCommand(app.Commands, app.Name, func(path string, c *cli.Command) {
		for _, ex := range commandExamples(c) {
			fmt.Fprintf(w, ".PP\n.nf\n.RS 4\n%s\n.RE\n.fi\n", roffText(ex))
		}
	})
	fmt.Fprintf(w, ".SH SEE ALSO\n.BR mosquitto_pub (1),\n.BR mosquitto_sub (1),\n.BR tshark (1)\n")
}

// manDate is the .TH date argument: the day of an RFC 3339 build date,
// as man-pages(7) writes it ("2006-01-02", plain hyphens); "" when the
// build has no date.
func manDate(date string) string {
	if date == "" || date == "unknown" {
		return `""`
	}
	if t, err := time.Parse(time.RFC3339, date); err == nil {
		return `"` + t.UTC().Format(time.DateOnly) + `"`
	}
	return roffQuote(date)
}

const manDescription = `mqtap publishes and subscribes like mosquitto_pub and mosquitto_sub,
decodes MQTT packets from live connections, hex dumps and pcap files as
Wireshark shows them, and smoke-tests brokers. Flags follow mosquitto where
it has one, and decode's flags follow tshark. Help is --help: -h is the host.`

// eachCommand visits the visible commands under cmds, parents first, with
// their full path ("mqtap pub").
func eachCommand(cmds []*cli.Command, parent string, visit func(path string, c *cli.Command)) {
	for _, c := range cmds {
		// urfave/cli appends a "help" subcommand to the command that runs
		// (man itself); it is not one of mqtap's commands.
		if c.Hidden || c.Name == "help" {
			continue
		}
		path := parent + " " + c.Name
		visit(path, c)
		eachCommand(c.Subcommands, path, visit)
	}
}

func writeManCommand(w *bufio.Writer, path string, c *cli.Command) {
	fmt.Fprintf(w, ".SS %s\n%s\n.PP\n", roffQuote(path), roffText(c.Usage))
	synopsis := path + " [flags] " + c.ArgsUsage
	if first, _, _ := strings.Cut(strings.TrimSpace(c.UsageText), "\n"); strings.HasPrefix(first, path) {
		synopsis = first
	}
	fmt.Fprintf(w, ".B %s\n", roffText(strings.TrimSpace(synopsis)))
	if d := descriptionWithoutExamples(c.Description); d != "" {
		fmt.Fprintf(w, ".PP\n%s\n", roffText(d))
	}
	names, cats := flagCategories(c.VisibleFlags())
	if len(names) == 0 { // urfave/cli makes categories only when some flag has one
		for _, f := range c.VisibleFlags() {
			writeManFlag(w, f)
		}
	}
	for _, name := range names {
		if name != "" {
			fmt.Fprintf(w, ".PP\n.I %s\n", roffQuote(name+" flags"))
		}
		for _, f := range cats[name] {
			writeManFlag(w, f)
		}
	}
}

// flagCategories groups flags as urfave/cli's help does: the categories
// by name ("" first), the flags in each by their help line; none when no
// flag has a category. c.VisibleFlagCategories would do it, but Run leaves
// it empty for every command but the one that runs (see setupFor).
func flagCategories(flags []cli.Flag) (names []string, cats map[string][]cli.Flag) {
	cats = map[string][]cli.Flag{}
	for _, f := range flags {
		cf, ok := f.(cli.CategorizableFlag)
		if !ok {
			continue
		}
		if _, seen := cats[cf.GetCategory()]; !seen {
			names = append(names, cf.GetCategory())
		}
		cats[cf.GetCategory()] = append(cats[cf.GetCategory()], f)
	}
	if len(names) == 1 && names[0] == "" {
		return nil, nil
	}
	slices.Sort(names)
	for _, fs := range cats {
		slices.SortFunc(fs, func(a, b cli.Flag) int { return strings.Compare(a.String(), b.String()) })
	}
	return names, cats
}

// writeManFlag writes one flag as a tagged paragraph: its spellings with
// the value placeholder (the usage's `WORD`, as urfave/cli's help), then
// usage, default and environment variables.
func writeManFlag(w *bufio.Writer, f cli.Flag) {
	d, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return
	}
	placeholder, usage := splitPlaceholder(d.GetUsage())
	if placeholder == "" && d.TakesValue() {
		placeholder = "value"
	}
	var names []string
	for _, n := range f.Names() {
		name := "\\fB" + roffText(manFlagName(n)) + "\\fR"
		if d.TakesValue() {
			name += " \\fI" + roffText(placeholder) + "\\fR"
		}
		names = append(names, name)
	}
	fmt.Fprintf(w, ".TP\n%s\n%s", strings.Join(names, ", "), roffText(usage))
	if def := d.GetDefaultText(); d.TakesValue() && !zeroDefault(def) {
		fmt.Fprintf(w, " (default: %s)", roffText(def))
	}
	if env := d.GetEnvVars(); len(env) > 0 {
		fmt.Fprintf(w, " [env: %s]", roffText(strings.Join(env, ", ")))
	}
	fmt.Fprintf(w, "\n")
}

// zeroDefault hides defaults that only mean "not set" (-1 is the
// commands' sentinel for an unset MQTT 5 interval).
func zeroDefault(s string) bool {
	return slices.Contains([]string{"", "0", "-1", "0s", "false", `""`, "[]"}, s)
}

func splitPlaceholder(usage string) (placeholder, text string) {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return "", usage
	}
	name, after, ok := strings.Cut(rest, "`")
	if !ok {
		return "", usage
	}
	return name, before + name + after
}

type manEnv struct{ name, meaning string }

// environment lists every variable a flag reads, with the flag and the
// commands that have it, plus NO_COLOR (DESIGN.md).
func environment(app *cli.App) []manEnv {
	type use struct{ flag, commands []string }
	var order []string
	uses := map[string]*use{}
	eachCommand(app.Commands, app.Name, func(path string, c *cli.Command) {
		for _, f := range c.VisibleFlags() {
			d, ok := f.(cli.DocGenerationFlag)
			if !ok {
				continue
			}
			for _, env := range d.GetEnvVars() {
				u := uses[env]
				if u == nil {
					u = &use{}
					uses[env] = u
					order = append(order, env)
				}
				u.flag = appendUnique(u.flag, manFlagName(f.Names()[0]))
				u.commands = appendUnique(u.commands, strings.TrimPrefix(path, app.Name+" "))
			}
		}
	})
	var out []manEnv
	for _, env := range order {
		u := uses[env]
		out = append(out, manEnv{env, fmt.Sprintf("default for %s (%s)", strings.Join(u.flag, ", "), strings.Join(u.commands, ", "))})
	}
	return append(out, manEnv{"NO_COLOR", "when set, output is not coloured unless --color always is given"})
}

// manFlagName spells a flag name as typed: -x or --name.
func manFlagName(n string) string {
	if len(n) == 1 {
		return "-" + n
	}
	return "--" + n
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// examplesHeading starts the examples of a UsageText or Description.
// Compiled on first use: only mqtap man needs it.
var examplesHeading = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?im)^\s*examples?:\s*$`)
})

// commandExamples returns the lines under an "Examples:" heading in c's
// UsageText or Description that run mqtap.
func commandExamples(c *cli.Command) []string {
	var out []string
	for _, text := range []string{c.UsageText, c.Description} {
		loc := examplesHeading().FindStringIndex(text)
		if loc == nil {
			continue
		}
		for _, line := range strings.Split(text[loc[1]:], "\n") {
			if line = strings.TrimSpace(line); strings.Contains(line, "mqtap ") {
				out = append(out, line)
			}
		}
	}
	return out
}

// descriptionWithoutExamples drops the examples, which EXAMPLES shows.
func descriptionWithoutExamples(d string) string {
	if loc := examplesHeading().FindStringIndex(d); loc != nil {
		d = d[:loc[0]]
	}
	return strings.TrimSpace(d)
}

// roffText escapes text for roff: backslashes, hyphens (as minus signs, so
// that flags copy and paste), characters beyond ASCII (groff reads its
// input as Latin-1 unless told otherwise, so "∞" is written \[u221E]), and
// lines that would start a request.
func roffText(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	if strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
		var b strings.Builder
		for _, r := range s {
			if r > unicode.MaxASCII {
				fmt.Fprintf(&b, `\[u%04X]`, r)
			} else {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffQuote makes s one macro argument.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roffText(s), `"`, `\(dq`) + `"`
}
