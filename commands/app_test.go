package commands

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// skipFlagActions hides the flags from urfave/cli's flag-action pass,
// which is only right while no flag has an action.
func TestNoFlagActions(t *testing.T) {
	var walk func(path string, cmds []*cli.Command)
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			for _, f := range c.Flags {
				v := reflect.ValueOf(f)
				if v.Kind() == reflect.Pointer {
					v = v.Elem()
				}
				if a := v.FieldByName("Action"); a.IsValid() && !a.IsNil() {
					t.Errorf("%s %s: flag --%s has an Action, which skipFlagActions would skip", path, c.Name, f.Names()[0])
				}
			}
			walk(path+" "+c.Name, c.Subcommands)
		}
	}
	walk("mqtap", NewApp(Stdio{}, BuildInfo{}).Commands)
}

// Run files flags into help categories only for the command asked for
// help (see setupFor): every way of asking for a command's help, and the
// man page, must still show them by category.
func TestHelpShowsFlagCategories(t *testing.T) {
	for _, c := range NewApp(Stdio{}, BuildInfo{}).Commands {
		var cats []string
		for _, f := range c.VisibleFlags() {
			if cat := f.(cli.CategorizableFlag).GetCategory(); cat != "" && !slices.Contains(cats, cat) {
				cats = append(cats, cat)
			}
		}
		for _, args := range [][]string{{c.Name, "--help"}, {"--help", c.Name}} {
			out, errOut, code := runMqtap(t, args...)
			if code != ExitOK {
				t.Fatalf("mqtap %s: exit %d: %s", strings.Join(args, " "), code, errOut)
			}
			for _, cat := range cats {
				if !strings.Contains(out, "\n   "+cat+"\n") {
					t.Errorf("mqtap %s: no %q flag category", strings.Join(args, " "), cat)
				}
			}
		}
	}
	page, _, _ := runMqtap(t, "man")
	for _, c := range NewApp(Stdio{}, BuildInfo{}).Commands {
		for _, f := range c.VisibleFlags() {
			if cat := f.(cli.CategorizableFlag).GetCategory(); cat != "" && !strings.Contains(page, `.I "`+roffText(cat)+` flags"`) {
				t.Errorf("man page: no %q flag category", cat)
			}
		}
	}
}
