package mqttwire_test

import (
	"bufio"
	"context"
	"fmt"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// ackingBroker reads everything the client sends and acknowledges QoS 1
// and 2 publishes at once, as a broker with no work to do would.
func ackingBroker(b *fakeBroker) {
	w := bufio.NewWriter(b.c)
	var out []byte
	for {
		raw, err := b.r.ReadPacket()
		if err != nil {
			return
		}
		p, _, _ := mqttwire.Decode(raw, b.v)
		out = out[:0]
		switch p := p.(type) {
		case *mqttwire.Publish:
			switch p.QoS {
			case 1:
				out, _ = (&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: p.PacketID}}).Append(out, b.v)
			case 2:
				out, _ = (&mqttwire.Pubrec{Ack: mqttwire.Ack{PacketID: p.PacketID}}).Append(out, b.v)
			}
		case *mqttwire.Pubrel:
			out, _ = (&mqttwire.Pubcomp{Ack: mqttwire.Ack{PacketID: p.PacketID}}).Append(out, b.v)
		}
		w.Write(out)
		w.Flush()
	}
}

// BenchmarkConnPublish measures the session's publish path end to end
// over loopback TCP: encode, queue, write, and for QoS 1/2 the ack flow;
// -held is PublishHeld, which shares writes between messages.
func BenchmarkConnPublish(b *testing.B) {
	for _, bc := range []struct {
		qos  byte
		held bool
	}{{0, false}, {0, true}, {1, false}, {1, true}, {2, false}} {
		qos := bc.qos
		name := fmt.Sprintf("qos%d", qos)
		if bc.held {
			name += "-held"
		}
		b.Run(name, func(b *testing.B) {
			nc, fb := dialPair(b, mqttwire.V311)
			conn := mqttwire.NewConn(nc, mqttwire.ConnConfig{MaxInflight: 100})
			go func() {
				fb.r.ReadPacket()
				raw, _ := mqttwire.Encode(&mqttwire.Connack{}, fb.v)
				fb.c.Write(raw)
				ackingBroker(fb)
			}()
			ctx := context.Background()
			if _, err := conn.Connect(ctx, &mqttwire.Connect{ProtocolLevel: 4, ClientID: "bench", CleanSession: true}); err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			p := &mqttwire.Publish{Topic: "bench/topic", QoS: qos, Payload: make([]byte, 64)}
			b.ReportAllocs()
			b.SetBytes(int64(len(p.Payload)))
			b.ResetTimer()
			publish := conn.Publish
			if bc.held {
				publish = conn.PublishHeld // what pub -l does with more input waiting
			}
			for i := 0; i < b.N; i++ {
				if err := publish(ctx, p, nil); err != nil {
					b.Fatal(err)
				}
			}
			if err := conn.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			fb.c.Close()
			nc.Close()
		})
	}
}
