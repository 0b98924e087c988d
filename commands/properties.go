package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/urfave/cli/v2"
)

// The packets -D can put properties in, as mosquitto names them.
const (
	cmdConnect     = "connect"
	cmdPublish     = "publish"
	cmdSubscribe   = "subscribe"
	cmdUnsubscribe = "unsubscribe"
	cmdDisconnect  = "disconnect"
	cmdWill        = "will"
)

// propertyTargets maps a -D command to the packet type its properties go in.
var propertyTargets = map[string]mqttwire.PacketType{
	cmdConnect: mqttwire.TypeConnect, cmdPublish: mqttwire.TypePublish, cmdSubscribe: mqttwire.TypeSubscribe,
	cmdUnsubscribe: mqttwire.TypeUnsubscribe, cmdDisconnect: mqttwire.TypeDisconnect, cmdWill: mqttwire.TypeConnect,
}

// propertySet is the -D properties per command.
type propertySet map[string]*mqttwire.Properties

func (ps propertySet) get(cmd string) *mqttwire.Properties {
	if p := ps[cmd]; p != nil {
		return p
	}
	return &mqttwire.Properties{}
}

// propSep joins the words of one -D occurrence after joinPropertyArgs has
// gathered them, so urfave/cli sees a single flag value.
const propSep = "\x1f"

// parseProperties reads -D values: "CMD KEY VALUE" (user-property: "CMD
// user-property NAME VALUE"), with mosquitto's property names and checks.
func parseProperties(entries []string, v mqttwire.Version) (propertySet, error) {
	set := propertySet{}
	for _, e := range entries {
		var words []string
		if strings.Contains(e, propSep) {
			words = strings.Split(e, propSep)
		} else {
			words = strings.Fields(e)
		}
		if len(words) < 3 {
			return nil, usageError("-D %q: want -D COMMAND PROPERTY VALUE", strings.Join(words, " "))
		}
		if v != mqttwire.V5 {
			return nil, usageError("-D needs MQTT 5 (-V 5)")
		}
		cmd, key := strings.ToLower(words[0]), words[1]
		target, ok := propertyTargets[cmd]
		if !ok {
			return nil, usageError("-D %s: unknown command (want connect, publish, subscribe, unsubscribe, disconnect or will)", words[0])
		}
		spec, ok := mqttwire.LookupPropKey(key)
		if !ok {
			return nil, usageError("-D %s %s: unknown property", cmd, key)
		}
		if !spec.AllowedIn(target, cmd == cmdWill) {
			return nil, usageError("-D %s %s: %s is not allowed in %s", cmd, key, spec.Name, cmd)
		}
		prop, err := propertyValue(spec, words[2:])
		if err != nil {
			return nil, usageError("-D %s %s: %v", cmd, key, err)
		}
		p := set[cmd]
		if p == nil {
			p = &mqttwire.Properties{}
			set[cmd] = p
		}
		if _, dup := p.Get(spec.ID); dup && !spec.Many {
			return nil, usageError("-D %s %s: given twice", cmd, key)
		}
		p.Add(prop)
	}
	return set, nil
}

// propertyValue converts the value words by the property's type.
func propertyValue(spec *mqttwire.PropSpec, words []string) (mqttwire.Property, error) {
	p := mqttwire.Property{ID: spec.ID}
	if spec.Type == mqttwire.PropTypeStringPair {
		if len(words) != 2 {
			return p, fmt.Errorf("want NAME VALUE")
		}
		p.Str, p.Value = words[0], words[1]
		return p, nil
	}
	if len(words) != 1 {
		return p, fmt.Errorf("want one value, got %d", len(words))
	}
	w := words[0]
	bits := map[mqttwire.PropType]int{mqttwire.PropTypeByte: 8, mqttwire.PropTypeUint16: 16, mqttwire.PropTypeUint32: 32, mqttwire.PropTypeVarint: 28}[spec.Type]
	switch spec.Type {
	case mqttwire.PropTypeString:
		p.Str = w
	case mqttwire.PropTypeBinary:
		p.Bin = []byte(w)
	default:
		n, err := strconv.ParseUint(w, 0, bits)
		if err != nil {
			return p, fmt.Errorf("%q is not a %d-bit number", w, bits)
		}
		if spec.Bool && n > 1 {
			return p, fmt.Errorf("want 0 or 1")
		}
		p.Int = uint32(n)
	}
	return p, nil
}

