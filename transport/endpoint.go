// Package transport opens the byte stream an MQTT session runs over: TCP,
// TLS, WebSocket or WebSocket over TLS, chosen by URL scheme, as a
// net.Conn. It knows nothing of MQTT itself.
package transport

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Scheme is how bytes reach the broker.
type Scheme string

// The four transports.
const (
	TCP    Scheme = "mqtt"
	TLS    Scheme = "mqtts"
	WS     Scheme = "ws"
	WSS    Scheme = "wss"
	wsPath        = "/mqtt" // the path brokers serve MQTT over WebSocket at by convention
)

// schemeNames maps every scheme spelling users write to a transport.
var schemeNames = map[string]Scheme{
	"mqtt": TCP, "tcp": TCP,
	"mqtts": TLS, "ssl": TLS, "tls": TLS, "mqtt+ssl": TLS,
	"ws": WS, "wss": WSS,
}

// Secure reports whether the transport uses TLS.
func (s Scheme) Secure() bool { return s == TLS || s == WSS }

// DefaultPort is the registered port for the transport (IANA: 1883, 8883;
// WebSocket ports follow HTTP).
func (s Scheme) DefaultPort() int {
	switch s {
	case TLS:
		return 8883
	case WS:
		return 80
	case WSS:
		return 443
	}
	return 1883
}

// Endpoint is where to connect: everything in an mqtt://user:pass@host:port/topic URL.
type Endpoint struct {
	Scheme Scheme
	Host   string
	Port   int    // 0: the scheme's default
	Path   string // WebSocket request path, and for CLI URLs the topic
	User   *url.Userinfo
}

// ParseURL reads mqtt://, mqtts://, tcp://, ssl://, tls://, ws:// and wss:// URLs.
func ParseURL(s string) (Endpoint, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("bad URL %q: %v", s, err)
	}
	sch, ok := schemeNames[strings.ToLower(u.Scheme)]
	if !ok {
		return Endpoint{}, fmt.Errorf("bad URL %q: unknown scheme %q (want mqtt, mqtts, ws or wss)", s, u.Scheme)
	}
	e := Endpoint{Scheme: sch, Host: u.Hostname(), Path: u.Path, User: u.User}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return Endpoint{}, fmt.Errorf("bad URL %q: port %q", s, p)
		}
		e.Port = n
	}
	if e.Host == "" {
		return Endpoint{}, fmt.Errorf("bad URL %q: no host", s)
	}
	return e, nil
}

// Addr is host:port with the scheme's default port filled in.
func (e Endpoint) Addr() string {
	port := e.Port
	if port == 0 {
		port = e.Scheme.DefaultPort()
	}
	return net.JoinHostPort(e.Host, strconv.Itoa(port))
}
