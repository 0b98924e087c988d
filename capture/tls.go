package capture

import (
	"encoding/binary"
	"errors"
	"strings"
)

// MQTT over TLS (port 8883): mqtap does not decrypt, but names the TLS
// records in the packet list as tshark 4.0 does, its Protocol column the
// TLS version ("TLSv1.2") and its Info column the records ("Client Hello",
// "Change Cipher Spec, Encrypted Handshake Message", "Application Data").
// The records are framed like any PDU (deseg, so that a record split over
// segments shows "[TCP segment of a reassembled PDU]" as in tshark); the
// details (-V) still show the payload as Data.

// tlsPort is MQTT over TLS's port.
const tlsPort = 8883

// tlsConv is what a TLS conversation knows: the version the server chose
// (0 until its Server Hello), and per direction whether Change Cipher Spec
// was sent, after which handshake records and alerts are encrypted.
type tlsConv struct {
	version uint16
	ccs     [2]bool
}

// errNotTLS marks bytes that do not start a TLS record: tshark shows the
// rest of the segment as "Continuation Data".
var errNotTLS = errors.New("not a TLS record")

// tlsRecordLen frames TLS records: a 5-byte header (content type, version,
// length) and the fragment. Before the whole header, tshark asks for one
// more segment (a length of 0).
func tlsRecordLen(b []byte) (int, bool, error) {
	if len(b) < 5 {
		if len(b) > 0 && !tlsContentType(b[0]) || len(b) > 1 && b[1] != 3 {
			return 0, false, errNotTLS
		}
		return 0, true, nil
	}
	if !tlsContentType(b[0]) || b[1] != 3 || b[2] > 4 {
		return 0, false, errNotTLS
	}
	return 5 + int(binary.BigEndian.Uint16(b[3:])), true, nil
}

func tlsContentType(t byte) bool { return t >= 20 && t <= 24 }

// tlsVersionName is tshark's ssl_version_short_names.
func tlsVersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSLv3"
	case 0x0301:
		return "TLSv1"
	case 0x0302:
		return "TLSv1.1"
	case 0x0303:
		return "TLSv1.2"
	case 0x0304:
		return "TLSv1.3"
	}
	return "TLS"
}

// tlsHandshakeNames is tshark's ssl_31_handshake_type.
var tlsHandshakeNames = map[byte]string{
	0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 3: "Hello Verify Request",
	4: "New Session Ticket", 5: "End of Early Data", 6: "Hello Retry Request",
	8: "Encrypted Extensions", 11: "Certificate", 12: "Server Key Exchange",
	13: "Certificate Request", 14: "Server Hello Done", 15: "Certificate Verify",
	16: "Client Key Exchange", 20: "Finished", 21: "Certificate URL", 22: "Certificate Status",
	23: "Supplemental Data", 24: "Key Update", 25: "Compressed Certificate", 67: "Next Protocol",
	254: "Message Hash",
}

// tlsAlertDescriptions is tshark's ssl_31_alert_description.
var tlsAlertDescriptions = map[byte]string{
	0: "Close Notify", 10: "Unexpected Message", 20: "Bad Record MAC", 21: "Decryption Failed",
	22: "Record Overflow", 30: "Decompression Failure", 40: "Handshake Failure", 41: "No Certificate",
	42: "Bad Certificate", 43: "Unsupported Certificate", 44: "Certificate Revoked",
	45: "Certificate Expired", 46: "Certificate Unknown", 47: "Illegal Parameter", 48: "Unknown CA",
	49: "Access Denied", 50: "Decode Error", 51: "Decrypt Error", 60: "Export Restriction",
	70: "Protocol Version", 71: "Insufficient Security", 80: "Internal Error",
	86: "Inappropriate Fallback", 90: "User Canceled", 100: "No Renegotiation",
	109: "Missing Extension", 110: "Unsupported Extension", 111: "Certificate Unobtainable",
	112: "Unrecognized Name", 113: "Bad Certificate Status Response",
	114: "Bad Certificate Hash Value", 115: "Unknown PSK Identity", 116: "Certificate Required",
	120: "No application Protocol",
}

// records names the records of one segment (each a PDU from deseg, or
// bytes that are not a record) and returns the Protocol column: the
// version chosen by the server once known, else that of the last record.
func (tc *tlsConv) records(pdus []PDU, side int) (proto string, names []string) {
	var recVersion uint16
	for _, pdu := range pdus {
		b := pdu.Data
		if n, _, err := tlsRecordLen(b); err != nil || n == 0 {
			names = append(names, "Continuation Data")
			continue
		}
		recVersion = binary.BigEndian.Uint16(b[1:])
		body := b[5:]
		switch b[0] {
		case 20:
			names = append(names, "Change Cipher Spec")
			tc.ccs[side] = true
		case 21:
			if tc.ccs[side] || len(body) != 2 {
				names = append(names, "Encrypted Alert")
				break
			}
			level := "Unknown"
			switch body[0] {
			case 1:
				level = "Warning"
			case 2:
				level = "Fatal"
			}
			desc, ok := tlsAlertDescriptions[body[1]]
			if !ok {
				desc = "Unknown"
			}
			names = append(names, "Alert (Level: "+level+", Description: "+desc+")")
		case 22:
			names = tc.handshake(names, body, side)
		case 23:
			names = append(names, "Application Data")
		case 24:
			if tc.ccs[side] {
				names = append(names, "Encrypted Heartbeat")
			} else {
				names = append(names, "Heartbeat Request")
			}
		}
	}
	switch {
	case tc.version != 0:
		return tlsVersionName(tc.version), names
	case recVersion != 0:
		return tlsVersionName(recVersion), names
	}
	return "TLS", names
}

// handshake names the handshake messages of a record, or says it is
// encrypted: after Change Cipher Spec, or when its first message is not
// one (an unknown type, or longer than the record).
func (tc *tlsConv) handshake(names []string, body []byte, side int) []string {
	if tc.ccs[side] || len(body) < 4 {
		return append(names, "Encrypted Handshake Message")
	}
	for first := true; len(body) >= 4; first = false {
		name, known := tlsHandshakeNames[body[0]]
		n := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
		if first && (!known || 4+n > len(body)) {
			return append(names, "Encrypted Handshake Message")
		}
		if !known {
			name = "Unknown Handshake Message"
		}
		names = append(names, name)
		msg := body[4:min(len(body), 4+n)]
		if body[0] == 2 {
			tc.serverHello(msg)
		}
		body = body[min(len(body), 4+n):]
	}
	return names
}

// serverHello takes the version the server chose: its supported_versions
// extension (TLS 1.3), else its version field.
func (tc *tlsConv) serverHello(m []byte) {
	if len(m) < 2 {
		return
	}
	tc.version = binary.BigEndian.Uint16(m)
	p := 2 + 32
	if p >= len(m) {
		return
	}
	p += 1 + int(m[p]) + 2 + 1 // session id, cipher suite, compression
	if p+2 > len(m) {
		return
	}
	ext := m[p+2 : min(len(m), p+2+int(binary.BigEndian.Uint16(m[p:])))]
	for len(ext) >= 4 {
		typ, n := binary.BigEndian.Uint16(ext), int(binary.BigEndian.Uint16(ext[2:]))
		if 4+n > len(ext) {
			return
		}
		if typ == 43 && n == 2 {
			tc.version = binary.BigEndian.Uint16(ext[4:])
		}
		ext = ext[4+n:]
	}
}

// tlsInfo joins the records' names as tshark's Info column does.
func tlsInfo(names []string) string { return strings.Join(names, ", ") }
