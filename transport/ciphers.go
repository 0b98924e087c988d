package transport

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// opensslCipherNames are OpenSSL's names, which mosquitto's --ciphers
// takes, for the TLS 1.2 and older suites Go implements.
var opensslCipherNames = map[string]uint16{
	"AES128-SHA":                    tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	"AES256-SHA":                    tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	"AES128-SHA256":                 tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
	"AES128-GCM-SHA256":             tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"AES256-GCM-SHA384":             tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"DES-CBC3-SHA":                  tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
	"RC4-SHA":                       tls.TLS_RSA_WITH_RC4_128_SHA,
	"ECDHE-ECDSA-AES128-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"ECDHE-ECDSA-AES128-SHA256":     tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-ECDSA-RC4-SHA":           tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-RSA-AES256-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-AES128-SHA256":       tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-CHACHA20-POLY1305":   tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-DES-CBC3-SHA":        tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
	"ECDHE-RSA-RC4-SHA":             tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA,
}

// ParseCiphers reads a --ciphers list: suite names separated by colons
// (OpenSSL's way), commas or spaces, each in OpenSSL's spelling
// (ECDHE-RSA-AES128-GCM-SHA256) or the IANA one Go uses
// (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). OpenSSL's keywords and
// operators (HIGH, !aNULL, @STRENGTH) have no equivalent here and are
// refused by name rather than guessed at. The list applies to TLS 1.2 and
// older: Go always offers its TLS 1.3 suites.
func ParseCiphers(s string) ([]uint16, error) {
	iana := map[string]uint16{}
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		iana[cs.Name] = cs.ID
	}
	var ids []uint16
	for _, name := range strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		id, ok := opensslCipherNames[strings.ToUpper(name)]
		if !ok {
			id, ok = iana[strings.ToUpper(name)]
		}
		switch {
		case ok && isTLS13Suite(id):
			return nil, fmt.Errorf("cipher %s is a TLS 1.3 suite, which Go always offers and cannot be chosen", name)
		case ok:
			ids = append(ids, id)
		default:
			return nil, fmt.Errorf("unknown cipher %q (want suite names such as ECDHE-RSA-AES128-GCM-SHA256; OpenSSL keywords are not supported)", name)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no cipher named in %q", s)
	}
	return ids, nil
}

func isTLS13Suite(id uint16) bool {
	for _, cs := range tls.CipherSuites() {
		if cs.ID == id {
			for _, v := range cs.SupportedVersions {
				if v != tls.VersionTLS13 {
					return false
				}
			}
			return true
		}
	}
	return false
}
