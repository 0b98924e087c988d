package output

import "strconv"

// ValueStrings maps the 256 values of a one-byte field to names (Wireshark's
// value_string). An empty name means the value is not in the table, which
// tshark shows as "Unknown (N)".
type ValueStrings [256]string

// Name returns the name of v and whether the table has one.
func (vs *ValueStrings) Name(v uint64) (string, bool) {
	if v < 256 && vs[v] != "" {
		return vs[v], true
	}
	return "", false
}

// The value-string tables of tshark 4.0.17 (wireshark-mqtt.md, "Value strings").
// Indexed composite literals, so the compiler lays them out as data: built
// by code, the fifteen 4 KiB tables cost some 0.5 ms of every start.
var (
	msgTypeVals = ValueStrings{
		0: "Reserved", 1: "Connect Command", 2: "Connect Ack", 3: "Publish Message", 4: "Publish Ack",
		5: "Publish Received", 6: "Publish Release", 7: "Publish Complete", 8: "Subscribe Request",
		9: "Subscribe Ack", 10: "Unsubscribe Request", 11: "Unsubscribe Ack", 12: "Ping Request",
		13: "Ping Response", 14: "Disconnect Req", 15: "Authentication Exchange",
	}
	qosVals = ValueStrings{
		0: "At most once delivery (Fire and Forget)", 1: "At least once delivery (Acknowledged deliver)",
		2: "Exactly once delivery (Assured Delivery)", 3: "Reserved",
	}
	subackQoSVals = ValueStrings{
		0: "At most once delivery (Fire and Forget)", 1: "At least once delivery (Acknowledged deliver)",
		2: "Exactly once delivery (Assured Delivery)", 3: "Reserved", 128: "Failure",
	}
	connackVals = ValueStrings{
		0: "Connection Accepted", 1: "Connection Refused: unacceptable protocol version",
		2: "Connection Refused: identifier rejected", 3: "Connection Refused: server unavailable",
		4: "Connection Refused: bad user name or password", 5: "Connection Refused: not authorized",
	}
	versionVals        = ValueStrings{3: "MQTT v3.1", 4: "MQTT v3.1.1", 5: "MQTT v5.0"}
	retainHandlingVals = ValueStrings{
		0: "Send msgs at subscription time", 1: "Send msgs if subscription does not exist",
		2: "Do not send msgs at subscription time", 3: "Reserved",
	}
	rcConnackVals = ValueStrings{
		0: "Success", 128: "Unspecified error", 129: "Malformed Packet", 130: "Protocol Error",
		131: "Implementation specific error", 132: "Unsupported Protocol Version",
		133: "Client Identifier not valid", 134: "Bad User Name or Password", 135: "Not authorized",
		136: "Server unavailable", 137: "Server busy", 138: "Banned", 140: "Bad authentication method",
		144: "Topic Name invalid", 149: "Packet too large", 151: "Quota exceeded",
		154: "Retain not supported", 155: "QoS not supported", 156: "Use another server",
		157: "Server moved", 159: "Connection rate exceeded",
	}
	rcPubackVals = ValueStrings{
		0: "Success", 16: "No matching subscribers", 128: "Unspecified error",
		131: "Implementation specific error", 135: "Not authorized", 144: "Topic Name invalid",
		145: "Packet Identifier in use", 151: "Quota exceeded", 153: "Payload format invalid",
	}
	rcPubrelVals = ValueStrings{0: "Success", 146: "Packet Identifier not found"}
	rcSubackVals = ValueStrings{
		0: "Granted QoS 0", 1: "Granted QoS 1", 2: "Granted QoS 2", 128: "Unspecified error",
		131: "Implementation specific error", 135: "Not authorized", 143: "Topic Filter invalid",
		145: "Packet Identifier in use", 151: "Quota exceeded", 158: "Shared Subscription not supported",
		161: "Subscription Identifiers not supported", 162: "Wildcard Subscription not supported",
	}
	rcUnsubackVals = ValueStrings{
		0: "Success", 17: "No subscription existed", 131: "Implementation specific error",
		135: "Not authorized", 143: "Topic Filter invalid", 145: "Packet Identifier in use",
	}
	rcDisconnectVals = ValueStrings{
		0: "Normal disconnection", 4: "Disconnect with Will Message", 128: "Unspecified error",
		129: "Malformed Packet", 130: "Protocol Error", 131: "Implementation specific error",
		135: "Not authorized", 137: "Server busy", 139: "Server shutting down",
		140: "Bad authentication method", 141: "Keep Alive timeout", 142: "Session taken over",
		143: "Topic Filter invalid", 144: "Topic Name invalid", 147: "Receive Maximum exceeded",
		148: "Topic Alias invalid", 149: "Packet too large", 150: "Message rate too high",
		151: "Quota exceeded", 152: "Administrative action", 153: "Payload format invalid",
		154: "Retain not supported", 155: "QoS not supported", 156: "Use another server",
		157: "Server moved", 158: "Shared Subscription not supported", 159: "Connection rate exceeded",
		160: "Maximum connect time", 161: "Subscription Identifiers not supported",
		162: "Wildcard Subscription not supported",
	}
	rcAuthVals   = ValueStrings{0: "Success", 24: "Continue authentication", 25: "Re-authenticate"}
	propertyVals = ValueStrings{
		0x01: "Payload Format Indicator", 0x02: "Publication Expiry Interval", 0x03: "Content Type",
		0x08: "Response Topic", 0x09: "Correlation Data", 0x0b: "Subscription Identifier",
		0x11: "Session Expiry Interval", 0x12: "Assigned Client Identifier", 0x13: "Server Keep Alive",
		0x15: "Authentication Method", 0x16: "Authentication Data", 0x17: "Request Problem Information",
		0x18: "Will Delay Interval", 0x19: "Request Response Information", 0x1a: "Response Information",
		0x1c: "Server Reference", 0x1f: "Reason String", 0x21: "Receive Maximum",
		0x22: "Topic Alias Maximum", 0x23: "Topic Alias", 0x24: "Maximum QoS", 0x25: "Retain Available",
		0x26: "User Property", 0x27: "Maximum Packet Size", 0x28: "Wildcard Subscription Available",
		0x29: "Subscription Identifier Available", 0x2a: "Shared Subscription Available",
	}
)

