package dissect

import (
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// Format is the output format (tshark -T).
type Format int

// The output formats.
const (
	Text  Format = iota // packet list, or details with -V
	JSON                // tshark -T json: one array of packets
	JSONL               // one JSON object per line, for streaming
)

// Options say what to print and how to decode.
type Options struct {
	Details  bool // -V: every layer's details (hex input only has MQTT)
	OnlyMQTT bool // -O mqtt: details for MQTT, other layers as their summary line
	HexPane  bool // -x: the bytes pane after each packet
	Format   Format
	Prefs    output.Prefs
	// Version decodes PDUs of a stream whose CONNECT was not seen
	// (tshark's mqtt.default_version); 0 means unknown, as tshark's "None".
	Version mqttwire.Version
	Palette *output.Palette
	// Pretty prints JSON payloads indented beneath their packet.
	Pretty bool
	// Ports carry MQTT in captures (tshark's -d tcp.port==N,mqtt); empty
	// means 1883.
	Ports []uint16
	// Heuristic also takes streams on other ports that start with a CONNECT.
	Heuristic bool
	// MaxPDU bounds a reassembled PDU in captures (0: the capture default).
	MaxPDU int
}

// Stats count what a run saw.
type Stats struct {
	Frames    int // capture frames, or hex PDUs
	PDUs      int
	Malformed int // PDUs shown with [Malformed Packet]
}
