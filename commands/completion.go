package commands

import (
	"slices"
	"strings"

	"github.com/mqtap/mqtap/completions"
	"github.com/urfave/cli/v2"
)

// Completion prints a shell completion script generated from the running
// command tree, so it always matches the binary that prints it.
func Completion() *cli.Command {
	shells := strings.Join(completions.Shells.Words, "|")
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (" + shells + ")",
		ArgsUsage: shells,
		UsageText: `mqtap completion ` + shells + `

Examples:
   mqtap completion bash > /etc/bash_completion.d/mqtap
   source <(mqtap completion bash)                        # this shell only
   mqtap completion zsh > "${fpath[1]}/_mqtap"
   mqtap completion fish > ~/.config/fish/completions/mqtap.fish
   mqtap completion powershell | Out-String | Invoke-Expression`,
		Description: `The script completes subcommands, flags and flag values: QoS levels,
MQTT versions, output formats, -D property commands and names, and file
paths. Release packages install it in each shell's standard directory.`,
		Action: runCompletion,
	}
}

func runCompletion(c *cli.Context) error {
	if c.NArg() != 1 || !slices.Contains(completions.Shells.Words, c.Args().First()) {
		return usageError("completion: want one shell: %s", strings.Join(completions.Shells.Words, ", "))
	}
	// Errors from here on are write errors, not usage.
	return completions.Generate(c.App.Writer, c.Args().First(), c.App)
}
