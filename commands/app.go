// Package commands builds mqtap's command tree: one file per subcommand,
// each parsing its flags, calling the core packages and mapping errors to
// the exit codes of DESIGN.md.
package commands

import (
	"io"

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
		Version:              build.String(),
		Reader:               io.In,
		Writer:               io.Out,
		ErrWriter:            io.Err,
		EnableBashCompletion: true,
		// Repeatable flags are repeated, never comma-split: tshark's
		// -d tcp.port==N,mqtt carries a comma of its own.
		DisableSliceFlagSeparator: true,
		// -h is the host in the connecting commands, as in mosquitto_pub;
		// help is --help only.
		HideHelpCommand: true,
		Commands:        commandList(),
		ExitErrHandler:  func(*cli.Context, error) {}, // Run prints and maps errors itself
	}
	quietUsage(app.Commands)
	app.OnUsageError = usageErrorHandler
	cli.HelpFlag = &cli.BoolFlag{Name: "help", Usage: "show help"}
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version, commit and build date"}
	return app
}

// commandList is every subcommand, in the order help lists them.
func commandList() []*cli.Command {
	return []*cli.Command{
		Connect(),
		Pub(),
		Sub(),
		Check(),
		decodeCommand(),
		Broker(),
		Proxy(),
		Completion(),
		Man(),
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

func usageErrorHandler(_ *cli.Context, err error, _ bool) error {
	return &ExitError{Code: ExitUsage, Err: err}
}
