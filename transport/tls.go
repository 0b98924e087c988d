package transport

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TLSOptions are mosquitto_pub's TLS flags.
type TLSOptions struct {
	CAFile, CAPath string // trust only these CAs; neither: the system roots
	CertFile       string // client certificate, for mutual TLS
	KeyFile        string
	Insecure       bool     // skip verifying the server's certificate and name
	MinVersion     string   // tlsv1.3, tlsv1.2 (the default), tlsv1.1
	ALPN           []string // protocols offered in ALPN
	ServerName     string   // SNI and the name to verify; default: the host
	Ciphers        []uint16 // TLS 1.2 suites allowed (ParseCiphers); nil: Go's defaults
}

var tlsVersions = map[string]uint16{
	"tlsv1.3": tls.VersionTLS13, "1.3": tls.VersionTLS13,
	"tlsv1.2": tls.VersionTLS12, "1.2": tls.VersionTLS12,
	"tlsv1.1": tls.VersionTLS11, "1.1": tls.VersionTLS11,
}

// Config builds the crypto/tls configuration for a connection to host.
func (o TLSOptions) Config(host string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: host, InsecureSkipVerify: o.Insecure, MinVersion: tls.VersionTLS12}
	if o.ServerName != "" {
		cfg.ServerName = o.ServerName
	}
	if o.MinVersion != "" {
		v, ok := tlsVersions[strings.ToLower(o.MinVersion)]
		if !ok {
			return nil, fmt.Errorf("unknown TLS version %q (want tlsv1.3, tlsv1.2 or tlsv1.1)", o.MinVersion)
		}
		// As in mosquitto, the version named is the lowest one accepted.
		cfg.MinVersion = v
	}
	cfg.NextProtos = o.ALPN
	cfg.CipherSuites = o.Ciphers
	if o.CAFile != "" || o.CAPath != "" {
		pool := x509.NewCertPool()
		if o.CAFile != "" {
			if err := addPEM(pool, o.CAFile, true); err != nil {
				return nil, err
			}
		}
		if o.CAPath != "" {
			if err := addDir(pool, o.CAPath); err != nil {
				return nil, err
			}
		}
		cfg.RootCAs = pool
	}
	if o.CertFile != "" || o.KeyFile != "" {
		if o.CertFile == "" || o.KeyFile == "" {
			return nil, fmt.Errorf("--cert and --key must be given together")
		}
		cert, err := tls.LoadX509KeyPair(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

func addPEM(pool *x509.CertPool, file string, required bool) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("CA file: %w", err)
	}
	if !pool.AppendCertsFromPEM(b) && required {
		return fmt.Errorf("CA file %s: no PEM certificates in it", file)
	}
	return nil
}

// addDir adds every certificate file in a directory, as OpenSSL's CApath
// does (whatever the file names; mosquitto needs c_rehash names, we don't).
func addDir(pool *x509.CertPool, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("CA path: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := addPEM(pool, filepath.Join(dir, e.Name()), false); err != nil {
			return err
		}
	}
	return nil
}
