package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/urfave/cli/v2"
)

// sub flag names (mosquitto_sub's where it has one).
const (
	flagCount2          = "count"
	flagWait            = "wait"
	flagNoRetained      = "no-retained"
	flagRetainedOnly    = "retained-only"
	flagNoEOL           = "no-eol"
	flagFormat          = "format"
	flagFilterOut       = "filter-out"
	flagUnsubscribe     = "unsubscribe"
	flagExitOnSubscribe = "exit-on-subscribe"
	flagOutput          = "output"
	flagNoLocal         = "no-local"
	flagRetainAsPub     = "retain-as-published"
	flagRetainHandling  = "retain-handling"
	flagPretty          = "pretty"
	flagRemoveRetained  = "remove-retained"
	flagRandomFilter    = "random-filter"
)

// Sub is `mqtap sub`, mosquitto_sub's flags and output.
func Sub() *cli.Command {
	const msg, out, v5 = "Subscription", "Output", "MQTT 5 subscription options"
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: flagTopic, Aliases: []string{"t"}, Category: msg, Usage: "topic filter to subscribe to (repeatable)"},
		&cli.IntFlag{Name: flagQoS, Aliases: []string{"q"}, Category: msg, Usage: "QoS of the subscriptions: 0, 1 or 2"},
		&cli.IntFlag{Name: flagCount2, Aliases: []string{"C"}, Category: msg, Usage: "exit after `N` messages"},
		&cli.IntFlag{Name: flagWait, Aliases: []string{"W"}, Category: msg, Usage: "exit (status 6) after `SECONDS` unless -C was reached"},
		&cli.BoolFlag{Name: flagNoRetained, Aliases: []string{"R"}, Category: msg, Usage: "do not print retained (stale) messages"},
		&cli.BoolFlag{Name: flagRetainedOnly, Category: msg, Usage: "print only retained messages; exit at the first other one"},
		&cli.BoolFlag{Name: flagRemoveRetained, Category: msg, Usage: "clear each retained message received from the broker (skip some with -T)"},
		&cli.StringFlag{Name: flagRandomFilter, Category: out, Usage: "print only this `PERCENT` of messages, at random (0.1 to 100); all still count for -C"},
		&cli.StringSliceFlag{Name: flagFilterOut, Aliases: []string{"T"}, Category: msg, Usage: "do not print messages matching this topic filter (repeatable)"},
		&cli.StringSliceFlag{Name: flagUnsubscribe, Aliases: []string{"U"}, Category: msg, Usage: "unsubscribe from this filter first (repeatable)"},
		&cli.BoolFlag{Name: flagExitOnSubscribe, Aliases: []string{"E"}, Category: msg, Usage: "exit once the subscriptions are acknowledged"},
		&cli.BoolFlag{Name: flagNoLocal, Category: v5, Usage: "do not receive our own messages"},
		&cli.BoolFlag{Name: flagRetainAsPub, Category: v5, Usage: "keep the retain flag as published"},
		&cli.IntFlag{Name: flagRetainHandling, Category: v5, Usage: "0 send retained, 1 only for new subscriptions, 2 never"},
		&cli.BoolFlag{Name: flagVerbose, Aliases: []string{"v"}, Category: out, Usage: "print the topic before the payload"},
		&cli.BoolFlag{Name: flagNoEOL, Aliases: []string{"N"}, Category: out, Usage: "no newline after the payload"},
		&cli.StringFlag{Name: flagFormat, Aliases: []string{"F"}, Category: out, Usage: "mosquitto_sub output format (%t topic, %p payload, %j JSON, @H time...)"},
		&cli.BoolFlag{Name: flagPretty, Category: out, Usage: "indent JSON payloads (in colour on a terminal)"},
		&cli.StringFlag{Name: flagOutput, Aliases: []string{"o"}, Value: outText, Category: out, Usage: "text, json, jsonl, hex or dissect"},
		&cli.BoolFlag{Name: flagQuiet, Category: out, Usage: "do not print error messages (the exit status still tells)"},
	}
	return mosquittoArgs(&cli.Command{
		Name:      "sub",
		Usage:     "subscribe and print messages, as mosquitto_sub",
		UsageText: "mqtap sub -t FILTER [-t FILTER...] [flags]\n\nExamples:\n  mqtap sub -t 'sensors/#' -v\n  mqtap sub -t alerts -C 1 -W 30 -F '%I %t %p'\n  mqtap sub -t 'events/#' --output jsonl",
		Flags:     append(append(flags, reconnectFlags("unless -C or -E is given")...), connFlags()...),
		Action:    quietErrors(runSub),
	})
}

// subSettings are sub's own flags, checked.
type subSettings struct {
	subscribe        *mqttwire.Subscribe
	unsubscribe      []string
	count            int
	wait             time.Duration
	noRetained       bool
	retainedOnly     bool
	filterOut        []string
	exitOnSubscribed bool
	removeRetained   bool
	printPerMille    int // --random-filter; 1000 prints every message
	mode             string
}

