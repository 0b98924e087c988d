package transport

import (
	"crypto/tls"
	"slices"
	"strings"
	"testing"
)

func TestParseCiphers(t *testing.T) {
	cases := []struct {
		in      string
		want    []uint16
		wantErr string
	}{
		{in: "ECDHE-RSA-AES128-GCM-SHA256", want: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}},
		{in: "ecdhe-ecdsa-chacha20-poly1305:AES256-SHA", want: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_RSA_WITH_AES_256_CBC_SHA}},
		{in: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ECDHE-RSA-AES128-SHA", want: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}},
		{in: "HIGH:!aNULL", wantErr: `unknown cipher "HIGH"`},
		{in: "TLS_AES_128_GCM_SHA256", wantErr: "TLS 1.3 suite"},
		{in: "::", wantErr: "no cipher named"},
	}
	for _, c := range cases {
		got, err := ParseCiphers(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// TestOpenSSLCipherNames checks each OpenSSL name against the IANA name of
// the suite it maps to: the key exchange, cipher and MAC words must agree.
func TestOpenSSLCipherNames(t *testing.T) {
	for name, id := range opensslCipherNames {
		iana := tls.CipherSuiteName(id)
		words := strings.Split(name, "-")
		if !strings.HasPrefix(name, "ECDHE-") && !strings.HasPrefix(iana, "TLS_RSA_") {
			t.Errorf("%s → %s: key exchange differs", name, iana)
		}
		for _, w := range words {
			w = strings.NewReplacer("AES128", "AES_128", "AES256", "AES_256", "CHACHA20", "CHACHA20_POLY1305", "DES", "3DES", "RC4", "RC4_128").Replace(w)
			if w == "CBC3" || w == "POLY1305" || w == "SHA" && strings.HasSuffix(iana, "_SHA") {
				continue
			}
			if !strings.Contains(iana, w) {
				t.Errorf("%s → %s: %q not in the IANA name", name, iana, w)
			}
		}
	}
}
