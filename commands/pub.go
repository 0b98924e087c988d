package commands

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/urfave/cli/v2"
)

// pub flag names (mosquitto_pub's where it has one).
const (
	flagTopic         = "topic"
	flagMessage       = "message"
	flagFile          = "file"
	flagStdinFile     = "stdin-file"
	flagStdinLine     = "stdin-line"
	flagNullMessage   = "null-message"
	flagQoS           = "qos"
	flagRetain        = "retain"
	flagRepeat        = "repeat"
	flagRepeatDelay   = "repeat-delay"
	flagCount         = "count"
	flagRate          = "rate"
	flagInflight      = "max-inflight"
	flagContentType   = "content-type"
	flagResponseTopic = "response-topic"
	flagCorrelation   = "correlation-data"
	flagUserProperty  = "user-property"
	flagMessageExpiry = "message-expiry"
	flagPayloadFormat = "payload-format"
	flagTopicAlias    = "topic-alias"
	flagSummary       = "summary"
	flagVerbose       = "verbose"
)

// Pub is `mqtap pub`, mosquitto_pub's flags with pipelined QoS 1/2.
func Pub() *cli.Command {
	const msg, v5 = "Message", "MQTT 5 publish properties"
	flags := []cli.Flag{
		&cli.StringFlag{Name: flagTopic, Aliases: []string{"t"}, Category: msg, Usage: "topic to publish to"},
		&cli.StringFlag{Name: flagMessage, Aliases: []string{"m"}, Category: msg, Usage: "message payload; {{now}} {{seq}} {{rand MIN MAX}} {{uuid}} {{env \"X\"}} are rendered per message"},
		&cli.StringFlag{Name: flagFile, Aliases: []string{"f"}, Category: msg, Usage: "send the contents of `FILE` as the message"},
		&cli.BoolFlag{Name: flagStdinFile, Aliases: []string{"s"}, Category: msg, Usage: "send all of stdin as one message"},
		&cli.BoolFlag{Name: flagStdinLine, Aliases: []string{"l"}, Category: msg, Usage: "send each line of stdin as a message, as lines arrive"},
		&cli.BoolFlag{Name: flagNullMessage, Aliases: []string{"n"}, Category: msg, Usage: "send an empty message"},
		&cli.IntFlag{Name: flagQoS, Aliases: []string{"q"}, Category: msg, Usage: "QoS 0, 1 or 2"},
		&cli.BoolFlag{Name: flagRetain, Aliases: []string{"r"}, Category: msg, Usage: "retain the message"},
		&cli.IntFlag{Name: flagRepeat, Category: msg, Usage: "publish the message `N` times"},
		&cli.StringFlag{Name: flagRepeatDelay, Category: msg, Usage: "pause between repeated messages: `SECONDS` as mosquitto (0.5), or a duration (500ms)"},
		&cli.IntFlag{Name: flagCount, Category: msg, Usage: "publish `N` messages (same as --repeat)"},
		&cli.StringFlag{Name: flagRate, Category: msg, Usage: "publish at `R/s` (also /m, /h)"},
		&cli.IntFlag{Name: flagInflight, Aliases: []string{"M"}, Category: msg, Usage: "QoS 1/2 messages awaiting ack at once (default: the broker's Receive Maximum, else 20)"},
		&cli.StringFlag{Name: flagContentType, Category: v5, Usage: "content type"},
		&cli.StringFlag{Name: flagResponseTopic, Category: v5, Usage: "response topic"},
		&cli.StringFlag{Name: flagCorrelation, Category: v5, Usage: "correlation data"},
		&cli.StringSliceFlag{Name: flagUserProperty, Category: v5, Usage: "user property `KEY=VALUE` (repeatable)"},
		&cli.Int64Flag{Name: flagMessageExpiry, Value: -1, Category: v5, Usage: "message expiry interval in `seconds`"},
		&cli.IntFlag{Name: flagPayloadFormat, Value: -1, Category: v5, Usage: "payload format indicator: 0 bytes, 1 UTF-8"},
		&cli.IntFlag{Name: flagTopicAlias, Category: v5, Usage: "topic alias: sent with the topic once, then alone"},
		&cli.BoolFlag{Name: flagVerbose, Aliases: []string{"v"}, Category: "Output", Usage: "show every packet: Wireshark's packet-list line and tree"},
		&cli.BoolFlag{Name: flagQuiet, Category: "Output", Usage: "do not print error messages (the exit status still tells)"},
		&cli.BoolFlag{Name: flagSummary, Category: "Output", Usage: "print totals and ack latencies on stderr (always on a terminal)"},
		&cli.DurationFlag{Name: flagGrace, Value: 10 * time.Second, Category: "Reconnect", Usage: "on SIGINT/SIGTERM, how long to wait for outstanding acknowledgements"},
	}
	return mosquittoArgs(&cli.Command{
		Name:      "pub",
		Usage:     "publish messages, as mosquitto_pub",
		UsageText: "mqtap pub -t TOPIC (-m MSG | -f FILE | -s | -l | -n) [flags]\n\nExamples:\n  mqtap pub -t sensors/t1 -m 21.5 -q 1\n  mqtap pub -t load -m '{\"t\":\"{{now}}\",\"n\":{{seq}}}' --count 1000 --rate 100/s\n  tail -f app.log | mqtap pub -t logs -l -q 1",
		Flags:     append(append(flags, reconnectFlags("for -l and --count")...), connFlags()...),
		Action:    quietErrors(runPub),
	})
}