func readSubSettings(c *cli.Context, s *connSettings) (*subSettings, error) {
	ss := &subSettings{
		unsubscribe: c.StringSlice(flagUnsubscribe), count: c.Int(flagCount2),
		wait: time.Duration(c.Int(flagWait)) * time.Second, noRetained: c.Bool(flagNoRetained),
		retainedOnly: c.Bool(flagRetainedOnly), filterOut: c.StringSlice(flagFilterOut),
		exitOnSubscribed: c.Bool(flagExitOnSubscribe), mode: c.String(flagOutput),
		removeRetained: c.Bool(flagRemoveRetained), printPerMille: 1000,
	}
	if f := c.String(flagRandomFilter); f != "" {
		// mosquitto_sub keeps tenths of a percent.
		pc, err := strconv.ParseFloat(f, 64)
		if err != nil || pc < 0.1 || pc > 100 {
			return nil, usageError("--random-filter %q: want a percentage from 0.1 to 100", f)
		}
		ss.printPerMille = int(pc * 10)
	}
	switch ss.mode {
	case outText, outJSON, outJSONL, outHex, outDissect:
	default:
		return nil, usageError("--output %q: want text, json, jsonl, hex or dissect", ss.mode)
	}
	if ss.count < 0 || c.Int(flagWait) < 0 {
		return nil, usageError("-C and -W take positive numbers")
	}
	topics := c.StringSlice(flagTopic)
	if len(topics) == 0 && s.urlTopic != "" {
		topics = []string{s.urlTopic}
	}
	if len(topics) == 0 {
		return nil, usageError("no topic: give -t FILTER")
	}
	q := c.Int(flagQoS)
	if q < 0 || q > 2 {
		return nil, usageError("-q %d: want 0, 1 or 2", q)
	}
	rh := c.Int(flagRetainHandling)
	if rh < 0 || rh > 2 {
		return nil, usageError("--retain-handling %d: want 0, 1 or 2", rh)
	}
	noLocal, rap := c.Bool(flagNoLocal), c.Bool(flagRetainAsPub)
	if (noLocal || rap || rh != 0) && s.version != mqttwire.V5 {
		return nil, usageError("--no-local, --retain-as-published and --retain-handling need MQTT 5 (-V 5)")
	}
	sub := &mqttwire.Subscribe{}
	for _, t := range append(append([]string(nil), topics...), ss.filterOut...) {
		if !mqttwire.ValidFilter(t) {
			return nil, usageError("invalid topic filter %q", t)
		}
	}
	for _, t := range topics {
		sub.Subscriptions = append(sub.Subscriptions, mqttwire.Subscription{Filter: t, Options: mqttwire.SubOptions(byte(q), noLocal, rap, byte(rh))})
	}
	sub.Properties.List = s.props.get(cmdSubscribe).List
	ss.subscribe = sub
	return ss, nil
}

// subRun is the state a sub run shares between the session's read
// goroutine (messages) and the command (the end).
type subRun struct {
	ss       *subSettings
	printer  *messagePrinter
	mu       sync.Mutex
	printed  int
	finished bool
	writeErr error
	end      chan struct{} // closed when -C or --retained-only ends the run
	remover  *retainedRemover
}

// onPublish decides, as mosquitto_sub does, whether to print a message and
// whether the run is over: -T and -R messages neither print nor count.
func (r *subRun) onPublish(p *mqttwire.Publish) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	for _, f := range r.ss.filterOut {
		if mqttwire.MatchTopic(f, p.Topic) {
			return
		}
	}
	if r.ss.retainedOnly && !p.Retain {
		r.stop()
		return
	}
	if r.ss.noRetained && p.Retain {
		return
	}
	if r.remover != nil && p.Retain {
		r.remover.add(p.Topic)
	}
	// As mosquitto_sub, a message --random-filter leaves out still counts
	// toward -C.
	if r.ss.printPerMille >= 1000 || rand.IntN(1000) < r.ss.printPerMille {
		if err := r.printer.print(&received{p: p, time: time.Now()}); err != nil && r.writeErr == nil {
			r.writeErr = err
			r.stop()
			return
		}
	}
	r.printed++
	if r.ss.count > 0 && r.printed >= r.ss.count {
		r.stop()
	}
}

// stop ends the run; the caller holds mu.
func (r *subRun) stop() {
	if !r.finished {
		r.finished = true
		close(r.end)
	}
}

