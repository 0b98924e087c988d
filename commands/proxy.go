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
		&cli.StringFlag{Name: flagUpstream, Aliases: []string{"u"}, Required: true, Category: up, Usage: "the broker: `HOST:PORT`, or mqtt://, mqtts://, ws://, wss:// URL"},
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

examples:
  mqtap proxy --listen 127.0.0.1:1884 --upstream broker.example:1883
  mqtap proxy -v --type publish,subscribe --topic 'sensors/#' -u localhost:1883
  mqtap proxy --listen-tls 0.0.0.0:8883 --cert dev.pem --key dev.key -u mqtts://broker.example:8883
  mqtap proxy -u wss://broker.example/mqtt --client 'sensor-*' --write devices.pcap`,
		Flags:  append(flags, tapFlags()...),
		Action: runProxy,
	}
}

func runProxy(c *cli.Context) error {
	up, err := parseUpstream(c.String(flagUpstream))
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
	tcfg, err := serverTLS(c, flagListenTLS, len(tlsAddrs) > 0)
	if err != nil {
		return err
	}
	var lns []net.Listener
	closeAll := func() {
		for _, ln := range lns {
			ln.Close()
		}
	}
	for i, a := range append(plain, tlsAddrs...) {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			closeAll()
			return err
		}
		scheme := "mqtt"
		if i >= len(plain) {
			ln, scheme = tlsListener(ln, tcfg), "mqtts"
		}
		lns = append(lns, ln)
		announce(c.App.ErrWriter, "proxy listening on %s://%s, forwarding to %s", scheme, ln.Addr(), c.String(flagUpstream))
	}
	run, err := openTap(c)
	if err != nil {
		closeAll()
		return err
	}
	errw := &lockedWriter{w: c.App.ErrWriter}
	p := proxy.New(proxy.Config{
		Dial: func(ctx context.Context) (net.Conn, error) { return transport.Dial(ctx, up, topts) },
		Tap:  run.tap,
		OnError: func(client net.Addr, err error) {
			announce(errw, "proxy: client %v: %v", client, err)
		},
	})
	failed := make(chan error, len(lns))
	for _, ln := range lns {
		go func() {
			if err := p.Serve(ln); !errors.Is(err, proxy.ErrClosed) {
				failed <- err
			}
		}()
	}
	werr := run.wait(c.Context, failed)
	p.Close()
	if err := run.close(); werr == nil {
		werr = err
	}
	return werr
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
