package dissect

import "errors"

// errLengthTooLong means a remaining length ran past the eight bytes
// tshark reads before giving up on framing.
var errLengthTooLong = errors.New("remaining length longer than 8 bytes")

// pduLen frames MQTT PDUs in a TCP stream the way Wireshark's
// get_mqtt_pdu_len does, which is more lenient than the protocol: it reads
// the remaining length as an unsigned LEB128 of up to eight bytes, so an
// overlong or non-minimal length still frames a PDU (the decoder then says
// what is wrong with it). Showing the same PDUs as tshark needs the same
// framing.
func pduLen(b []byte) (n int, ok bool, err error) {
	if len(b) < 2 {
		return 0, false, nil
	}
	v, shift := 0, 0
	for i := 1; i <= 8; i++ {
		if i >= len(b) {
			return 0, false, nil
		}
		v |= int(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return 1 + i + v, true, nil
		}
		shift += 7
	}
	return 0, false, errLengthTooLong
}
