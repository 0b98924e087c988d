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

	"github.com/mqtap/mqtap/commands"
)

// testPKI is a CA made for one test, with a server certificate for
// 127.0.0.1 and localhost and a client certificate, written as PEM files.
type testPKI struct {
	dir                   string
	caFile                string
	serverCert            tls.Certificate
	clientCert, clientKey string
	// The server certificate and key as PEM files, for mosquitto.
	serverCertFile, serverKeyFile string
	pool                          *x509.CertPool
}

func newPKI(t *testing.T, name string) *testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	p := &testPKI{dir: dir, caFile: filepath.Join(dir, "ca.pem"), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	writePEM(t, p.caFile, "CERTIFICATE", caDER)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, server bool) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		if server {
			tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
			tmpl.DNSNames = []string{"localhost"}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	der, key := issue(2, "server", x509.ExtKeyUsageServerAuth, true)
	p.serverCert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	p.serverCertFile, p.serverKeyFile = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key")
	writePEM(t, p.serverCertFile, "CERTIFICATE", der)
	serverKeyDER, _ := x509.MarshalECPrivateKey(key)
	writePEM(t, p.serverKeyFile, "EC PRIVATE KEY", serverKeyDER)
	der, key = issue(3, "client", x509.ExtKeyUsageClientAuth, false)
	p.clientCert, p.clientKey = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	writePEM(t, p.clientCert, "CERTIFICATE", der)
	keyDER, _ := x509.MarshalECPrivateKey(key)
	writePEM(t, p.clientKey, "EC PRIVATE KEY", keyDER)
	return p
}

func writePEM(t *testing.T, file, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (p *testPKI) serverConfig(mutual bool) *tls.Config {
	c := &tls.Config{Certificates: []tls.Certificate{p.serverCert}, MinVersion: tls.VersionTLS12}
	if mutual {
		c.ClientAuth, c.ClientCAs = tls.RequireAndVerifyClientCert, p.pool
	}
	return c
}

func TestTLS(t *testing.T) {
	pki := newPKI(t, "mqtap test")
	other := newPKI(t, "someone else")
	b := startBroker(t, brokerOptions{tls: pki.serverConfig(false), websocket: true})

	sub := background(nil, "sub", "-h", "127.0.0.1", "-p", b.port, "--cafile", pki.caFile, "-t", "tls", "-C", "1")
	b.waitSubscribed(t, "tls", 1)
	expectCode(t, mqtap(nil, "pub", "-h", "localhost", "-p", b.port, "--cafile", pki.caFile, "-t", "tls", "-m", "secure", "-q", "1"), 0)
	res := sub.wait(t)
	expectCode(t, res, 0)
	if res.out != "secure\n" {
		t.Errorf("got %q", res.out)
	}
	// --capath, mqtts:// and wss:// URLs.
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--capath", pki.dir), 0)
	expectCode(t, mqtap(nil, "connect", "-q", "-L", "mqtts://127.0.0.1:"+b.port, "--cafile", pki.caFile, "--tls-version", "tlsv1.3"), 0)
	expectCode(t, mqtap(nil, "connect", "-q", "-L", "wss://127.0.0.1:"+b.wsPort+"/mqtt", "--cafile", pki.caFile), 0)

	// An unknown CA and a wrong name are refused unless --insecure.
	res = mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--cafile", other.caFile)
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "TLS handshake with 127.0.0.1:"+b.port) {
		t.Errorf("stderr %q", res.errOut)
	}
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--cafile", pki.caFile, "--sni", "wrong.example"), commands.ExitConnect)
	expectCode(t, mqtap(nil, "connect", "-q", "-L", "wss://127.0.0.1:"+b.wsPort+"/mqtt", "--cafile", other.caFile), commands.ExitConnect)
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--insecure"), 0)
	// Plain MQTT against the TLS port fails to get a CONNACK.
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--connect-timeout", "500ms"), commands.ExitProtocol)
}

func TestMutualTLS(t *testing.T) {
	pki := newPKI(t, "mqtap mutual")
	b := startBroker(t, brokerOptions{tls: pki.serverConfig(true)})
	expectCode(t, mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--cafile", pki.caFile,
		"--cert", pki.clientCert, "--key", pki.clientKey), 0)
	// Without a client certificate the server refuses the handshake.
	res := mqtap(nil, "connect", "-q", "-h", "127.0.0.1", "-p", b.port, "--cafile", pki.caFile)
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "TLS handshake with 127.0.0.1:"+b.port+": tls: certificate required") {
		t.Errorf("stderr %q", res.errOut)
	}
	expectCode(t, mqtap(nil, "connect", "-q", "-p", b.port, "--cafile", pki.caFile, "--cert", pki.clientCert), commands.ExitConnect)
}

func TestWebSocket(t *testing.T) {
	b := startBroker(t, brokerOptions{websocket: true})
	for _, v := range []string{"311", "5"} {
		sub := background(nil, "sub", "-L", "ws://127.0.0.1:"+b.wsPort+"/mqtt", "-V", v, "-t", "ws/"+v, "-q", "2", "-C", "2")
		b.waitSubscribed(t, "ws/"+v, 1)
		expectCode(t, mqtap(nil, "pub", "-L", "ws://127.0.0.1:"+b.wsPort, "-V", v, "-t", "ws/"+v, "-q", "1", "-m", "w{{seq}}", "--count", "2"), 0)
		res := sub.wait(t)
		expectCode(t, res, 0)
		if res.out != "w1\nw2\n" {
			t.Errorf("V%s over WebSocket: got %q", v, res.out)
		}
	}
	// An HTTP server that does not upgrade: exit 3.
	res := mqtap(nil, "connect", "-L", "ws://127.0.0.1:"+b.port+"/mqtt", "--connect-timeout", "2s")
	expectCode(t, res, commands.ExitConnect)
}
