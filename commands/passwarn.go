package commands

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/mqtap/mqtap/transport"
)

// warnPassword gives the warning of warnPlainPassword before connecting,
// once per run however often the session is opened again.
func (s *connSettings) warnPassword() {
	if !s.passWarned {
		s.passWarned = warnPlainPassword(s.warn, s.endpoint, s.connect.PasswordFlag)
	}
}

// warnPlainPassword writes one line to w when the CONNECT carries a
// password that would cross the network in clear: over plain TCP or
// WebSocket to a host that is not this machine. It does no DNS lookup: a
// name other than localhost counts as remote. It reports whether it
// warned.
func warnPlainPassword(w io.Writer, e transport.Endpoint, password bool) bool {
	if w == nil || !password || e.Scheme.Secure() || isLocalHost(e.Host) {
		return false
	}
	how, fix := "plain TCP", "--cafile or mqtts://"
	if e.Scheme == transport.WS {
		how, fix = "plain WebSocket", "wss://"
	}
	fmt.Fprintf(w, "mqtap: warning: sending the password unencrypted to %s (%s); use TLS: %s\n", e.Host, how, fix)
	return true
}

// isLocalHost reports whether host names this machine without a lookup:
// localhost, an address in 127.0.0.0/8 or ::1 (IPv4-mapped too), or the
// unspecified address (which connects to this machine), or no host at all
// (the dialer's localhost).
func isLocalHost(host string) bool {
	h := strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if h == "" || strings.EqualFold(h, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	a = a.Unmap()
	return a.IsLoopback() || a.IsUnspecified()
}
