package commands

import (
	"io"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// BenchmarkTraceLine is the -d line of each message of a QoS 1 run: the
// PUBLISH sent and its PUBACK.
func BenchmarkTraceLine(b *testing.B) {
	tr := newTracer(io.Discard)
	pub := mqttwire.Event{Dir: mqttwire.Out, Packet: &mqttwire.Publish{Topic: "resources/r1/temperature", QoS: 1, PacketID: 7, Payload: []byte(`{"temperature":10}`)}}
	ack := mqttwire.Event{Dir: mqttwire.In, Packet: &mqttwire.Puback{Ack: mqttwire.Ack{PacketID: 7}}}
	b.ReportAllocs()
	for range b.N {
		tr.event("mqtap-host-1", pub)
		tr.event("mqtap-host-1", ack)
	}
}
