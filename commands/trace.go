package commands

import (
	"fmt"
	"io"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
)

// traceLine is the -d line for one packet, in mosquitto_pub -d's words
// ("Client id sending PUBLISH (d0, q1, r0, m1, 'a/b', ... (5 bytes))"),
// so that scripts and eyes used to mosquitto's trace read it the same.
func traceLine(w io.Writer, clientID string, e mqttwire.Event) {
	verb := "sending"
	if e.Dir == mqttwire.In {
		verb = "received"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Client %s %s ", clientID, verb)
	switch p := e.Packet.(type) {
	case nil:
		b.WriteString("undecodable packet")
	case *mqttwire.Publish:
		fmt.Fprintf(&b, "PUBLISH (d%d, q%d, r%d, m%d, '%s', ... (%d bytes))", b2i(p.Dup), p.QoS, b2i(p.Retain), p.PacketID, p.Topic, len(p.Payload))
	case *mqttwire.Connack:
		fmt.Fprintf(&b, "CONNACK (%d)", p.ReasonCode)
	case *mqttwire.Puback:
		fmt.Fprintf(&b, "PUBACK (Mid: %d, RC:%d)", p.PacketID, p.ReasonCode)
	case *mqttwire.Pubrec:
		fmt.Fprintf(&b, "PUBREC (Mid: %d)", p.PacketID)
	case *mqttwire.Pubrel:
		fmt.Fprintf(&b, "PUBREL (m%d)", p.PacketID)
	case *mqttwire.Pubcomp:
		fmt.Fprintf(&b, "PUBCOMP (Mid: %d)", p.PacketID)
	case *mqttwire.Subscribe:
		fmt.Fprintf(&b, "SUBSCRIBE (Mid: %d", p.PacketID)
		for _, s := range p.Subscriptions {
			fmt.Fprintf(&b, ", Topic: %s, QoS: %d, Options: 0x%02x", s.Filter, s.QoS(), s.Options&^mqttwire.SubOptQoS)
		}
		b.WriteString(")")
	case *mqttwire.Suback:
		fmt.Fprintf(&b, "SUBACK (Mid: %d)", p.PacketID)
	case *mqttwire.Unsubscribe:
		fmt.Fprintf(&b, "UNSUBSCRIBE (Mid: %d, Topics: %s)", p.PacketID, strings.Join(p.Filters, ", "))
	case *mqttwire.Unsuback:
		fmt.Fprintf(&b, "UNSUBACK (Mid: %d)", p.PacketID)
	case *mqttwire.Disconnect:
		fmt.Fprintf(&b, "DISCONNECT (%d)", p.ReasonCode)
	default:
		b.WriteString(e.Packet.Type().String())
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " [%v]", e.Err)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
