package commands

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/mqtap/mqtap/proxy"
	"github.com/mqtap/mqtap/transport"
	"github.com/urfave/cli/v2"
)

// proxy flag names.
const (
	flagListenTLS    = "listen-tls"
	flagUpstream     = "upstream"
	flagUpstreamCert = "upstream-cert"
	flagUpstreamKey  = "upstream-key"
	defaultProxyAddr = "127.0.0.1:1884"
)

// Proxy is `mqtap proxy`: forward to a broker and show the traffic.
func Proxy() *cli.Command {
	const lis, up = "Listeners", "Upstream"
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: flagListen, Category: lis, Usage: "accept clients over TCP on `ADDRESS` (repeatable; default " + defaultProxyAddr + ")"},
		&cli.StringSliceFlag{Name: flagListenTLS, Category: lis, Usage: "accept clients over TLS on `ADDRESS`, terminating it (with --cert and --key)"},
		&cli.StringFlag{Name: flagCert, Category: lis, Usage: "certificate `FILE` (PEM) the clients see on --listen-tls"},
		&cli.StringFlag{Name: flagKey, Category: lis, Usage: "private key `FILE` (PEM) for --listen-tls"},
		&cli.StringFlag{Name: flagUpstream, Aliases: []string{"u"}, Category: up, Usage: "the broker: `HOST:PORT`, or mqtt://, mqtts://, ws://, wss:// URL"},
		&cli.StringFlag{Name: flagCAFile, Category: up, Usage: "trust the upstream's certificate from this CA `FILE`"},
		&cli.BoolFlag{Name: flagInsecure, Category: up, Usage: "do not verify the upstream's certificate"},
		&cli.StringFlag{Name: flagUpstreamCert, Category: up, Usage: "client certificate `FILE` for the upstream (mutual TLS)"},
		&cli.StringFlag{Name: flagUpstreamKey, Category: up, Usage: "client key `FILE` for the upstream"},
	}
	return &cli.Command{
		Name:  "proxy",
		Usage: "forward MQTT to a broker unchanged and show every packet",
		UsageText: `mqtap proxy --upstream HOST:PORT [flags]

Accepts clients and forwards each connection's bytes to the upstream broker
unchanged, both ways, while showing its packets labelled with the client's
address and id: one line per packet, the Wireshark tree with -v, JSON lines
with --output jsonl; --write records everything as pcap. --listen-tls
terminates a device's TLS so its traffic can be read; the upstream may be
TCP, TLS or WebSocket. Stops on Ctrl-C, after -c packets or after --duration.

Examples:
  mqtap proxy --listen 127.0.0.1:1884 --upstream broker.example:1883
  mqtap proxy -v --type publish,subscribe --topic 'sensors/#' -u localhost:1883
  mqtap proxy --listen-tls 0.0.0.0:8883 --cert dev.pem --key dev.key -u mqtts://broker.example:8883
  mqtap proxy -u wss://broker.example/mqtt --client 'sensor-*' --write devices.pcap`,
		Flags:  append(flags, tapFlags()...),
		Action: runProxy,
	}
}

