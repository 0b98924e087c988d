package mqttwire

import (
	"fmt"
	"time"
)

// ConnackError is a CONNACK that refused the connection: a non-zero 3.x
// return code or a 5.0 reason code of 0x80 or above.
type ConnackError struct {
	Version Version
	Code    ReasonCode
	// Reason is the 5.0 Reason String property, if the broker sent one.
	Reason  string
	Connack *Connack
}

func (e *ConnackError) Error() string {
	msg := "broker refused the connection: " + Describe(TypeConnack, e.Version, e.Code)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// DisconnectError is a DISCONNECT the server sent (MQTT 5.0 §3.14): the
// session ended on the server's initiative.
type DisconnectError struct {
	Code   ReasonCode
	Reason string // the Reason String property, if any
	Packet *Disconnect
}

func (e *DisconnectError) Error() string {
	msg := "server sent DISCONNECT: " + Describe(TypeDisconnect, V5, e.Code)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// ClosedError is the connection ending without a DISCONNECT while the
// session still expected packets.
type ClosedError struct {
	While string // what the session was doing ("waiting for CONNACK")
	Err   error  // the read error (io.EOF, connection reset...)
}

func (e *ClosedError) Error() string {
	return fmt.Sprintf("connection closed by the server %s: %v", e.While, e.Err)
}

func (e *ClosedError) Unwrap() error { return e.Err }

// TimeoutError is an answer that did not come in time: a CONNACK, an
// acknowledgement, a PINGRESP (the keepalive declares the server dead).
type TimeoutError struct {
	Waiting string // the packet that did not come ("CONNACK")
	After   time.Duration
}

func (e *TimeoutError) Error() string {
	if e.After > 0 {
		return fmt.Sprintf("timed out after %v waiting for %s", e.After.Round(time.Millisecond), e.Waiting)
	}
	return "timed out waiting for " + e.Waiting
}

// Timeout makes a TimeoutError satisfy net.Error's Timeout.
func (e *TimeoutError) Timeout() bool { return true }

// AckError is a negative acknowledgement of a PUBLISH (a 5.0 PUBACK or
// PUBREC with a reason code of 0x80 or above).
type AckError struct {
	Packet   PacketType
	PacketID uint16
	Code     ReasonCode
	Reason   string
}

func (e *AckError) Error() string {
	msg := fmt.Sprintf("%v for packet %d: %s", e.Packet, e.PacketID, Describe(e.Packet, V5, e.Code))
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}
