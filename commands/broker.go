package commands

import (
	"crypto/tls"
	"net"
	"os"

	"github.com/mqtap/mqtap/broker"
	"github.com/urfave/cli/v2"
)

// broker flag names.
const (
	flagListen         = "listen"
	flagWSListen       = "ws-listen"
	flagTLSListen      = "tls-listen"
	flagUsers          = "users"
	flagAllowAnonymous = "allow-anonymous"
	defaultBrokerAddr  = "127.0.0.1:1883"
)

// Broker is `mqtap broker`: an embedded broker that shows every packet.
func Broker() *cli.Command {
	const lis = "Listeners"
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: flagListen, Category: lis, Usage: "accept MQTT over TCP on `ADDRESS` (repeatable; default " + defaultBrokerAddr + ")"},
		&cli.StringSliceFlag{Name: flagWSListen, Category: lis, Usage: "accept MQTT over WebSocket on `ADDRESS` (any path; repeatable)"},
		&cli.StringSliceFlag{Name: flagTLSListen, Category: lis, Usage: "accept MQTT over TLS on `ADDRESS` (with --cert and --key; repeatable)"},
		&cli.StringFlag{Name: flagCert, Category: lis, Usage: "server certificate `FILE` (PEM) for --tls-listen"},
		&cli.StringFlag{Name: flagKey, Category: lis, Usage: "server private key `FILE` (PEM) for --tls-listen"},
		&cli.StringFlag{Name: flagUsers, Category: lis, Usage: "admit only the users in `FILE` (user:password lines)"},
		&cli.BoolFlag{Name: flagAllowAnonymous, Category: lis, Usage: "admit anyone on addresses other hosts can reach"},
	}
	return &cli.Command{
		Name:  "broker",
		Usage: "run a local MQTT broker (3.1.1 and 5) that shows every packet",
		UsageText: `mqtap broker [flags]

Runs an embedded broker and shows each client's packets, both ways, as they
cross the socket: one line per packet with the client id, the Wireshark tree
with -v, JSON lines with --output jsonl. --write records everything as pcap.
Anyone may connect on loopback addresses; elsewhere give --users FILE (or
--allow-anonymous). Stops on Ctrl-C, after -c packets or after --duration.

examples:
  mqtap broker                                  # then, elsewhere: mqtap sub -t '#' / mqtap pub -t a -m hi
  mqtap broker -v --topic 'sensors/#'
  mqtap broker --listen 0.0.0.0:1883 --users users.txt --write session.pcap
  mqtap broker --tls-listen 127.0.0.1:8883 --cert server.pem --key server.key --ws-listen 127.0.0.1:8080
  mqtap broker --output jsonl | jq -c 'select(.from == "client") | .info'`,
		Flags:  append(flags, tapFlags()...),
		Action: runBroker,
	}
}

func runBroker(c *cli.Context) error {
	cfg := broker.Config{
		Listen: c.StringSlice(flagListen), WSListen: c.StringSlice(flagWSListen), TLSListen: c.StringSlice(flagTLSListen),
	}
	if len(cfg.Listen)+len(cfg.WSListen)+len(cfg.TLSListen) == 0 {
		cfg.Listen = []string{defaultBrokerAddr}
	}
	var err error
	if cfg.TLS, err = serverTLS(c, flagTLSListen, len(cfg.TLSListen) > 0); err != nil {
		return err
	}
	if name := c.String(flagUsers); name != "" {
		f, err := os.Open(name)
		if err != nil {
			return usageError("--users: %v", err)
		}
		cfg.Users, err = broker.ReadUsers(f)
		f.Close()
		if err != nil {
			return usageError("--users %s: %v", name, err)
		}
	} else if !c.Bool(flagAllowAnonymous) {
		for _, a := range append(append(append([]string(nil), cfg.Listen...), cfg.WSListen...), cfg.TLSListen...) {
			if !loopback(a) {
				return usageError("%s can be reached from other hosts: give --users FILE, or --allow-anonymous", a)
			}
		}
	}
	run, err := openTap(c)
	if err != nil {
		return err
	}
	cfg.Tap = run.tap
	b, err := broker.Start(cfg)
	if err != nil {
		run.close()
		return err
	}
	schemes := map[string]string{"tcp": "mqtt", "tls": "mqtts", "ws": "ws"}
	for _, l := range b.Listeners() {
		announce(c.App.ErrWriter, "broker listening on %s://%s", schemes[l.Kind], l.Addr)
	}
	werr := run.wait(c.Context, nil)
	b.Close()
	if err := run.close(); werr == nil {
		werr = err
	}
	return werr
}

// serverTLS loads --cert and --key when a TLS listener needs them.
func serverTLS(c *cli.Context, listenFlag string, needed bool) (*tls.Config, error) {
	if !needed {
		if c.IsSet(flagCert) || c.IsSet(flagKey) {
			return nil, usageError("--cert and --key are for --%s", listenFlag)
		}
		return nil, nil
	}
	if c.String(flagCert) == "" || c.String(flagKey) == "" {
		return nil, usageError("--%s needs --cert and --key", listenFlag)
	}
	cert, err := tls.LoadX509KeyPair(c.String(flagCert), c.String(flagKey))
	if err != nil {
		return nil, usageError("--cert/--key: %v", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// loopback reports whether addr listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsListener terminates TLS on ln's connections.
func tlsListener(ln net.Listener, cfg *tls.Config) net.Listener { return tls.NewListener(ln, cfg) }