// pubSource yields the payloads to publish.
type pubSource interface {
	// next returns message seq (from 1), false when there are no more.
	next(seq int) ([]byte, bool, error)
	// more reports whether message seq+1 is available without waiting,
	// so message seq may be held back to share a write with it.
	more(seq int) bool
}

// repeatSource is one message (possibly a template) sent count times.
type repeatSource struct {
	payload []byte
	tpl     *messageTemplate
	count   int
}

func (s *repeatSource) next(seq int) ([]byte, bool, error) {
	if seq > s.count {
		return nil, false, nil
	}
	if s.tpl != nil {
		b, err := s.tpl.render(seq)
		return b, err == nil, err
	}
	return s.payload, true, nil
}

func (s *repeatSource) more(seq int) bool { return seq < s.count }

// lineSource is -l: every line of stdin, as soon as it arrives.
type lineSource struct{ r *bufio.Reader }

// more looks for a whole line already read from stdin; a line still
// arriving must not hold back the one before it.
func (s *lineSource) more(int) bool {
	n := s.r.Buffered()
	if n == 0 {
		return false
	}
	b, _ := s.r.Peek(n)
	return bytes.IndexByte(b, '\n') >= 0
}

func (s *lineSource) next(int) ([]byte, bool, error) {
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the buffer: gather it whole.
		buf := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = s.r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	if len(line) == 0 && err != nil {
		return nil, false, nil
	}
	return bytes.TrimSuffix(line, []byte{'\n'}), true, nil
}

// readPubSource picks the message source from -m, -f, -s, -l and -n:
// exactly one, as in mosquitto_pub.
func readPubSource(c *cli.Context, in io.Reader) (pubSource, int, error) {
	count := 1
	for _, f := range []string{flagRepeat, flagCount} {
		if c.IsSet(f) {
			if c.Int(f) < 1 {
				return nil, 0, usageError("--%s %d: want at least 1", f, c.Int(f))
			}
			count = c.Int(f)
		}
	}
	given := 0
	for _, f := range []string{flagMessage, flagFile, flagStdinFile, flagStdinLine, flagNullMessage} {
		if c.IsSet(f) {
			given++
		}
	}
	switch {
	case given == 0:
		return nil, 0, usageError("nothing to publish: give one of -m, -f, -s, -l or -n")
	case given > 1:
		return nil, 0, usageError("give only one of -m, -f, -s, -l and -n")
	}
	switch {
	case c.IsSet(flagMessage):
		m := c.String(flagMessage)
		if !isTemplate(m) {
			return &repeatSource{payload: []byte(m), count: count}, count, nil
		}
		tpl, err := parseMessageTemplate(m)
		if err != nil {
			return nil, 0, err
		}
		return &repeatSource{tpl: tpl, count: count}, count, nil
	case c.IsSet(flagFile):
		b, err := os.ReadFile(c.String(flagFile))
		if err != nil {
			return nil, 0, usageError("-f: %v", err)
		}
		return &repeatSource{payload: b, count: count}, count, nil
	case c.Bool(flagStdinFile):
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, 0, fmt.Errorf("reading stdin: %w", err)
		}
		return &repeatSource{payload: b, count: count}, count, nil
	case c.Bool(flagStdinLine):
		return &lineSource{r: bufio.NewReaderSize(in, 64<<10)}, 0, nil
	}
	return &repeatSource{payload: nil, count: count}, count, nil
}

