package transport

// A SOCKS5 client (RFC 1928) with username/password authentication
// (RFC 1929), for --proxy socks5h://[user[:password]@]host[:port].

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"time"
)

const (
	socksDefaultPort = "1080" // RFC 1928 §3

	socksVersion      = 0x05
	socksAuthNone     = 0x00
	socksAuthPasswd   = 0x02
	socksNoAcceptable = 0xFF
	socksConnect      = 0x01
	socksATYPIPv4     = 0x01
	socksATYPDomain   = 0x03
	socksATYPIPv6     = 0x04
	socksPasswdOK     = 0x00 // RFC 1929 §2: any other STATUS is a failure
)

// socksReplies are the RFC 1928 §6 meanings of the REP field.
var socksReplies = [...]string{
	1: "general SOCKS server failure",
	2: "connection not allowed by ruleset",
	3: "network unreachable",
	4: "host unreachable",
	5: "connection refused",
	6: "TTL expired",
	7: "command not supported",
	8: "address type not supported",
}

// ParseProxyURL checks a --proxy value: scheme socks5h (as mosquitto; also
// accept socks5, treated the same: the proxy resolves names), a host,
// optional port (default 1080), optional user and password (each at most
// 255 bytes). Returns a one-line error naming what is wrong.
//
// The returned URL always has a port. Errors never repeat the password.
func ParseProxyURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		// url.Error would quote s, password and all; its inner error
		// alone names the faulty part.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("bad proxy URL: %v", err)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("bad proxy URL %q: %s", u.Redacted(), fmt.Sprintf(format, a...))
	}
	// url.Parse has already lower-cased the scheme.
	if u.Scheme != "socks5h" && u.Scheme != "socks5" {
		return nil, bad("scheme %q (want socks5h)", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return nil, bad("no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("a proxy URL has no path, query or fragment")
	}
	if p := u.Port(); p == "" {
		u.Host = net.JoinHostPort(u.Hostname(), socksDefaultPort)
	} else if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		return nil, bad("port %q (want 1 to 65535)", p)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		switch {
		case u.User.Username() == "":
			return nil, bad("empty user name")
		case len(u.User.Username()) > 255:
			return nil, bad("user name longer than 255 bytes")
		case len(pass) > 255:
			return nil, bad("password longer than 255 bytes")
		}
	}
	return u, nil
}

// dialSOCKS5 connects to addr ("host:port") through the SOCKS5 proxy
// named by proxy, using forward to reach the proxy itself. Host names in
// addr are sent unresolved, for the proxy to resolve (socks5h), since the
// proxy is often the only one that can.
//
// ctx bounds the whole handshake. Every error is a *proxyError, which
// says "SOCKS5 proxy host:port:" and wraps the cause, so errors.As still
// finds a *net.DNSError from forward; on any error the connection to the
// proxy is closed.
func dialSOCKS5(ctx context.Context, forward func(ctx context.Context, network, addr string) (net.Conn, error), proxy *url.URL, addr string) (_ net.Conn, err error) {
	paddr := proxy.Host
	if proxy.Port() == "" {
		paddr = net.JoinHostPort(proxy.Hostname(), socksDefaultPort)
	}
	fail := func(err error) error { return &proxyError{proxy: paddr, err: err} }

	// Check everything we will send before dialing, so a bad target or
	// credential costs no connection.
	req, err := socksConnectRequest(addr)
	if err != nil {
		return nil, fail(err)
	}
	var user, pass string
	if proxy.User != nil {
		user = proxy.User.Username()
		pass, _ = proxy.User.Password()
	}
	if len(user) > 255 || len(pass) > 255 {
		return nil, fail(errors.New("user name and password must each be at most 255 bytes (RFC 1929)"))
	}

	conn, err := forward(ctx, "tcp", paddr)
	if err != nil {
		return nil, fail(err)
	}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	// The deadline bounds each read and write; closing on cancel covers a
	// ctx without a deadline, since a blocked Read only wakes on close.
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	err = socks5Handshake(conn, user, pass, req)
	if !stop() {
		// ctx ended first and has closed conn, whatever err says.
		return nil, fail(fmt.Errorf("handshake: %w", ctx.Err()))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The only deadline on conn is ctx's.
		err = fmt.Errorf("handshake: %w", context.DeadlineExceeded)
	}
	if err != nil {
		return nil, fail(err)
	}
	// From here on the MQTT session owns conn and its deadlines.
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, fail(err)
	}
	return conn, nil
}

