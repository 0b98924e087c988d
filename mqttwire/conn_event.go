package mqttwire

import (
	"net"
	"time"
)

// Direction says whether a packet was sent or received.
type Direction byte

// The two directions of an Event.
const (
	Out Direction = iota // client to server
	In                   // server to client
)

func (d Direction) String() string {
	if d == In {
		return "in"
	}
	return "out"
}

// Event reports one packet the session sent or received, so that a caller
// can render, trace or capture the conversation. Outgoing events are
// reported in wire order when the packet is queued; incoming ones when the
// packet has been read, before the session acts on it.
type Event struct {
	Dir           Direction
	Time          time.Time
	Local, Remote net.Addr
	// Raw is the packet's bytes; the event owns them.
	Raw []byte
	// Packet is the packet as sent, or as decoded (possibly partly, see
	// Err). It must not be modified.
	Packet Packet
	// Err is the decoding error of an incoming packet.
	Err error
}
