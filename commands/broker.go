package commands

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strconv"

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
		&cli.StringFlag{Name: flagUsers, Category: lis, Usage: "admit only the users in `FILE` (user:password lines; the password is the rest of the line, spaces included)"},
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

Examples:
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
	flagOf := map[string]string{"tcp": flagListen, "tls": flagTLSListen, "ws": flagWSListen}
	for _, l := range []struct {
		kind  string
		addrs []string
	}{{"tcp", cfg.Listen}, {"tls", cfg.TLSListen}, {"ws", cfg.WSListen}} {
		if err := checkListenAddrs(flagOf[l.kind], l.addrs); err != nil {
			return err
		}
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
		var le *broker.ListenError
		if errors.As(err, &le) {
			return listenError(flagOf[le.Kind], le.Addr, le.Err)
		}
		return err
	}
	schemes := map[string]string{"tcp": "mqtt", "tls": "mqtts", "ws": "ws"}
	for _, l := range b.Listeners() {
		announce(c.App.ErrWriter, "broker listening on %s://%s", schemes[l.Kind], shownAddr(l.Config, l.Addr))
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

// checkListenAddrs rejects listen addresses that are not HOST:PORT (the
// host may be empty, for every interface) before anything is opened.
func checkListenAddrs(flag string, addrs []string) error {
	for _, a := range addrs {
		_, port, err := net.SplitHostPort(a)
		if err != nil {
			var ae *net.AddrError
			if errors.As(err, &ae) {
				err = errors.New(ae.Err)
			}
			return usageError("--%s %s: %v (want HOST:PORT)", flag, a, err)
		}
		if port == "" {
			return usageError("--%s %s: missing port (want HOST:PORT)", flag, a)
		}
		if n, err := strconv.Atoi(port); err == nil {
			if n < 0 || n > 65535 {
				return usageError("--%s %s: port %s out of range (0-65535)", flag, a, port)
			}
		} else if _, err := net.LookupPort("tcp", port); err != nil {
			return usageError("--%s %s: unknown port %q", flag, a, port)
		}
	}
	return nil
}

// listenError reports an address a listener could not open on (taken,
// not an address of this host, a privileged port, a host that does not
// resolve) as the flag's value that cannot be used: one line, exit 2.
func listenError(flag, addr string, err error) error {
	var de *net.DNSError
	var se *os.SyscallError
	var oe *net.OpError
	switch {
	case errors.As(err, &de):
		err = errors.New(de.Err)
	case errors.As(err, &se):
		err = se.Err
	case errors.As(err, &oe) && oe.Err != nil:
		err = oe.Err
	}
	return usageError("--%s %s: %v", flag, addr, err)
}

// shownAddr is where a listener is announced: the host as the user wrote
// it (0.0.0.0 stays 0.0.0.0, not the [::] Go reports for it) with the
// port it got (the real one when 0 was asked for).
func shownAddr(asked string, got net.Addr) string {
	host, _, err := net.SplitHostPort(asked)
	ta, ok := got.(*net.TCPAddr)
	if err != nil || !ok {
		return got.String()
	}
	return net.JoinHostPort(host, strconv.Itoa(ta.Port))
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