// propKind is how tshark 4.0 reads a property value: it has its own list,
// which is what the tree must follow (it reads the identifier as one byte).
type propKind uint8

const (
	propUnknown     propKind = iota
	propByte                 // Value: N
	propMaxQoS               // QoS: name (N)
	propU16                  // Value: N
	propAlias                // Topic Alias: N
	propU32                  // Value: N
	propVarint               // Value: N
	propContentType          // Content Type: s (no length line)
	propString               // Length: N, Value: s (binary data too)
	propPair                 // Key Length, Key, Value Length, Value
)

var propKinds = func() (k [256]propKind) {
	for _, id := range []int{0x01, 0x17, 0x19, 0x25, 0x28, 0x29, 0x2a} {
		k[id] = propByte
	}
	k[0x24] = propMaxQoS
	k[0x23] = propAlias
	for _, id := range []int{0x13, 0x21, 0x22} {
		k[id] = propU16
	}
	for _, id := range []int{0x02, 0x11, 0x18, 0x27} {
		k[id] = propU32
	}
	k[0x0b] = propVarint
	k[0x03] = propContentType
	for _, id := range []int{0x08, 0x09, 0x12, 0x15, 0x16, 0x1a, 0x1c, 0x1f} {
		k[id] = propString
	}
	k[0x26] = propPair
	return k
}()

// appendUint appends v in the field's base; hex uses as many digits as the
// field (or its mask) is wide, as Wireshark does.
func appendUint(dst []byte, f *Field, v uint64) []byte {
	if f.Base != BaseHex {
		return strconv.AppendUint(dst, v, 10)
	}
	digits := int(f.Bits+3) / 4
	if f.Mask != 0 {
		digits = (maskWidth(f.Mask) + 3) / 4
	}
	dst = append(dst, '0', 'x')
	const hexd = "0123456789abcdef"
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexd[(v>>(4*uint(i)))&15])
	}
	return dst
}

// maskWidth is the number of bits from the lowest to the highest set bit.
func maskWidth(m uint32) int {
	lo, hi := -1, -1
	for i := 0; i < 32; i++ {
		if m&(1<<uint(i)) != 0 {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	if lo < 0 {
		return 0
	}
	return hi - lo + 1
}

// maskShift is the position of the lowest set bit.
func maskShift(m uint32) uint {
	for i := uint(0); i < 32; i++ {
		if m&(1<<i) != 0 {
			return i
		}
	}
	return 0
}