// buildPublish makes the PUBLISH every message is sent in.
func buildPublish(c *cli.Context, s *connSettings) (*mqttwire.Publish, error) {
	topic := c.String(flagTopic)
	if topic == "" {
		topic = s.urlTopic
	}
	if topic == "" {
		return nil, usageError("no topic: give -t TOPIC")
	}
	if strings.ContainsAny(topic, "+#") {
		return nil, usageError("-t %q: a topic to publish to cannot contain + or #", topic)
	}
	q := c.Int(flagQoS)
	if q < 0 || q > 2 {
		return nil, usageError("-q %d: want 0, 1 or 2", q)
	}
	p := &mqttwire.Publish{Topic: topic, QoS: byte(q), Retain: c.Bool(flagRetain)}
	props := &p.Properties
	props.List = append(props.List, s.props.get(cmdPublish).List...)
	add := func(flag string, fn func()) {
		if c.IsSet(flag) {
			fn()
		}
	}
	add(flagContentType, func() { props.AddString(mqttwire.PropContentType, c.String(flagContentType)) })
	add(flagResponseTopic, func() { props.AddString(mqttwire.PropResponseTopic, c.String(flagResponseTopic)) })
	add(flagCorrelation, func() { props.AddBinary(mqttwire.PropCorrelationData, []byte(c.String(flagCorrelation))) })
	for _, kv := range c.StringSlice(flagUserProperty) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usageError("--user-property %q: want KEY=VALUE", kv)
		}
		props.AddUser(k, v)
	}
	if e := c.Int64(flagMessageExpiry); e >= 0 {
		if e > 0xFFFFFFFF {
			return nil, usageError("--message-expiry %d: at most 4294967295", e)
		}
		props.AddInt(mqttwire.PropMessageExpiry, uint32(e))
	}
	if f := c.Int(flagPayloadFormat); f >= 0 {
		if f > 1 {
			return nil, usageError("--payload-format %d: want 0 or 1", f)
		}
		props.AddInt(mqttwire.PropPayloadFormat, uint32(f))
	}
	if a := c.Int(flagTopicAlias); a != 0 {
		if a < 1 || a > 65535 {
			return nil, usageError("--topic-alias %d: want 1 to 65535", a)
		}
		props.AddInt(mqttwire.PropTopicAlias, uint32(a))
	}
	if len(props.List) > 0 && s.version != mqttwire.V5 {
		return nil, usageError("publish properties need MQTT 5 (-V 5)")
	}
	return p, nil
}

func runPub(c *cli.Context) error {
	s, err := readConnSettings(c)
	if err != nil {
		return err
	}
	if c.Bool(flagQuiet) {
		s.warn = io.Discard
	}
	pkt, err := buildPublish(c, s)
	if err != nil {
		return err
	}
	delay, err := parseDelay(flagRepeatDelay, c.String(flagRepeatDelay))
	if err != nil {
		return err
	}
	interval, err := parseRate(c.String(flagRate))
	if err != nil {
		return err
	}
	if c.Int(flagInflight) < 0 {
		return usageError("-M %d: want a positive number", c.Int(flagInflight))
	}
	src, total, err := readPubSource(c, c.App.Reader)
	if err != nil {
		return err
	}
	rc, err := readReconnect(c, total != 1)
	if err != nil {
		return err
	}
	if c.Duration(flagGrace) < 0 {
		return usageError("--%s %v: want 0 or more", flagGrace, c.Duration(flagGrace))
	}
	sig := watchSignals(c.Context)
	defer sig.stop()
	if ls, ok := src.(*lineSource); ok {
		// A signal must not wait for the next line of a stdin left open
		// but quiet. (Nothing has been read yet: Reset loses nothing.)
		ls.r.Reset(stopReading(sig.input, c.App.Reader))
	}
	run, err := newRunOutput(c, s)
	if err != nil {
		return err
	}
	defer run.close()
	if c.Bool(flagVerbose) {
		run.log.sinks = append(run.log.sinks, newDissector(c.App.Writer, s.version, s.color, s.showSecrets).event)
	}
	opts := sessionOptions{maxInflight: c.Int(flagInflight), log: run.log, resumable: rc.enabled && pkt.QoS > 0}
	conn, _, err := openSession(sig.input, s, opts)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()

	stats := &pubStats{start: time.Now()}
	var bar *progress
	errOut := c.App.ErrWriter
	showSummary := c.Bool(flagSummary)
	if isTerminal(errOut) && total != 1 {
		bar, showSummary = startProgress(errOut, total, stats), true
	}
	pace := &pacer{interval: interval, delay: delay}
	cur := &pubCursor{}
	var sendErr error
	for {
		sendErr = publishAll(sig.input, conn, pkt, src, pace, stats, s.timeout, cur)
		if sendErr == nil || sig.input.Err() != nil {
			// Every message is taken, or a signal stopped the input: wait
			// for the acknowledgements (Drain also writes what publishAll
			// held back).
			sendErr = drain(sig, conn, s.timeout, c.Duration(flagGrace))
		}
		if !rc.lost(sig.hard, conn) {
			break
		}
		cause := conn.Err()
		st := conn.TakeState()
		next, _, err := rc.redial(sig.hard, s, opts, st, cause)
		if err != nil {
			sendErr = err
			break
		}
		stats.resentMessages(next.Resent(), rc.reconnects)
		conn, cur.topicSent = next, false
	}
	bar.end()
	var te *mqttwire.TimeoutError
	if errors.As(sendErr, &te) {
		sendErr = nil // outcome says how many were not acknowledged
	}
	interrupted := sig.signalled() > 0
	if interrupted && errors.Is(sendErr, context.Canceled) {
		sendErr = nil // the user's stop, not a failure; outcome counts
	}
	if sendErr == nil && sig.hard.Err() == nil {
		sendErr = closeSession(sig.hard, conn, s)
	}
	if sig.hard.Err() != nil {
		sendErr = errInterrupted
	}
	if showSummary || interrupted || rc.losses > 0 {
		stats.writeSummary(errOut)
	}
	return stats.outcome(sendErr)
}

