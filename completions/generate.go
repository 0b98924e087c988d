package completions

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// writers maps each name in Shells.Words to its script writer.
var writers = map[string]func(w *bufio.Writer, root *Command){
	"bash":       writeBash,
	"zsh":        writeZsh,
	"fish":       writeFish,
	"powershell": writePowerShell,
}

// ScriptFiles names the committed script of each shell, relative to this
// directory.
var ScriptFiles = map[string]string{
	"bash":       "mqtap.bash",
	"zsh":        "mqtap.zsh",
	"fish":       "mqtap.fish",
	"powershell": "mqtap.ps1",
}

// Generate writes the completion script for shell, built from app's
// command tree.
func Generate(w io.Writer, shell string, app *cli.App) error {
	write, ok := writers[shell]
	if !ok {
		return fmt.Errorf("no completion for shell %q (want %s)", shell, strings.Join(Shells.Words, ", "))
	}
	bw := bufio.NewWriter(w)
	write(bw, FromApp(app))
	return bw.Flush()
}

// walk visits c and every command below it, parents first.
func walk(c *Command, visit func(*Command)) {
	visit(c)
	for _, s := range c.Commands {
		walk(s, visit)
	}
}

// usedSets lists every value set the tree refers to, once each, in order
// of first use, so each script declares only what it needs.
func usedSets(root *Command) []ValueSet {
	var sets []ValueSet
	seen := map[string]bool{}
	add := func(s ValueSet) {
		if s.Name != "" && !seen[s.Name] {
			seen[s.Name] = true
			sets = append(sets, s)
		}
	}
	walk(root, func(c *Command) {
		for _, f := range c.Flags {
			for _, s := range f.Words {
				add(s)
			}
		}
		add(c.Args)
	})
	return sets
}

// setNames are the names of a flag's word sets, "-" for a free word.
func setNames(f Flag) []string {
	names := make([]string, len(f.Words))
	for i, s := range f.Words {
		names[i] = s.Name
		if names[i] == "" {
			names[i] = "-"
		}
	}
	return names
}

// subNames are the names and aliases of c's subcommands.
func subNames(c *Command) []string {
	var names []string
	for _, s := range c.Commands {
		names = append(names, s.Name)
		names = append(names, s.Aliases...)
	}
	return names
}

// byPreviousKeys returns the keys of s.ByPrevious sorted, so scripts are
// stable.
func byPreviousKeys(s ValueSet) []string {
	keys := make([]string, 0, len(s.ByPrevious))
	for k := range s.ByPrevious {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// singleQuote quotes s for POSIX shells and fish; a quote inside s
// closes the string, is escaped with a backslash, and reopens it.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
