package commands

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mqtap/mqtap/check"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
	"github.com/urfave/cli/v2"
)

// check flag names.
const (
	flagCheckOnly     = "only"
	flagCheckSkip     = "skip"
	flagCheckRequire  = "require"
	flagCheckJUnit    = "junit"
	flagCheckJSON     = "json"
	flagCheckPrefix   = "prefix"
	flagCheckMaxPay   = "max-payload"
	flagCheckBench    = "bench"
	flagCheckBenchFor = "bench-duration"
	flagCheckAuth     = "expect-auth"
	flagCheckParallel = "parallel"
	flagCheckList     = "list"
)

const checkUsage = `mqtap check [-h HOST] [-p PORT] [-u USER -P PASS] [--only a,b] [--skip c] [--require qos2,retain]
            [--junit FILE] [--json FILE] [--timeout PER-CHECK] [--bench] [--expect-auth] [flags]

Runs a battery of named checks against a broker: connecting at each protocol
version, round trips at QoS 0/1/2, retained messages, wills, wildcards,
persistent sessions, ordering, size limits and the MQTT 5 features the broker
announces. Each check passes, fails (what was expected, what happened) or is
skipped because the broker does not offer what it needs (with the evidence);
--require turns such skips into failures. Checks run in parallel on topics
under --prefix and remove the retained messages and sessions they create.
The checks use MQTT 5 when the broker speaks it, else 3.1.1; -V forces a
version. Exit status: 0 all passed or skipped, 8 a check failed, 3/4/6 the
broker could not be reached, refused us, or did not answer.

Examples:
  mqtap check -h localhost
  mqtap check -h broker.example -u ci -P "$PASS" --expect-auth --require qos2,retain
  mqtap check -L mqtts://broker.example:8883 --cafile ca.pem --junit report.xml --json report.json
  mqtap check --only pubsub,retain --timeout 5s
  mqtap check --bench --bench-duration 5s
  mqtap check --list`

// Check is `mqtap check`: the conformance battery of package check.
func Check() *cli.Command {
	const sel, rep, tune = "Checks", "Reports", "Tuning"
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: flagCheckOnly, Category: sel, Usage: "run only these checks or categories (`a,b`; see --list)"},
		&cli.StringSliceFlag{Name: flagCheckSkip, Category: sel, Usage: "do not run these checks or categories (`a,b`)"},
		&cli.StringSliceFlag{Name: flagCheckRequire, Category: sel,
			Usage: "fail, not skip, when the broker lacks these (`CAPS`: " + strings.Join(check.CapabilityNames, ",") + ")"},
		&cli.BoolFlag{Name: flagCheckAuth, Category: sel, Usage: "the broker must refuse a wrong password"},
		&cli.BoolFlag{Name: flagCheckBench, Category: sel, Usage: "also measure QoS 0 and QoS 1 messages/s"},
		&cli.BoolFlag{Name: flagCheckList, Category: sel, Usage: "list the checks and what each verifies, and exit"},
		&cli.StringFlag{Name: flagCheckJUnit, Category: rep, Usage: "write a JUnit XML report to `FILE`"},
		&cli.StringFlag{Name: flagCheckJSON, Category: rep, Usage: "write a JSON report (with capabilities and limits) to `FILE`"},
		&cli.StringFlag{Name: flagCheckPrefix, Category: tune, Usage: "topic prefix of the checks (default mqtap/check/<random>/)"},
		&cli.IntFlag{Name: flagCheckMaxPay, Value: 1 << 20, Category: tune, Usage: "largest payload the size search tries, in `bytes`"},
		&cli.DurationFlag{Name: flagCheckBenchFor, Value: 3 * time.Second, Category: tune, Usage: "how long each benchmark publishes"},
		&cli.IntFlag{Name: flagCheckParallel, Value: 8, Category: tune, Usage: "checks run at once"},
	}
	return mosquittoArgs(&cli.Command{
		Name:      "check",
		Usage:     "test a broker: a battery of conformance checks, with JUnit and JSON reports",
		UsageText: checkUsage + "\n\n--timeout is the per-check timeout; -d traces every connection's packets on stderr;\n-i, -c, -x, --write and the will flags are ignored (each check chooses its own).",
		Flags:     append(flags, connFlags()...),
		Action:    runCheck,
	})
}

