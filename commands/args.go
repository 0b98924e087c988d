package commands

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// hoistFlags moves a subcommand's flags that follow its arguments in front
// of them. urfave/cli stops reading flags at the first argument, but users
// type tshark-style `mqtap decode capture.pcap -V` and expect -V to count.
// Only flags the command declares move, with their value when they take
// one; everything after "--" stays where it is.
func hoistFlags(args []string, cmds []*cli.Command) []string {
	if len(args) < 3 {
		return args
	}
	cmd := findCommand(args[1], cmds)
	if cmd == nil || cmd.SkipFlagParsing {
		// Commands that read their own arguments (pub's multi-word -D) keep
		// them as typed.
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	// lead: flags before the first argument; hoisted: flags after it.
	var lead, hoisted, positional []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		val, known := takesValue[name]
		if !strings.HasPrefix(a, "-") || a == "-" || !known {
			positional = append(positional, a) // unknown flags keep their place too
			continue
		}
		group := &lead
		if len(positional) > 0 {
			group = &hoisted
		}
		*group = append(*group, a)
		if val && !hasValue && i+1 < len(args) {
			i++
			*group = append(*group, args[i])
		}
	}
	out := append([]string{}, args[:2]...)
	out = append(out, lead...)
	out = append(out, hoisted...)
	return append(out, positional...)
}

func findCommand(name string, cmds []*cli.Command) *cli.Command {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
		for _, a := range c.Aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}
