package completions

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// fixtureApp is a small command tree shaped like mqtap's, so the generator
// is tested without depending on package commands (which imports this one).
func fixtureApp() *cli.App {
	return &cli.App{
		Name:            "mqtap",
		Usage:           "MQTT from the command line",
		Version:         "test",
		HideHelpCommand: true,
		Commands: []*cli.Command{
			{
				Name:    "pub",
				Aliases: []string{"publish"},
				Usage:   "publish a message",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "topic", Aliases: []string{"t"}, Usage: "topic to publish to"},
					&cli.IntFlag{Name: "qos", Aliases: []string{"q"}, Usage: "quality of service"},
					&cli.StringFlag{Name: "protocol-version", Aliases: []string{"V"}, Usage: "MQTT version"},
					&cli.StringSliceFlag{Name: "property", Aliases: []string{"D"}, Usage: "MQTT 5 property: command identifier value"},
					&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "send the file's contents"},
					&cli.PathFlag{Name: "cafile", Usage: "CA certificates [PEM]"},
					&cli.StringFlag{Name: "color", Usage: "colour: it's auto by default"},
					&cli.BoolFlag{Name: "retain", Aliases: []string{"r"}, Usage: "retain the message"},
					&cli.BoolFlag{Name: "secret", Hidden: true},
				},
			},
			{
				Name:  "sub",
				Usage: "subscribe",
				Flags: []cli.Flag{
					// -T means a value set in decode and a free topic here.
					&cli.StringSliceFlag{Name: "filter-out", Aliases: []string{"T"}, Usage: "hide this topic filter"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "output mode"},
				},
			},
			{
				Name:  "decode",
				Usage: "decode hex dumps and captures",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "T", Usage: "output format"},
					&cli.BoolFlag{Name: "V", Usage: "full packet detail"},
				},
			},
			{
				Name:  "check",
				Usage: "smoke-test a broker",
				Subcommands: []*cli.Command{
					{Name: "run", Usage: "run the checks", Flags: []cli.Flag{
						&cli.IntFlag{Name: "timeout", Aliases: []string{"W"}, Usage: "timeout in seconds"},
					}},
				},
			},
			{Name: "completion", Usage: "print a completion script"},
			{Name: "internal", Hidden: true},
		},
	}
}

// fixtureScript generates the script for shell from the fixture app into
// a temporary directory and returns its path.
func fixtureScript(t *testing.T, shell string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Generate(&buf, shell, fixtureApp()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), ScriptFiles[shell])
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileTree makes a directory with a few files for path completion and
// returns it.
func fileTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"capture.pcap", "cert.pem"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "captures"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// completionCase is a typed command line (the cursor at its end) and the
// candidates a shell must offer for it, in any order.
type completionCase struct {
	line string
	want []string
}

// propsFor is the property keys -D offers after command.
func propsFor(command string) []string { return PropertyNames.ByPrevious[command] }

// sharedCases hold for every shell; shells that also offer things the
// others do not (zsh's descriptions) compare only the candidate words.
var sharedCases = []completionCase{
	{"mqtap ", []string{"pub", "publish", "sub", "decode", "check", "completion"}},
	{"mqtap de", []string{"decode"}},
	{"mqtap --", []string{"--help", "--version"}},
	{"mqtap pub --", []string{"--topic", "--qos", "--protocol-version", "--property", "--file", "--cafile", "--color", "--retain", "--help"}},
	{"mqtap pub -q ", []string{"0", "1", "2"}},
	{"mqtap publish --qos ", []string{"0", "1", "2"}},
	{"mqtap pub -t a/b -V ", []string{"31", "311", "5", "mqttv31", "mqttv311", "mqttv5"}},
	{"mqtap pub -V mqttv3", []string{"mqttv31", "mqttv311"}},
	{"mqtap pub --color ", []string{"auto", "always", "never"}},
	{"mqtap pub -D ", []string{"connect", "publish", "subscribe", "unsubscribe", "disconnect", "will"}},
	{"mqtap pub -D publish ", propsFor("publish")},
	{"mqtap pub -D connect session-", []string{"session-expiry-interval"}},
	{"mqtap pub -D publish content-type text/plain --r", []string{"--retain"}},
	{"mqtap decode -T ", []string{"text", "json", "jsonl"}},
	{"mqtap sub -T ", nil},
	{"mqtap sub -o j", []string{"json", "jsonl"}},
	{"mqtap check ", []string{"run"}},
	{"mqtap check run --", []string{"--timeout", "--help"}},
	{"mqtap check run -W ", nil},
	{"mqtap completion ", []string{"bash", "zsh", "fish", "powershell"}},
}

// fileCases need the working directory to be fileTree's.
var fileCases = []completionCase{
	{"mqtap pub -f ca", []string{"capture.pcap", "captures"}},
	{"mqtap pub --cafile ce", []string{"cert.pem"}},
	{"mqtap decode cap", []string{"capture.pcap", "captures"}},
}

// sameSet compares candidates ignoring order and a trailing "/" on
// directories (bash and fish add it, zsh does not).
func sameSet(got, want []string) bool {
	norm := func(s []string) map[string]int {
		m := map[string]int{}
		for _, x := range s {
			m[strings.TrimSuffix(x, "/")]++
		}
		return m
	}
	g, w := norm(got), norm(want)
	if len(g) != len(w) {
		return false
	}
	for k, n := range w {
		if g[k] != n {
			return false
		}
	}
	return true
}
