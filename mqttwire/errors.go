package mqttwire

import (
	"errors"
	"fmt"
)

// Field names the part of a packet an error is about. The renderer uses it
// to show a malformed packet as far as it decoded, as Wireshark does.
type Field string

// The fields of the control packets, in the words of the specifications.
const (
	FieldFixedHeader     Field = "fixed header"
	FieldRemainingLength Field = "remaining length"
	FieldProtocolName    Field = "protocol name"
	FieldProtocolLevel   Field = "protocol level"
	FieldConnectFlags    Field = "connect flags"
	FieldKeepAlive       Field = "keep alive"
	FieldProperties      Field = "properties"
	FieldClientID        Field = "client id"
	FieldWillProperties  Field = "will properties"
	FieldWillTopic       Field = "will topic"
	FieldWillPayload     Field = "will payload"
	FieldUsername        Field = "user name"
	FieldPassword        Field = "password"
	FieldAckFlags        Field = "acknowledge flags"
	FieldReasonCode      Field = "reason code"
	FieldTopic           Field = "topic"
	FieldPacketID        Field = "packet identifier"
	FieldPayload         Field = "payload"
	FieldTopicFilter     Field = "topic filter"
	FieldSubOptions      Field = "subscription options"
	FieldReasonCodes     Field = "reason codes"
)

// ErrIncomplete is wrapped by errors about input that ends before the packet
// does: a stream reader waits for more bytes instead of giving up.
var ErrIncomplete = errors.New("incomplete packet")

// MalformedError says the packet's structure cannot be followed past Offset:
// a length overruns the packet, a variable byte integer is too long, a
// property id is unknown. What was decoded before Offset is returned with it.
type MalformedError struct {
	Packet PacketType
	Field  Field
	Offset int // from the first byte of the packet
	// Length is the length the packet declared for Field when the problem is
	// that it overruns the packet (a dissector prints it), else -1.
	Length int
	Reason string
	// Incomplete is set when the input ended before the packet did, rather
	// than the packet contradicting itself.
	Incomplete bool
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("malformed %v: %s at offset %d", e.Packet, e.Reason, e.Offset)
}

// Is makes errors.Is(err, ErrIncomplete) true for truncated input.
func (e *MalformedError) Is(target error) bool { return target == ErrIncomplete && e.Incomplete }

// ProtocolError says the packet decoded in full but breaks a rule of the
// specification (reserved bits set, QoS 3, invalid UTF-8, a wildcard in a
// PUBLISH topic, a property repeated or not allowed, packet id 0...). Code
// is the MQTT 5.0 reason code a receiver would answer with.
type ProtocolError struct {
	Packet PacketType
	Field  Field
	Offset int
	Reason string
	Code   ReasonCode
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("invalid %v: %s at offset %d", e.Packet, e.Reason, e.Offset)
}

func malformed(t PacketType, f Field, off int, format string, args ...any) *MalformedError {
	return &MalformedError{Packet: t, Field: f, Offset: off, Length: -1, Reason: fmt.Sprintf(format, args...)}
}

func violation(t PacketType, f Field, off int, code ReasonCode, format string, args ...any) *ProtocolError {
	return &ProtocolError{Packet: t, Field: f, Offset: off, Code: code, Reason: fmt.Sprintf(format, args...)}
}
