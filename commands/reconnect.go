package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/urfave/cli/v2"
)

// Reconnect flags (pub and sub).
const (
	flagReconnect        = "reconnect"
	flagReconnectMax     = "reconnect-max"
	flagReconnectTimeout = "reconnect-timeout"
)

// flagGrace (pub) bounds the wait for acknowledgements after a signal.
const flagGrace = "grace"

// firstBackoff is the pause before the second attempt; each later pause
// doubles, up to --reconnect-max.
const firstBackoff = 100 * time.Millisecond

func reconnectFlags(defaultNote string) []cli.Flag {
	const cat = "Reconnect"
	return []cli.Flag{
		&cli.BoolFlag{Name: flagReconnect, Category: cat, Usage: "when the connection is lost, reconnect, resume the session and send again what was not acknowledged (default: on " + defaultNote + "; --reconnect=false turns it off)"},
		&cli.DurationFlag{Name: flagReconnectMax, Value: 30 * time.Second, Category: cat, Usage: "longest pause between reconnect attempts (backoff from 100ms, with jitter)"},
		&cli.DurationFlag{Name: flagReconnectTimeout, Value: 5 * time.Minute, Category: cat, Usage: "give up after this long without a connection (0: never)"},
	}
}

// reconnector reconnects a lost session with bounded, jittered backoff.
type reconnector struct {
	enabled    bool
	maxDelay   time.Duration
	giveUp     time.Duration // 0: never
	errOut     io.Writer
	reconnects int
	losses     int // connections lost
}

// readReconnect reads the flags; defaultOn is --reconnect's default for
// this run.
func readReconnect(c *cli.Context, defaultOn bool) (*reconnector, error) {
	r := &reconnector{enabled: defaultOn, maxDelay: c.Duration(flagReconnectMax),
		giveUp: c.Duration(flagReconnectTimeout), errOut: c.App.ErrWriter}
	if c.IsSet(flagReconnect) {
		r.enabled = c.Bool(flagReconnect)
	}
	if r.maxDelay < firstBackoff {
		return nil, usageError("--%s %v: want at least %v", flagReconnectMax, r.maxDelay, firstBackoff)
	}
	if r.giveUp < 0 {
		return nil, usageError("--%s %v: want 0 (never) or more", flagReconnectTimeout, r.giveUp)
	}
	return r, nil
}

// lost reports whether conn's session ended by itself (not by a clean
// DISCONNECT of ours) while ctx still runs: the case for reconnecting.
func (r *reconnector) lost(ctx context.Context, conn *mqttwire.Conn) bool {
	if !r.enabled || ctx.Err() != nil {
		return false
	}
	select {
	case <-conn.Done():
	default:
		return false
	}
	err := conn.Err()
	var de *mqttwire.DisconnectError
	var me *mqttwire.MalformedError
	var pe *mqttwire.ProtocolError
	switch {
	case err == nil:
		return false // our own DISCONNECT
	case errors.As(err, &de) && de.Code == 0x8E:
		return false // Session taken over: another client has our id now
	case errors.As(err, &me), errors.As(err, &pe):
		return false // the same bytes would break the next session too
	}
	return true
}

// redial opens the session again, resuming st, until it succeeds, a
// refusal that retrying cannot fix, ctx ends or --reconnect-timeout
// passes. On failure the messages of st are abandoned (their done
// callbacks see the error).
func (r *reconnector) redial(ctx context.Context, s *connSettings, o sessionOptions, st *mqttwire.SessionState, cause error) (*mqttwire.Conn, *mqttwire.Connack, error) {
	r.losses++
	fmt.Fprintf(r.errOut, "mqtap: connection lost: %v; reconnecting (%d unacknowledged, %d queued)\n", cause, st.Unacked(), st.Queued())
	start := time.Now()
	delay := firstBackoff
	o.resumable, o.resume = true, st
	for attempt := 1; ; attempt++ {
		conn, ack, err := openSession(ctx, s, o)
		if err == nil {
			r.reconnects++
			fmt.Fprintf(r.errOut, "mqtap: reconnected after %v (attempt %d, session present: %v), sent %d again\n",
				time.Since(start).Round(time.Millisecond), attempt, ack.SessionPresent(), conn.Resent())
			return conn, ack, nil
		}
		gaveUp := ""
		switch {
		case ctx.Err() != nil:
			gaveUp = "interrupted"
		case !retryable(err):
			gaveUp = "refused"
		case r.giveUp > 0 && time.Since(start)+delay > r.giveUp:
			gaveUp = fmt.Sprintf("no connection for %v (--%s)", r.giveUp, flagReconnectTimeout)
		}
		if gaveUp != "" {
			err = fmt.Errorf("reconnect: gave up after %d attempts (%s): %w", attempt, gaveUp, err)
			st.Abandon(err)
			return nil, nil, err
		}
		// Equal jitter: half the delay fixed, half random, so that many
		// clients cut off together do not come back together.
		pause := delay/2 + rand.N(delay/2+1)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		delay = min(2*delay, r.maxDelay)
	}
}

// retryable tells a broker that may take us later (down, restarting,
// busy) from one that refused us for good (credentials, client id).
func retryable(err error) bool {
	var ce *mqttwire.ConnackError
	if !errors.As(err, &ce) {
		return true
	}
	if ce.Version == mqttwire.V5 {
		switch ce.Code {
		case 0x88, 0x89, 0x97, 0x9F: // Server unavailable, busy, quota exceeded, connection rate exceeded
			return true
		}
		return false
	}
	return ce.Code == 3 // Server unavailable
}
