package commands

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/urfave/cli/v2"
)

const (
	flagPing  = "ping"
	flagQuiet = "quiet"
)

// Connect is `mqtap connect`: connect, show the CONNECT and CONNACK as
// Wireshark does and what the broker announced, optionally ping, and
// disconnect. It exits 0 only when the broker accepted the connection.
func Connect() *cli.Command {
	flags := []cli.Flag{
		&cli.IntFlag{Name: flagPing, Category: "Connect", Usage: "measure `N` PINGREQ/PINGRESP round trips"},
		&cli.BoolFlag{Name: flagQuiet, Aliases: []string{"q"}, Category: "Output", Usage: "print a one-line summary instead of the packets"},
	}
	return mosquittoArgs(&cli.Command{
		Name:      "connect",
		Usage:     "connect to a broker and show the handshake",
		UsageText: "mqtap connect [-h HOST] [-p PORT] [-V 5] [-u USER -P PASS] [flags]\n\nExamples:\n  mqtap connect -h broker.example -V 5\n  mqtap connect -L mqtts://broker.example --cafile ca.pem --ping 5 -q",
		Flags:     append(flags, connFlags()...),
		Action:    runConnect,
	})
}

func runConnect(c *cli.Context) error {
	s, err := readConnSettings(c)
	if err != nil {
		return err
	}
	pings := c.Int(flagPing)
	if pings < 0 {
		return usageError("--ping %d: want a positive number", pings)
	}
	quiet := c.Bool(flagQuiet)
	out := c.App.Writer
	run, err := newRunOutput(c, s)
	if err != nil {
		return err
	}
	defer run.close()
	if !quiet {
		run.log.sinks = append(run.log.sinks, newDissector(out, s.version, s.color, s.showSecrets).event)
	}
	start := time.Now()
	conn, ack, err := openSession(c.Context, s, sessionOptions{log: run.log})
	if err != nil {
		if quiet && ack != nil {
			fmt.Fprintf(out, "%s refused: %s\n", s.endpoint.Addr(), mqttwire.Describe(mqttwire.TypeConnack, s.version, ack.ReasonCode))
		}
		return err
	}
	defer conn.Close()
	elapsed := time.Since(start)
	if quiet {
		fmt.Fprintf(out, "%s accepted MQTT %v in %v, session present: %s%s\n", conn.RemoteAddr(), s.version,
			elapsed.Round(time.Microsecond), yesNo(ack.SessionPresent()), announcedInline(ack, s.version))
	} else {
		writeAnnounced(out, ack, s.version)
	}
	if pings > 0 {
		if err := pingRounds(c, conn, s, pings, out, quiet); err != nil {
			return err
		}
	}
	return closeSession(c.Context, conn, s)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// announcedProps lists the CONNACK properties a client acts on, in the
// order the specification lists them (MQTT 5.0 §3.2.2.3).
func announced(ack *mqttwire.Connack, v mqttwire.Version) []string {
	if v != mqttwire.V5 {
		return nil
	}
	var out []string
	for _, p := range ack.Properties.List {
		spec, ok := mqttwire.LookupProp(p.ID)
		if !ok {
			continue
		}
		var val string
		switch spec.Type {
		case mqttwire.PropTypeString:
			val = p.Str
		case mqttwire.PropTypeBinary:
			val = fmt.Sprintf("%d bytes", len(p.Bin))
		case mqttwire.PropTypeStringPair:
			val = p.Str + "=" + p.Value
		default:
			val = fmt.Sprint(p.Int)
		}
		out = append(out, spec.Name+": "+val)
	}
	return out
}

func announcedInline(ack *mqttwire.Connack, v mqttwire.Version) string {
	a := announced(ack, v)
	if len(a) == 0 {
		return ""
	}
	return "; " + strings.Join(a, ", ")
}

// writeAnnounced lists what the broker told us about itself.
func writeAnnounced(w io.Writer, ack *mqttwire.Connack, v mqttwire.Version) {
	a := announced(ack, v)
	if len(a) == 0 {
		return
	}
	fmt.Fprintln(w, "Broker announced:")
	for _, line := range a {
		fmt.Fprintf(w, "    %s\n", line)
	}
}

// pingRounds measures PINGREQ/PINGRESP round trips, one at a time.
func pingRounds(c *cli.Context, conn *mqttwire.Conn, s *connSettings, n int, out io.Writer, quiet bool) error {
	var total, lo, hi time.Duration
	for i := 1; i <= n; i++ {
		pctx, cancel := contextWithTimeout(c, s.timeout)
		rtt, err := conn.Ping(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("ping %d: %w", i, err)
		}
		if !quiet {
			fmt.Fprintf(out, "PINGRESP %d: time=%v\n", i, roundDur(rtt))
		}
		total += rtt
		if i == 1 || rtt < lo {
			lo = rtt
		}
		hi = max(hi, rtt)
	}
	fmt.Fprintf(out, "%d pings: min %v, avg %v, max %v\n", n, roundDur(lo), roundDur(total/time.Duration(n)), roundDur(hi))
	return nil
}