// joinPropertyArgs rewrites mosquitto's multi-word "-D CMD KEY VALUE" (and
// "-D CMD user-property NAME VALUE") into one flag value, since a flag
// parser gives a flag one word. takesValue says which flags consume the
// next word (so "-m -D" is the message "-D").
//
// Run moves flags written after arguments in front of them (see
// hoistFlags), which may already have separated a -D from its KEY and
// VALUE. Both layouts read the same way here: these commands take no
// arguments, so every loose word belongs, in order, to a -D.
func joinPropertyArgs(args []string, takesValue func(name string) bool) ([]string, error) {
	type prop struct {
		at    int // index in out of the -D
		words []string
	}
	var out, loose, rest []string
	var props []*prop
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = args[i+1:]
			i = len(args)
		case a == "-D" || a == "--property" || a == "-property":
			p := &prop{at: len(out)}
			if i+1 < len(args) {
				i++
				p.words = []string{args[i]}
			}
			props = append(props, p)
			out = append(out, "")
		case strings.HasPrefix(a, "-") && len(a) > 1:
			out = append(out, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue(name) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			loose = append(loose, a)
		}
	}
	for _, p := range props {
		need := 2
		if len(loose) > 0 && strings.EqualFold(strings.ReplaceAll(loose[0], "_", "-"), "user-property") {
			need = 3
		}
		if len(p.words) == 0 || len(loose) < need {
			return nil, usageError("-D %s: want -D COMMAND PROPERTY VALUE", strings.Join(append(p.words, loose...), " "))
		}
		p.words = append(p.words, loose[:need]...)
		loose = loose[need:]
		out[p.at] = "--" + flagProperty + "=" + strings.Join(p.words, propSep)
	}
	if len(loose) > 0 || len(rest) > 0 {
		return nil, usageError("unexpected argument %q (flags take one value; quote values with spaces)", append(loose, rest...)[0])
	}
	return out, nil
}

// valueFlags is takesValue for joinPropertyArgs: every flag of the command
// but the booleans.
func valueFlags(flags []cli.Flag) func(string) bool {
	takes := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range flagNames(f) {
			takes[n] = !isBool
		}
	}
	return func(name string) bool { return takes[name] }
}

// flagNames is f.Names() without its cost: urfave/cli v2 runs a regexp
// over every name it returns (a v1 migration check), some 0.2 ms of each
// start for pub's flags. The kinds mqtap uses are read directly.
func flagNames(f cli.Flag) []string {
	var name string
	var aliases []string
	switch f := f.(type) {
	case *cli.BoolFlag:
		name, aliases = f.Name, f.Aliases
	case *cli.StringFlag:
		name, aliases = f.Name, f.Aliases
	case *cli.StringSliceFlag:
		name, aliases = f.Name, f.Aliases
	case *cli.IntFlag:
		name, aliases = f.Name, f.Aliases
	case *cli.Int64Flag:
		name, aliases = f.Name, f.Aliases
	case *cli.DurationFlag:
		name, aliases = f.Name, f.Aliases
	default:
		return f.Names()
	}
	return append([]string{name}, aliases...)
}

// mosquittoArgs lets cmd take mosquitto's multi-word -D: urfave/cli gives a
// flag one word, so the command parses no flags itself and hands the
// rewritten arguments to a copy of itself that does. The copy is made when
// the command runs, not here: by then App.Setup and quietUsage have given
// the command its no-comma-splitting slice flags and its one-line usage
// errors, and a copy made earlier would parse without them.
func mosquittoArgs(cmd *cli.Command) *cli.Command {
	action := cmd.Action
	cmd.SkipFlagParsing = true
	cmd.Action = func(c *cli.Context) error {
		parent := c
		if l := c.Lineage(); len(l) > 1 {
			parent = l[1]
		}
		inner := *c.Command
		inner.SkipFlagParsing = false
		inner.Before, inner.Action = nil, action
		skipFlagActions([]*cli.Command{&inner})
		ictx := cli.NewContext(c.App, nil, parent)
		ictx.Command = &inner
		joined, err := joinPropertyArgs(c.Args().Slice(), valueFlags(inner.Flags))
		if err != nil {
			return err
		}
		args := append([]string{inner.Name}, joined...)
		return inner.Run(ictx, args...)
	}
	return cmd
}