// socksConnectRequest is the RFC 1928 §4 CONNECT request for addr.
func socksConnectRequest(addr string) ([]byte, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return nil, fmt.Errorf("bad port in target %q", addr)
	}
	req := []byte{socksVersion, socksConnect, 0x00}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return nil, fmt.Errorf("target %q: an IPv6 zone cannot be sent to a proxy", addr)
		}
		// Unmap so ::ffff:a.b.c.d goes as the IPv4 address it is.
		if ip = ip.Unmap(); ip.Is4() {
			req = append(req, socksATYPIPv4)
		} else {
			req = append(req, socksATYPIPv6)
		}
		req = append(req, ip.AsSlice()...)
	} else {
		if host == "" || len(host) > 255 {
			return nil, fmt.Errorf("target host name %q must be 1 to 255 bytes", host)
		}
		req = append(req, socksATYPDomain, byte(len(host)))
		req = append(req, host...)
	}
	return binary.BigEndian.AppendUint16(req, uint16(p)), nil
}

// socks5Handshake runs method negotiation, authentication and CONNECT on
// rw. It reads exactly the bytes of the proxy's replies, never more, so
// the next byte in rw is the target's.
func socks5Handshake(rw io.ReadWriter, user, pass string, req []byte) error {
	greeting := []byte{socksVersion, 1, socksAuthNone}
	if user != "" {
		greeting = []byte{socksVersion, 2, socksAuthNone, socksAuthPasswd}
	}
	if _, err := rw.Write(greeting); err != nil {
		return err
	}
	var b [4]byte
	if err := socksRead(rw, b[:2], "method selection reply"); err != nil {
		return err
	}
	if b[0] != socksVersion {
		return fmt.Errorf("not a SOCKS5 server (version %d in reply)", b[0])
	}
	switch {
	case b[1] == socksAuthNone:
	case b[1] == socksAuthPasswd && user != "":
		if err := socksAuth(rw, user, pass); err != nil {
			return err
		}
	case b[1] == socksNoAcceptable && user == "":
		return errors.New("proxy requires authentication (no acceptable methods); put user:password@ in the proxy URL")
	case b[1] == socksNoAcceptable:
		return errors.New("proxy accepts neither no authentication nor username/password (no acceptable methods)")
	default:
		return fmt.Errorf("proxy chose authentication method %d, which was not offered", b[1])
	}

	if _, err := rw.Write(req); err != nil {
		return err
	}
	// VER REP RSV ATYP BND.ADDR BND.PORT
	if err := socksRead(rw, b[:4], "CONNECT reply"); err != nil {
		return err
	}
	if b[0] != socksVersion {
		return fmt.Errorf("not a SOCKS5 server (version %d in reply)", b[0])
	}
	if rep := b[1]; rep != 0 {
		if int(rep) < len(socksReplies) {
			return fmt.Errorf("%s (reply %d)", socksReplies[rep], rep)
		}
		return fmt.Errorf("unassigned failure code (reply %d)", rep)
	}
	var n int
	switch b[3] {
	case socksATYPIPv4:
		n = 4
	case socksATYPIPv6:
		n = 16
	case socksATYPDomain:
		if err := socksRead(rw, b[:1], "CONNECT reply"); err != nil {
			return err
		}
		n = int(b[0])
	default:
		return fmt.Errorf("CONNECT reply has unknown address type %d", b[3])
	}
	// BND.ADDR and BND.PORT (where the proxy connected from) mean nothing
	// to MQTT, but must not be left for the session to read.
	return socksRead(rw, make([]byte, n+2), "CONNECT reply")
}

// socksAuth is the RFC 1929 username/password sub-negotiation.
func socksAuth(rw io.ReadWriter, user, pass string) error {
	msg := make([]byte, 0, 3+len(user)+len(pass))
	msg = append(msg, 0x01, byte(len(user)))
	msg = append(msg, user...)
	msg = append(msg, byte(len(pass)))
	msg = append(msg, pass...)
	if _, err := rw.Write(msg); err != nil {
		return err
	}
	var b [2]byte
	if err := socksRead(rw, b[:], "authentication reply"); err != nil {
		return err
	}
	// b[0] should be 1, but some servers send 5; STATUS alone decides.
	if b[1] != socksPasswdOK {
		return fmt.Errorf("username/password rejected (status %d)", b[1])
	}
	return nil
}

// socksRead fills b, calling a short read a truncated what.
func socksRead(r io.Reader, b []byte, what string) error {
	_, err := io.ReadFull(r, b)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s truncated: proxy closed the connection", what)
	}
	return err
}