func runProxy(c *cli.Context) error {
	upArg := c.String(flagUpstream)
	if upArg == "" {
		return usageError("no upstream: give --upstream HOST:PORT")
	}
	up, err := parseUpstream(upArg)
	if err != nil {
		return usageError("--upstream: %v", err)
	}
	topts := transport.Options{TLS: transport.TLSOptions{
		CAFile: c.String(flagCAFile), Insecure: c.Bool(flagInsecure),
		CertFile: c.String(flagUpstreamCert), KeyFile: c.String(flagUpstreamKey),
	}}
	if up.Scheme.Secure() {
		if _, err := topts.TLS.Config(up.Host); err != nil {
			return usageError("upstream TLS: %v", err)
		}
	}
	plain, tlsAddrs := c.StringSlice(flagListen), c.StringSlice(flagListenTLS)
	if len(plain)+len(tlsAddrs) == 0 {
		plain = []string{defaultProxyAddr}
	}
	if err := checkListenAddrs(flagListen, plain); err != nil {
		return err
	}
	if err := checkListenAddrs(flagListenTLS, tlsAddrs); err != nil {
		return err
	}
	tcfg, err := serverTLS(c, flagListenTLS, len(tlsAddrs) > 0)
	if err != nil {
		return err
	}
	// The tap (and the --write file) first, so that a bad --write fails
	// before anything listens.
	run, err := openTap(c)
	if err != nil {
		return err
	}
	var lns []net.Listener
	var shown []string
	for i, a := range append(plain, tlsAddrs...) {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, ln := range lns {
				ln.Close()
			}
			run.close()
			flag := flagListen
			if i >= len(plain) {
				flag = flagListenTLS
			}
			return listenError(flag, a, err)
		}
		scheme := "mqtt"
		if i >= len(plain) {
			ln, scheme = tlsListener(ln, tcfg), "mqtts"
		}
		lns = append(lns, ln)
		shown = append(shown, scheme+"://"+shownAddr(a, ln.Addr()))
	}
	for _, s := range shown {
		announce(c.App.ErrWriter, "proxy listening on %s, forwarding to %s", s, upArg)
	}
	errw := &lockedWriter{w: c.App.ErrWriter}
	p := proxy.New(proxy.Config{
		Dial: func(ctx context.Context) (net.Conn, error) { return transport.Dial(ctx, up, topts) },
		Tap:  run.tap,
		OnError: func(client net.Addr, err error) {
			announce(errw, "proxy: client %v: %v", client, err)
		},
	})
	// One dial to the upstream now, so that a wrong address or a broker
	// that is down shows at once rather than as each client is dropped;
	// it only warns, since the broker may come up later.
	probeCtx, stopProbe := context.WithCancel(c.Context)
	probed := make(chan struct{})
	go func() {
		defer close(probed)
		if err := p.Probe(probeCtx); err != nil && probeCtx.Err() == nil {
			announce(errw, "warning: upstream %s not reachable now (%s); clients will be dropped until it is", upArg, dialReason(err))
		}
	}()
	failed := make(chan error, len(lns))
	for _, ln := range lns {
		go func() {
			if err := p.Serve(ln); !errors.Is(err, proxy.ErrClosed) {
				failed <- err
			}
		}()
	}
	werr := run.wait(c.Context, failed)
	stopProbe()
	<-probed
	p.Close()
	if err := run.close(); werr == nil {
		werr = err
	}
	return werr
}

// dialReason is why the upstream could not be reached, without the
// address the warning already names: "connection refused", or the step
// that failed and why ("TLS handshake: x509: ...").
func dialReason(err error) string {
	var de *transport.DialError
	if !errors.As(err, &de) {
		return err.Error()
	}
	why := strings.TrimPrefix(de.Error(), string(de.Stage)+" "+de.Addr+": ")
	if de.Stage == transport.StageConnect {
		return why
	}
	stage := string(de.Stage) // "TLS handshake with" → "TLS handshake"
	for _, w := range []string{" with", " at", " for", " to"} {
		stage = strings.TrimSuffix(stage, w)
	}
	return stage + ": " + why
}

// parseUpstream reads HOST:PORT (plain TCP) or a transport URL.
func parseUpstream(s string) (transport.Endpoint, error) {
	if strings.Contains(s, "://") {
		return transport.ParseURL(s)
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return transport.Endpoint{}, err
	}
	n, err := strconv.Atoi(port)
	if err != nil || n <= 0 || n > 65535 {
		return transport.Endpoint{}, errors.New("bad port " + strconv.Quote(port))
	}
	return transport.Endpoint{Scheme: transport.TCP, Host: host, Port: n}, nil
}

// lockedWriter serialises lines from concurrent connections.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
