package mqttwire

import "fmt"

// ReasonCode is an MQTT 5.0 reason code, or a 3.1/3.1.1 CONNACK return code.
type ReasonCode byte

// Reason codes mqtap itself uses by name (MQTT 5.0 §2.4).
const (
	Success                       ReasonCode = 0x00
	NoMatchingSubscribers         ReasonCode = 0x10
	UnspecifiedError              ReasonCode = 0x80
	CodeMalformedPacket           ReasonCode = 0x81
	CodeProtocolError             ReasonCode = 0x82
	CodeBadUserNameOrPassword     ReasonCode = 0x86
	CodeNotAuthorized             ReasonCode = 0x87
	CodeTopicNameInvalid          ReasonCode = 0x90
	CodePacketIDInUse             ReasonCode = 0x91
	CodePacketIDNotFound          ReasonCode = 0x92
	CodePacketTooLarge            ReasonCode = 0x95
	CodeQoSNotSupported           ReasonCode = 0x9B
	CodeTopicFilterInvalid        ReasonCode = 0x8F
	CodeSessionTakenOver          ReasonCode = 0x8E
	CodeDisconnectWithWillMessage ReasonCode = 0x04
)

// reasonNames holds the name of every MQTT 5.0 reason code (§2.4); where a
// code means different things in different packets, ReasonName says so.
// An array literal is laid out as data; a map would be built at every start.
var reasonNames = [256]string{
	0x00: "Success", 0x01: "Granted QoS 1", 0x02: "Granted QoS 2", 0x04: "Disconnect with Will Message",
	0x10: "No matching subscribers", 0x11: "No subscription existed", 0x18: "Continue authentication",
	0x19: "Re-authenticate", 0x80: "Unspecified error", 0x81: "Malformed Packet", 0x82: "Protocol Error",
	0x83: "Implementation specific error", 0x84: "Unsupported Protocol Version",
	0x85: "Client Identifier not valid", 0x86: "Bad User Name or Password", 0x87: "Not authorized",
	0x88: "Server unavailable", 0x89: "Server busy", 0x8A: "Banned", 0x8B: "Server shutting down",
	0x8C: "Bad authentication method", 0x8D: "Keep Alive timeout", 0x8E: "Session taken over",
	0x8F: "Topic Filter invalid", 0x90: "Topic Name invalid", 0x91: "Packet Identifier in use",
	0x92: "Packet Identifier not found", 0x93: "Receive Maximum exceeded", 0x94: "Topic Alias invalid",
	0x95: "Packet too large", 0x96: "Message rate too high", 0x97: "Quota exceeded",
	0x98: "Administrative action", 0x99: "Payload format invalid", 0x9A: "Retain not supported",
	0x9B: "QoS not supported", 0x9C: "Use another server", 0x9D: "Server moved",
	0x9E: "Shared Subscription not supported", 0x9F: "Connection rate exceeded",
	0xA0: "Maximum connect time", 0xA1: "Subscription Identifiers not supported",
	0xA2: "Wildcard Subscription not supported",
}

// connackV3Names are the CONNACK return codes of MQTT 3.1 and 3.1.1
// (3.1.1 §3.2.2.3).
var connackV3Names = []string{
	"Connection Accepted",
	"Connection Refused: unacceptable protocol version",
	"Connection Refused: identifier rejected",
	"Connection Refused: server unavailable",
	"Connection Refused: bad user name or password",
	"Connection Refused: not authorized",
}

// ReasonName names a reason code as it is meant in packets of type t and
// version v ("" when the code is not defined).
func ReasonName(t PacketType, v Version, c ReasonCode) string {
	if t == TypeConnack && v != V5 {
		if int(c) < len(connackV3Names) {
			return connackV3Names[c]
		}
		return ""
	}
	switch {
	case t == TypeSuback && c == 0x00:
		return "Granted QoS 0"
	case t == TypeDisconnect && c == 0x00:
		return "Normal disconnection"
	}
	return reasonNames[c]
}

// IsError reports whether the code reports a failure (0x80 and above), or,
// for a 3.x CONNACK, any non-zero return code.
func (c ReasonCode) IsError() bool { return c >= 0x80 }

// Describe is "Not authorized (0x87)" for MQTT 5 and "not authorized (5)"
// style for 3.x CONNACK codes, for error messages.
func Describe(t PacketType, v Version, c ReasonCode) string {
	name := ReasonName(t, v, c)
	if t == TypeConnack && v != V5 {
		if name == "" {
			name = "unknown return code"
		}
		return fmt.Sprintf("%s (%d)", name, byte(c))
	}
	if name == "" {
		name = "unknown reason code"
	}
	return fmt.Sprintf("%s (0x%02X)", name, byte(c))
}