func runSub(c *cli.Context) error {
	s, err := readConnSettings(c)
	if err != nil {
		return err
	}
	if c.Bool(flagQuiet) {
		s.warn = io.Discard
	}
	ss, err := readSubSettings(c, s)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(c.App.Writer, 64<<10)
	defer out.Flush()
	printer := &messagePrinter{w: out, mode: ss.mode, verbose: c.Bool(flagVerbose), noEOL: c.Bool(flagNoEOL),
		pretty: c.Bool(flagPretty), color: colorEnabled(s.color, c.App.Writer)}
	if f := c.String(flagFormat); f != "" {
		if printer.format, err = parseFormat(f); err != nil {
			return err
		}
	}
	run := &subRun{ss: ss, printer: printer, end: make(chan struct{})}
	ro, err := newRunOutput(c, s)
	if err != nil {
		return err
	}
	defer ro.close()
	if ss.mode == outDissect {
		// The dissection is the output: messages only, in place of text.
		d := newDissector(out, s.version, s.color, s.showSecrets)
		d.only = func(e mqttwire.Event) bool {
			_, isPub := e.Packet.(*mqttwire.Publish)
			return isPub && e.Dir == mqttwire.In
		}
		ro.log.sinks = append(ro.log.sinks, d.event)
	}
	rc, err := readReconnect(c, ss.count == 0 && !ss.exitOnSubscribed)
	if err != nil {
		return err
	}
	ctx, stopSignals := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	var flushErr error
	opts := sessionOptions{
		onPublish: run.onPublish,
		log:       ro.log,
		onIdle:    flushOnIdle(out, &flushErr),
		// Resuming keeps the ids of QoS 2 messages awaiting PUBREL, so a
		// message the broker sends again is not printed twice.
		resumable: rc.enabled,
	}
	conn, _, err := openSession(ctx, s, opts)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()
	if ss.removeRetained {
		remover := newRetainedRemover(conn)
		defer remover.abandon()
		run.mu.Lock()
		run.remover = remover
		run.mu.Unlock()
	}
	// subscribed is false until a SUBACK came: a connection lost before
	// that is reconnected like any other, and subscribes again.
	subscribed := true
	if err := subscribeAll(ctx, conn, s, ss, c.App.ErrWriter); err != nil {
		if ss.exitOnSubscribed || !rc.lost(ctx, conn) {
			return err
		}
		subscribed = false
	}
	if ss.exitOnSubscribed {
		return closeSession(ctx, conn, s)
	}
	var waitC <-chan time.Time
	if ss.wait > 0 {
		t := time.NewTimer(ss.wait)
		defer t.Stop()
		waitC = t.C
	}
	var result error
wait:
	for {
		select {
		case <-run.end:
		case <-ctx.Done(): // Ctrl-C: a normal way to stop
		case <-conn.Done():
			if !rc.lost(ctx, conn) {
				return conn.Err()
			}
			next, ack, err := rc.redial(ctx, s, opts, conn.TakeState(), conn.Err())
			if err != nil {
				if ctx.Err() != nil {
					return nil // Ctrl-C while reconnecting
				}
				return err
			}
			conn = next
			if run.remover != nil {
				run.remover.setConn(conn)
			}
			if !ack.SessionPresent() || !subscribed {
				// The broker forgot us (clean session, or it lost its
				// state), or never answered: subscribe again.
				err := resubscribe(ctx, conn, s, ss, c.App.ErrWriter)
				if err != nil && !rc.lost(ctx, conn) {
					return err
				}
				subscribed = err == nil
			}
			continue wait
		case <-waitC:
			result = exitf(ExitTimeout, "timed out after %v (-W) with %d messages", ss.wait, run.count())
		}
		break
	}
	if run.remover != nil {
		// The clearing messages must be acknowledged before we go.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
		err := run.remover.finish(fctx)
		cancel()
		if err != nil && result == nil {
			result = err
		}
	}
	if err := closeSession(context.WithoutCancel(ctx), conn, s); err != nil && result == nil {
		result = err
	}
	if err := out.Flush(); err != nil && result == nil {
		result = fmt.Errorf("writing output: %w", err)
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	if run.writeErr != nil {
		return fmt.Errorf("writing output: %w", run.writeErr)
	}
	return result
}

func (r *subRun) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.printed
}

// resubscribe subscribes again on a new connection (-U is not repeated).
func resubscribe(ctx context.Context, conn *mqttwire.Conn, s *connSettings, ss *subSettings, errOut io.Writer) error {
	again := *ss
	again.unsubscribe = nil
	return subscribeAll(ctx, conn, s, &again, errOut)
}

// subscribeAll sends -U's UNSUBSCRIBE, then one SUBSCRIBE for every -t,
// and reports refused filters; all refused is an error.
func subscribeAll(ctx context.Context, conn *mqttwire.Conn, s *connSettings, ss *subSettings, errOut interface{ Write([]byte) (int, error) }) error {
	actx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if len(ss.unsubscribe) > 0 {
		u := &mqttwire.Unsubscribe{Filters: ss.unsubscribe}
		u.Properties.List = s.props.get(cmdUnsubscribe).List
		if _, err := conn.Unsubscribe(actx, u); err != nil {
			return fmt.Errorf("unsubscribe: %w", err)
		}
	}
	ack, err := conn.Subscribe(actx, ss.subscribe)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	refused := 0
	for i, code := range ack.ReasonCodes {
		if code.IsError() && i < len(ss.subscribe.Subscriptions) {
			refused++
			fmt.Fprintf(errOut, "mqtap: subscription to %q refused: %s\n", ss.subscribe.Subscriptions[i].Filter,
				mqttwire.Describe(mqttwire.TypeSuback, conn.Version(), code))
		}
	}
	if refused > 0 && refused == len(ss.subscribe.Subscriptions) {
		return errors.New("all subscriptions were refused")
	}
	return nil
}