// commaList reads a repeatable flag whose values may also be a,b,c.
func commaList(c *cli.Context, name string) []string {
	var out []string
	for _, v := range c.StringSlice(name) {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func runCheck(c *cli.Context) error {
	out := c.App.Writer
	if c.Bool(flagCheckList) {
		return listChecks(out)
	}
	s, err := readConnSettings(c)
	if err != nil {
		return err
	}
	cfg, checks, err := checkConfig(c, s)
	if err != nil {
		return err
	}
	// The report files are opened before the battery runs: a path that
	// cannot be written is a bad flag, found in milliseconds, not after
	// the checks (where it would also hide their result).
	junit, err := createReport(c, flagCheckJUnit)
	if err != nil {
		return err
	}
	js, err := createReport(c, flagCheckJSON)
	if err != nil {
		junit.discard()
		return err
	}
	rep, runErr := check.Run(c.Context, cfg, checks)
	// A broker that could not be used at all still gets report files
	// (one failed connect/broker case), so CI shows why.
	if err := junit.write(rep, check.WriteJUnit); err != nil {
		js.discard()
		return err
	}
	if err := js.write(rep, check.WriteJSON); err != nil {
		return err
	}
	if runErr != nil {
		return runErr // a *check.BrokerError: ExitCode finds the dial, CONNACK or timeout error inside
	}
	if err := check.WriteTable(out, rep, colorEnabled(s.color, out)); err != nil {
		return err
	}
	if n := rep.Count(check.Fail); n > 0 {
		return exitf(ExitCheckFailed, "%d of %d checks failed", n, len(rep.Results))
	}
	return nil
}

// checkConfig turns the flags into the battery's configuration.
func checkConfig(c *cli.Context, s *connSettings) (check.Config, []*check.Check, error) {
	only := commaList(c, flagCheckOnly)
	checks, err := check.Select(check.Checks(), only, commaList(c, flagCheckSkip))
	if err != nil {
		return check.Config{}, nil, usageError("%v", err)
	}
	if len(checks) == 0 {
		return check.Config{}, nil, usageError("--only and --skip leave no check to run")
	}
	// Naming a benchmark in --only asks for it as much as --bench does.
	bench := c.Bool(flagCheckBench) || c.IsSet(flagCheckBenchFor) ||
		slices.ContainsFunc(only, func(n string) bool { return n == "bench" || strings.HasPrefix(n, "bench/") })
	require := commaList(c, flagCheckRequire)
	if err := check.ValidateCapabilities(require); err != nil {
		return check.Config{}, nil, usageError("--require: %v", err)
	}
	// MQTT's remaining length stops at 268435455 bytes (a four-byte
	// varint); the search allocates what it tries.
	if n := c.Int(flagCheckMaxPay); n < 1 || n > mqttwire.MaxRemaining {
		return check.Config{}, nil, usageError("--max-payload %d: want 1 to %d", n, mqttwire.MaxRemaining)
	}
	prefix := c.String(flagCheckPrefix)
	if strings.ContainsAny(prefix, "+#") {
		return check.Config{}, nil, usageError("--prefix %q: a topic prefix cannot hold wildcards", prefix)
	}
	var version mqttwire.Version
	if c.IsSet(flagVersion) {
		version = s.version
	}
	endpoint, opts := s.endpoint, s.dial
	cfg := check.Config{
		Dial:          func(ctx context.Context) (net.Conn, error) { return transport.Dial(ctx, endpoint, opts) },
		Broker:        endpoint.Addr(),
		Connect:       *s.connect,
		Version:       version,
		Prefix:        prefix,
		Timeout:       s.timeout,
		MaxPayload:    c.Int(flagCheckMaxPay),
		Bench:         bench,
		BenchDuration: c.Duration(flagCheckBenchFor),
		ExpectAuth:    c.Bool(flagCheckAuth),
		Require:       require,
		Parallel:      c.Int(flagCheckParallel),
	}
	if s.debug {
		// Checks run at once: one lock keeps each trace line whole.
		var mu sync.Mutex
		tr := newTracer(c.App.ErrWriter)
		cfg.OnEvent = func(id string, e mqttwire.Event) {
			mu.Lock()
			tr.event(id, e)
			mu.Unlock()
		}
	}
	return cfg, checks, nil
}

// reportFile is a report file asked for by a flag, open for writing; the
// zero value (no flag) writes nothing.
type reportFile struct {
	f    *os.File
	flag string
}

// createReport opens the file the flag names, if it names one.
func createReport(c *cli.Context, flag string) (reportFile, error) {
	path := c.String(flag)
	if path == "" {
		return reportFile{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return reportFile{}, usageError("--%s: %v", flag, err)
	}
	return reportFile{f: f, flag: flag}, nil
}

// write writes the report and closes the file.
func (r reportFile) write(rep *check.Report, write func(io.Writer, *check.Report) error) error {
	if r.f == nil {
		return nil
	}
	if err := write(r.f, rep); err != nil {
		r.discard()
		return fmt.Errorf("--%s: write %s: %w", r.flag, r.f.Name(), err)
	}
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("--%s: %w", r.flag, err)
	}
	return nil
}

// discard closes and removes a report file that will not be written, so
// no empty report is left for a CI step to misread.
func (r reportFile) discard() {
	if r.f != nil {
		r.f.Close()
		os.Remove(r.f.Name())
	}
}

// listChecks prints the battery: name, what it needs, what it verifies.
func listChecks(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tNEEDS\tVERIFIES")
	for _, ch := range check.Checks() {
		needs := strings.Join(ch.Needs, ",")
		if needs == "" {
			needs = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.Name, needs, ch.Verifies)
	}
	return tw.Flush()
}