// errInterrupted is a second signal: the run ends without waiting.
var errInterrupted = exitf(ExitTimeout, "interrupted twice")

// drain waits for every acknowledgement: at most timeout, or at most
// grace once a signal has come; a second signal ends it at once.
func drain(sig *interrupts, conn *mqttwire.Conn, timeout, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(sig.hard, timeout)
	defer cancel()
	// A first signal (before or during the wait) shortens it to --grace.
	stop := context.AfterFunc(sig.input, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	defer stop()
	return conn.Drain(ctx)
}

// pubCursor is where publishAll is in the input, so that a run carried
// over to a new connection goes on from the message it was sending.
type pubCursor struct {
	seq       int    // the last message read (from 1)
	payload   []byte // its payload
	pending   bool   // read but not yet taken by the session
	topicSent bool   // the topic went out with its alias on this connection
}

// publishAll sends every message of src. A message followed at once by
// another is held to share its write. A full inflight window is waited on
// for at most timeout: a broker that stops acknowledging ends the run. A
// message the session did not take (its send returned an error) stays in
// cur, to be sent first by the next call.
func publishAll(ctx context.Context, conn *mqttwire.Conn, pkt *mqttwire.Publish, src pubSource, pace *pacer, stats *pubStats, timeout time.Duration, cur *pubCursor) error {
	topic := pkt.Topic
	_, aliased := pkt.Properties.Int(mqttwire.PropTopicAlias)
	for {
		if !cur.pending {
			payload, ok, err := src.next(cur.seq + 1)
			if err != nil || !ok {
				return err
			}
			cur.seq, cur.payload, cur.pending = cur.seq+1, payload, true
			if err := pace.wait(ctx); err != nil {
				return err
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
		seq := cur.seq
		pkt.Payload = cur.payload
		// With a topic alias the topic goes once per connection; later
		// messages carry the alias alone (MQTT 5.0 §3.3.2.3.4).
		pkt.Topic = topic
		if aliased && cur.topicSent {
			pkt.Topic = ""
		}
		paced := pace.interval > 0 || pace.delay > 0
		queued := !paced && pkt.QoS > 0
		wctx := ctx
		var cancel context.CancelFunc = func() {}
		// Only a full backlog (PublishQueued) or window (Publish) makes a
		// publish wait; bound that. This goroutine is the only one adding
		// to either, so a check that finds room cannot be wrong by the
		// time of the call, and a run that never waits makes no timer.
		if (queued && conn.Backlog() >= mqttwire.MaxBacklog) ||
			(!queued && pkt.QoS > 0 && conn.Inflight() >= conn.InflightWindow()) {
			wctx, cancel = context.WithTimeout(ctx, timeout)
		}
		var err error
		switch {
		case queued:
			// Run ahead of the window: the session sends each message as
			// an ack frees a slot.
			err = conn.PublishQueued(wctx, pkt, stats.done)
		case !paced && src.more(seq):
			err = conn.PublishHeld(wctx, pkt, stats.done)
		default:
			err = conn.Publish(wctx, pkt, stats.done)
		}
		cancel()
		if err != nil {
			return err
		}
		cur.pending, cur.topicSent = false, true
		stats.published(len(pkt.Payload), pkt.QoS)
		// The session holds what it can send now until we have no more
		// at hand.
		if queued && !src.more(seq) {
			if err := conn.Flush(); err != nil {
				return err
			}
		}
	}
}
