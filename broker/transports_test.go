package broker_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/big"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/tap"
	"github.com/mqtap/mqtap/transport"
)

func testCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestTLSAndWebSocketListeners: clients over TLS and over WebSocket are
// tapped after decryption and unwrapping: the tap shows their MQTT.
func TestTLSAndWebSocketListeners(t *testing.T) {
	var out syncBuffer
	tp, err := tap.New(&out, tap.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := broker.Start(broker.Config{
		TLSListen: []string{"127.0.0.1:0"}, WSListen: []string{"127.0.0.1:0"},
		TLS: &tls.Config{Certificates: []tls.Certificate{testCert(t)}}, Tap: tp,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range b.Listeners() {
		scheme := map[string]transport.Scheme{"tls": transport.TLS, "ws": transport.WS}[l.Kind]
		a := l.Addr.(*net.TCPAddr)
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		nc, err := transport.Dial(ctx, transport.Endpoint{Scheme: scheme, Host: "127.0.0.1", Port: a.Port}, transport.Options{TLS: transport.TLSOptions{Insecure: true}})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", l.Kind, err)
		}
		nc.SetDeadline(time.Now().Add(waitFor))
		raw, _ := (&mqttwire.Connect{ClientID: "via-" + l.Kind, CleanSession: true}).Append(nil, mqttwire.V311)
		if _, err := nc.Write(raw); err != nil {
			t.Fatal(err)
		}
		if ack, err := mqttwire.NewReader(nc, 0).ReadPacket(); err != nil || ack[0] != 0x20 {
			t.Fatalf("%s: CONNACK %x %v", l.Kind, ack, err)
		}
		nc.Close()
	}
	b.Close()
	tp.Close()
	for _, want := range []string{"via-tls 21 Connect Command", "via-tls 4 Connect Ack", "via-ws 20 Connect Command", "via-ws 4 Connect Ack"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestListenErrors: a listener that cannot open names its kind and the
// address as given, once; Listeners keeps the address as given next to
// the one resolved.
func TestListenErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().String()
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{testCert(t)}}
	for _, kind := range []string{"tcp", "tls", "ws"} {
		cfg := broker.Config{Listen: []string{"127.0.0.1:0"}, TLS: tlsCfg}
		switch kind {
		case "tcp":
			cfg.Listen = append(cfg.Listen, taken)
		case "tls":
			cfg.TLSListen = []string{taken}
		case "ws":
			cfg.WSListen = []string{taken}
		}
		b, err := broker.Start(cfg)
		if err == nil {
			b.Close()
			t.Fatalf("%s on a busy port: started", kind)
		}
		var le *broker.ListenError
		if !errors.As(err, &le) || le.Kind != kind || le.Addr != taken || !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("%s: error %#v", kind, err)
		}
		if want := "listen " + taken + ": address already in use"; err.Error() != want {
			t.Errorf("%s: %q, want %q", kind, err, want)
		}
	}
	b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if l := b.Listeners()[0]; l.Config != "127.0.0.1:0" || l.Addr.(*net.TCPAddr).Port == 0 {
		t.Errorf("listener %+v", l)
	}
}
