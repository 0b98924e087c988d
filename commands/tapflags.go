package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
	"github.com/mqtap/mqtap/tap"
	"github.com/urfave/cli/v2"
)

// Flags shared by broker and proxy: how the tapped traffic is shown.
const (
	flagTapOutput   = "output"
	flagTapType     = "type"
	flagTapTopic    = "topic"
	flagTapClient   = "client"
	flagTapCount    = "c"
	flagTapDuration = "duration"
	flagTapPref     = "o"
)

func tapFlags() []cli.Flag {
	const out, filt = "Output", "Filters (what is shown; --write records everything)"
	return []cli.Flag{
		&cli.BoolFlag{Name: flagVerbose, Aliases: []string{"v"}, Category: out, Usage: "show every packet's Wireshark tree (as --output tree)"},
		&cli.StringFlag{Name: flagTapOutput, Value: "summary", Category: out, Usage: "summary (one line per packet), tree, jsonl or none"},
		&cli.StringFlag{Name: flagWrite, Aliases: []string{"w"}, Category: out, Usage: "record every connection to `FILE.pcap` (for Wireshark or mqtap decode)"},
		&cli.StringSliceFlag{Name: flagTapPref, Category: out, Usage: "preference `NAME:VALUE`: mqtt.show_msg_as_text:TRUE|FALSE, mqtt.default_version:v31|v311|v50|none"},
		&cli.StringFlag{Name: flagColor, Value: "auto", EnvVars: []string{"MQTAP_COLOR"}, Category: out, Usage: "colour: auto, always, never"},
		&cli.BoolFlag{Name: flagShowSecrets, Category: out, Usage: "show CONNECT passwords (hidden by default; --write keeps them)"},
		&cli.IntFlag{Name: flagTapCount, Category: out, Usage: "stop after showing `N` packets (as tshark -c)"},
		&cli.DurationFlag{Name: flagTapDuration, Category: out, Usage: "stop after `DURATION` (e.g. 30s)"},
		&cli.StringSliceFlag{Name: flagTapType, Category: filt, Usage: "show only these packet `TYPES` (publish,subscribe; repeatable)"},
		&cli.StringSliceFlag{Name: flagTapTopic, Aliases: []string{"t"}, Category: filt, Usage: "show only PUBLISH/SUBSCRIBE/UNSUBSCRIBE matching this topic `FILTER` (repeatable)"},
		&cli.StringSliceFlag{Name: flagTapClient, Category: filt, Usage: "show only connections of this client `ID`, or of ids matching it: * matches any characters (/ too), ? one (repeatable)"},
	}
}

// tapRun is the running tap of a broker or proxy and what stops it.
type tapRun struct {
	tap      *tap.Tap
	pcap     *os.File
	duration time.Duration
}

func openTap(c *cli.Context) (*tapRun, error) {
	opt := tap.Options{Count: c.Int(flagTapCount), ShowSecrets: c.Bool(flagShowSecrets)}
	mode := c.String(flagTapOutput)
	if c.Bool(flagVerbose) && !c.IsSet(flagTapOutput) {
		mode = "tree"
	}
	formats := map[string]tap.Format{"summary": tap.Summary, "tree": tap.Tree, "jsonl": tap.JSONL, "none": tap.None}
	f, ok := formats[mode]
	if !ok {
		return nil, usageError("--output %q: want summary, tree, jsonl or none", mode)
	}
	opt.Format = f
	switch m := c.String(flagColor); m {
	case "auto", "always", "never":
		opt.Palette = output.NewPalette(f == tap.Tree && colorEnabled(m, c.App.Writer))
	default:
		return nil, usageError("--color %q: want auto, always or never", m)
	}
	prefs, err := parsePrefs(c.StringSlice(flagTapPref))
	if err != nil {
		return nil, err
	}
	opt.Prefs, opt.Version = prefs.Prefs, prefs.Version
	if opt.Filter.Types, err = tap.ParseTypes(c.StringSlice(flagTapType)); err != nil {
		return nil, usageError("--type: %v", err)
	}
	opt.Filter.Topics = c.StringSlice(flagTapTopic)
	for _, t := range opt.Filter.Topics {
		if !mqttwire.ValidFilter(t) {
			return nil, usageError("--topic %q: not a valid topic filter", t)
		}
	}
	opt.Filter.Clients = c.StringSlice(flagTapClient)
	if opt.Count < 0 || c.Duration(flagTapDuration) < 0 {
		return nil, usageError("-c and --duration must not be negative")
	}
	if opt.Count > 0 && f == tap.None {
		return nil, usageError("-c counts packets shown, and --output none shows none")
	}
	run := &tapRun{duration: c.Duration(flagTapDuration)}
	if name := c.String(flagWrite); name != "" {
		if run.pcap, err = os.Create(name); err != nil {
			return nil, usageError("--%s %s: %v", flagWrite, name, pathReason(err))
		}
		opt.Pcap = run.pcap
	}
	if run.tap, err = tap.New(c.App.Writer, opt); err != nil {
		run.closeFile()
		return nil, fmt.Errorf("--write: %w", err)
	}
	return run, nil
}

// wait blocks until Ctrl-C (or SIGTERM), -c packets or --duration.
func (r *tapRun) wait(ctx context.Context, failed <-chan error) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var timeout <-chan time.Time
	if r.duration > 0 {
		t := time.NewTimer(r.duration)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
	case <-timeout:
	case <-r.tap.Done():
	case err := <-failed:
		return err
	}
	return nil
}

// close ends the tap (the pcap gets every session's end) and the file.
func (r *tapRun) close() error {
	err := r.tap.Close()
	if ferr := r.closeFile(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

func (r *tapRun) closeFile() error {
	if r.pcap == nil {
		return nil
	}
	return r.pcap.Close()
}

// pathReason is why a file operation failed, without the operation and
// path a *fs.PathError repeats.
func pathReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// announce tells the user, on stderr, where to point clients.
func announce(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "mqtap: "+format+"\n", args...)
}
