package commands_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// TestBrokerShowsWireOrder: `mqtap broker` shows each connection's
// packets in the order they crossed its socket, so a subscriber's PUBACK
// comes after the PUBLISH it acknowledges, in the output and in the pcap.
// A subscriber that answers at once races the broker's goroutine that
// wrote the PUBLISH; many deliveries make a misordering, if the tap can
// produce one, very likely to show.
func TestBrokerShowsWireOrder(t *testing.T) {
	const n = 100
	total := 4 + 2 + 4*n + 2 // CONNECT/CONNACK ×2, SUBSCRIBE/SUBACK, n QoS 1 messages through, DISCONNECT ×2
	run := startTapCLI("broker", "--listen", "127.0.0.1:0", "-c", strconv.Itoa(total), "--duration", "60s")
	addr := run.addr(t)
	sub := dialWire(t, addr, mqttwire.V311, "order-sub")
	sub.send(&mqttwire.Subscribe{PacketID: 1, Subscriptions: []mqttwire.Subscription{{Filter: "order/#", Options: 1}}})
	sub.expect(mqttwire.TypeSuback)
	pub := dialWire(t, addr, mqttwire.V311, "order-pub")
	for i := 1; i <= n; i++ {
		pub.send(&mqttwire.Publish{Topic: "order/x", QoS: 1, PacketID: uint16(i), Payload: []byte(fmt.Sprint(i))})
		pub.expect(mqttwire.TypePuback)
		msg := sub.expect(mqttwire.TypePublish).(*mqttwire.Publish)
		sub.send(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: msg.PacketID}})
	}
	pub.send(&mqttwire.Disconnect{})
	sub.send(&mqttwire.Disconnect{})
	out := run.wait(t)
	shown := parseTapOutput(t, out, false)
	if len(shown) != total {
		t.Fatalf("%d packets shown, want %d", len(shown), total)
	}
	checkWireOrder(t, shown, portOf(t, addr), "broker output")
}
