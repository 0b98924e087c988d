package commands_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/broker"
	"github.com/mqtap/mqtap/mqttwire"
)

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mqtap test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestProxyTLSToWebSocket: a device speaks TLS to the proxy, which
// terminates it and forwards over WebSocket to the broker; the packets are
// shown decrypted, and the message reaches the broker.
func TestProxyTLSToWebSocket(t *testing.T) {
	b, err := broker.Start(broker.Config{WSListen: []string{"127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cert, key := selfSigned(t, t.TempDir())
	run := startTapCLI("proxy", "--listen-tls", "127.0.0.1:0", "--cert", cert, "--key", key,
		"--upstream", "ws://"+b.Listeners()[0].Addr.String()+"/mqtt", "-c", "4", "--duration", "30s")
	addr := run.addr(t)

	nc, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(tapWait))
	send := func(p mqttwire.Packet) {
		raw, err := p.Append(nil, mqttwire.V5)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := nc.Write(raw); err != nil {
			t.Fatal(err)
		}
	}
	r := mqttwire.NewReader(nc, 0)
	send(&mqttwire.Connect{ProtocolLevel: 5, ClientID: "tls-dev", CleanSession: true, KeepAlive: 30})
	if raw, err := r.ReadPacket(); err != nil || raw[0] != 0x20 {
		t.Fatalf("CONNACK: %x %v", raw, err)
	}
	send(&mqttwire.Publish{Topic: "dev/status", Payload: []byte("up")})
	send(&mqttwire.Disconnect{})
	out := run.wait(t)
	for _, want := range []string{"tls-dev 22 Connect Command", "Connect Ack", "Publish Message [dev/status]", "Disconnect Req"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
