// Package commands builds mqtap's command tree: one file per subcommand,
// each parsing its flags, calling the core packages and mapping errors to
// the exit codes of DESIGN.md.
package commands

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"
)

// Stdio is where a run reads and writes, so tests can run commands
// in-process with their own buffers.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// NewApp builds the mqtap command tree.
func NewApp(io Stdio, build BuildInfo) *cli.App {
	build = build.resolve()
	app := &cli.App{
		Name:                 "mqtap",
		Usage:                "publish, subscribe, decode and test MQTT, as Wireshark shows it",
		UsageText:            rootUsage,
		Version:              build.String(),
		Reader:               io.In,
		Writer:               io.Out,
		ErrWriter:            io.Err,
		EnableBashCompletion: true,
		// Repeatable flags are repeated, never comma-split: tshark's
		// -d tcp.port==N,mqtt carries a comma of its own.
		DisableSliceFlagSeparator: true,
		// -h is the host in the connecting commands, as in mosquitto_pub;
		// help is --help, or "mqtap help [command]" (see helpArgs), which
		// urfave/cli's own help command would answer differently.
		HideHelpCommand: true,
		Action:          rootAction,
		Commands:        commandList(build),
		ExitErrHandler:  func(*cli.Context, error) {}, // Run prints and maps errors itself
	}
	quietUsage(app.Commands)
	skipFlagActions(app.Commands)
	app.OnUsageError = usageErrorHandler
	setFlagGlobals.Do(func() {
		cli.HelpFlag = &cli.BoolFlag{Name: "help", Usage: "show help"}
		cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version, commit and build date"}
	})
	return app
}

// rootUsage is the USAGE of mqtap --help, with examples of each job.
const rootUsage = `mqtap command [flags] [arguments]
mqtap help [command]

Examples:
   mqtap pub -t sensors/t1 -m 21.5 -q 1
   mqtap sub -t 'sensors/#' -v
   mqtap decode 100c00044d5154540402003c0000
   mqtap decode -V capture.pcapng
   mqtap check -h localhost --junit report.xml
   mqtap broker -v
   mqtap help pub`

// rootAction runs when no command is named: "mqtap help [command]" is
// answered as --help would be, mqtap alone prints the help, and a word
// that is no command is a usage error (urfave/cli's default action would
// say "No help topic" and exit 3, which means "could not connect").
func rootAction(c *cli.Context) error {
	switch {
	case c.Args().First() == "help":
		return c.App.RunContext(c.Context, helpArgs(append([]string{c.App.Name}, c.Args().Slice()...)))
	case c.Args().Present():
		return usageError("unknown command %q (mqtap --help lists them)", c.Args().First())
	}
	return cli.ShowAppHelp(c)
}

// helpArgs rewrites "mqtap help [command...]" as "mqtap [command...]
// --help"; other arguments are returned as they are.
func helpArgs(args []string) []string {
	if len(args) < 2 || args[1] != "help" {
		return args
	}
	return append(append([]string{args[0]}, args[2:]...), "--help")
}

// setFlagGlobals sets urfave/cli's help and version flags, which are
// package variables, once: a command adds the help flag unless it has
// that very pointer already, so replacing it while another app runs in
// the same process gives that run's pub two help flags, and a panic.
var setFlagGlobals sync.Once

// commandList is every subcommand, in the order help lists them.
func commandList(build BuildInfo) []*cli.Command {
	return []*cli.Command{
		Connect(),
		Pub(),
		Sub(),
		Check(),
		decodeCommand(),
		Broker(),
		Proxy(),
		Completion(),
		Man(build),
	}
}

// quietUsage makes every command answer a bad flag with one line naming it
// (and exit 2) instead of printing its whole help, and hides the "help"
// subcommand that urfave/cli would add to each.
func quietUsage(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = usageErrorHandler
		}
		c.HideHelpCommand = true
		quietUsage(c.Subcommands)
	}
}

// setupFor runs app.Setup, which app.Run would run first, with the flags
// of the top-level commands hidden from it. Setup files each command's
// flags into categories for its --help, keyed by the flag's whole help
// line; formatting every flag of every command took about 1.3 ms of each
// start, and pub's alone 0.5 ms. Only --help reads the categories (mqtap
// man and the completion scripts read the flags themselves), so unless
// args ask for help they are left empty. With --help the command that
// runs gets its categories; asking mqtap itself for help with a command
// ("mqtap --help pub") hides nothing.
func setupFor(app *cli.App, args []string) {
	args = helpArgs(args) // rootAction runs "mqtap help pub" as "mqtap pub --help"
	var run *cli.Command
	if len(args) > 1 {
		run = findCommand(args[1], app.Commands)
	}
	help := slices.ContainsFunc(args[min(len(args), 1):], isHelpFlag)
	if run == nil && help {
		app.Setup()
		return
	}
	if !help {
		run = nil // hide its flags too
	}
	saved := make([][]cli.Flag, len(app.Commands))
	for i, c := range app.Commands {
		if c != run {
			saved[i], c.Flags = c.Flags, nil
		}
	}
	app.Setup()
	for i, c := range app.Commands {
		if c != run {
			c.Flags = saved[i]
		}
	}
}

// isHelpFlag reports whether arg sets --help (-help, --help=true...).
func isHelpFlag(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && name == "help"
}

// skipFlagActions spares the leaf commands under cmds urfave/cli v2's
// flag-action pass. Between Before and Action it asks IsSet of every name
// of every flag, and IsSet of an unset flag scans the command's flags
// calling Names, which runs a regexp per name: quadratic in the flags,
// some 2 ms of each of pub's two runs (see mosquittoArgs), more than the
// rest of a publish. mqtap's flags have no actions (TestNoFlagActions), so
// Before hands the pass an empty list and the action gets the flags back.
func skipFlagActions(cmds []*cli.Command) {
	for _, c := range cmds {
		skipFlagActions(c.Subcommands)
		// A command with subcommands keeps its flags: the subcommand's
		// context looks its parent's flags up while it runs.
		if c.Action == nil || len(c.Subcommands) > 0 {
			continue
		}
		before, action := c.Before, c.Action
		var flags []cli.Flag
		c.Before = func(ctx *cli.Context) error {
			if before != nil {
				if err := before(ctx); err != nil {
					return err
				}
			}
			flags, c.Flags = c.Flags, nil
			return nil
		}
		c.Action = func(ctx *cli.Context) error {
			if flags != nil {
				c.Flags, flags = flags, nil
			}
			if !c.SkipFlagParsing {
				// Parsed: the run no longer needs parseMu (see Run). A
				// command that parses its flags in a copy of itself
				// (mosquittoArgs) releases it from the copy.
				parseDone()
			}
			return action(ctx)
		}
	}
}

func usageErrorHandler(c *cli.Context, err error, _ bool) error {
	// -h is the host in the connecting commands (as in mosquitto_pub);
	// where it is not a flag, Go's flag package calls it a request for
	// help, and says so in words that explain nothing.
	if errors.Is(err, flag.ErrHelp) {
		cmd := "mqtap"
		if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
			cmd += " " + c.Command.Name
		}
		err = fmt.Errorf("-h is not a flag of %s; help is %s --help", cmd, cmd)
	}
	return &ExitError{Code: ExitUsage, Err: err}
}
