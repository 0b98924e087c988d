package completions

import (
	"github.com/urfave/cli/v2"
)

// Command is one node of the command tree as the scripts see it.
type Command struct {
	Name     string
	Aliases  []string
	Usage    string
	Flags    []Flag
	Commands []*Command
	// Args completes positional arguments; the zero set completes nothing.
	Args ValueSet
	// Path joins the names from the root ("mqtap", "mqtap_pub"); scripts
	// use it to name functions and match states.
	Path string
}

// Flag is one flag of a command.
type Flag struct {
	Long  []string // names of two or more characters, written --name
	Short []string // one-character names, written -n
	Usage string
	// Words holds one set per word the flag consumes; empty for a switch.
	Words []ValueSet
	// Repeatable flags (slices) may be given more than once.
	Repeatable bool
}

// TakesValue reports whether words follow the flag.
func (f Flag) TakesValue() bool { return len(f.Words) > 0 }

// Spellings are the flag as typed: --long names first, then -s.
func (f Flag) Spellings() []string {
	var s []string
	for _, n := range f.Long {
		s = append(s, "--"+n)
	}
	for _, n := range f.Short {
		s = append(s, "-"+n)
	}
	return s
}

// FromApp walks the live command tree. Hidden commands and flags are left
// out, as help leaves them out.
func FromApp(app *cli.App) *Command {
	root := &Command{Name: app.Name, Usage: app.Usage, Path: app.Name}
	root.Flags = flagsOf(app.Name, app.Flags, !app.HideHelp, app.Version != "" && !app.HideVersion)
	root.Commands = commandsOf(root.Path, app.Commands, app.HideHelp)
	return root
}

func commandsOf(parent string, cmds []*cli.Command, hideHelp bool) []*Command {
	var out []*Command
	for _, c := range cmds {
		// urfave/cli appends its "help" subcommand to a command when that
		// command runs (so to "completion" while it prints the script); it
		// is no part of the tree users see.
		if c.Hidden || c.Name == "help" {
			continue
		}
		n := &Command{Name: c.Name, Aliases: c.Aliases, Usage: c.Usage, Path: parent + "_" + scriptName(c.Name)}
		n.Flags = flagsOf(c.Name, c.Flags, !(hideHelp || c.HideHelp), false)
		n.Commands = commandsOf(n.Path, c.Subcommands, hideHelp)
		n.Args, _ = argsFor(c.Name)
		out = append(out, n)
	}
	return out
}

// flagsOf converts a command's flags. urfave/cli adds --help (and the
// root's --version) only when the app runs, so they are added here.
func flagsOf(cmd string, flags []cli.Flag, help, version bool) []Flag {
	var out []Flag
	seen := map[string]bool{}
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		out = append(out, flagOf(cmd, f))
		for _, n := range f.Names() {
			seen[n] = true
		}
	}
	for _, extra := range []struct {
		add  bool
		flag cli.Flag
	}{{help, cli.HelpFlag}, {version, cli.VersionFlag}} {
		if extra.add && extra.flag != nil && !seen[extra.flag.Names()[0]] {
			out = append(out, flagOf(cmd, extra.flag))
		}
	}
	return out
}

func flagOf(cmd string, f cli.Flag) Flag {
	var out Flag
	for _, n := range f.Names() {
		if len(n) == 1 {
			out.Short = append(out.Short, n)
		} else {
			out.Long = append(out.Long, n)
		}
	}
	d, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return out
	}
	out.Usage = d.GetUsage()
	if sf, ok := f.(cli.DocGenerationSliceFlag); ok {
		out.Repeatable = sf.IsSliceFlag()
	}
	if !d.TakesValue() {
		return out
	}
	out.Words = []ValueSet{{}} // a free value unless bound below
	if b, ok := bindingFor(cmd, f.Names()); ok && len(b.Words) > 0 {
		out.Words = b.Words
	}
	return out
}

// scriptName makes a command name usable inside shell identifiers.
func scriptName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}
