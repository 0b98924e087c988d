package commands

import (
	"fmt"
	"io"
	"strings"

	"github.com/mqtap/mqtap/mqttwire"
)

// tracer writes the -d lines in the words of libmosquitto 2.0's debug log
// ("Client id sending PUBLISH (d0, q1, r0, m1, 'a/b', ... (5 bytes))"), so
// that scripts and eyes used to mosquitto_pub -d and mosquitto_sub -d read
// them the same. Its wording is not uniform (Mid: or m, RC: or rc, some
// acks with no id): each line below is the one libmosquitto prints for
// that packet and direction.
type tracer struct {
	w io.Writer
	// sentQoS0 counts each client's QoS 0 PUBLISHes: libmosquitto numbers
	// every message it sends, QoS 0 too, although a QoS 0 PUBLISH carries
	// no identifier; the count gives the same m1, m2, ...
	sentQoS0 map[string]uint16
}

func newTracer(w io.Writer) *tracer { return &tracer{w: w, sentQoS0: map[string]uint16{}} }

// event writes the line(s) for one packet of clientID's session.
func (t *tracer) event(clientID string, e mqttwire.Event) {
	var b strings.Builder
	out := e.Dir == mqttwire.Out
	client := func(verb string) {
		if out {
			verb = "sending " + verb
		} else {
			verb = "received " + verb
		}
		fmt.Fprintf(&b, "Client %s %s", clientID, verb)
	}
	switch p := e.Packet.(type) {
	case nil:
		client("undecodable packet")
	case *mqttwire.Publish:
		mid := p.PacketID
		if out && p.QoS == 0 {
			t.sentQoS0[clientID]++
			mid = t.sentQoS0[clientID]
		}
		client("PUBLISH")
		fmt.Fprintf(&b, " (d%d, q%d, r%d, m%d, '%s', ... (%d bytes))", b2i(p.Dup), p.QoS, b2i(p.Retain), mid, p.Topic, len(p.Payload))
	case *mqttwire.Connack:
		client("CONNACK")
		fmt.Fprintf(&b, " (%d)", p.ReasonCode)
	case *mqttwire.Puback:
		writeAck(&b, client, "PUBACK", out, p.Ack, true)
	case *mqttwire.Pubrec:
		writeAck(&b, client, "PUBREC", out, p.Ack, out)
	case *mqttwire.Pubrel:
		writeAck(&b, client, "PUBREL", out, p.Ack, false)
	case *mqttwire.Pubcomp:
		writeAck(&b, client, "PUBCOMP", out, p.Ack, !out)
	case *mqttwire.Subscribe:
		// One line per filter, all with the packet's id.
		for i, s := range p.Subscriptions {
			if i > 0 {
				b.WriteByte('\n')
			}
			client("SUBSCRIBE")
			fmt.Fprintf(&b, " (Mid: %d, Topic: %s, QoS: %d, Options: 0x%02x)", p.PacketID, s.Filter, s.QoS(), s.Options&^mqttwire.SubOptQoS)
		}
	case *mqttwire.Suback:
		// mosquitto_sub -d follows with what was granted.
		client("SUBACK")
		fmt.Fprintf(&b, "\nSubscribed (mid: %d):", p.PacketID)
		for i, rc := range p.ReasonCodes {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " %d", rc)
		}
	case *mqttwire.Unsubscribe:
		for i, f := range p.Filters {
			if i > 0 {
				b.WriteByte('\n')
			}
			client("UNSUBSCRIBE")
			fmt.Fprintf(&b, " (Mid: %d, Topic: %s)", p.PacketID, f)
		}
	case *mqttwire.Disconnect:
		if out {
			client("DISCONNECT")
		} else {
			fmt.Fprintf(&b, "Received DISCONNECT (%d)", p.ReasonCode)
		}
	default:
		client(e.Packet.Type().String())
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " [%v]", e.Err)
	}
	b.WriteByte('\n')
	io.WriteString(t.w, b.String())
}

// writeAck writes an acknowledgement's words: received ones as "(Mid: 1, RC:0)"
// (or "(Mid: 1)" without the code), sent ones as "(m1, rc0)" (or "(m1)").
func writeAck(b *strings.Builder, client func(string), name string, out bool, a mqttwire.Ack, withCode bool) {
	client(name)
	switch {
	case out && withCode:
		fmt.Fprintf(b, " (m%d, rc%d)", a.PacketID, a.ReasonCode)
	case out:
		fmt.Fprintf(b, " (m%d)", a.PacketID)
	case withCode:
		fmt.Fprintf(b, " (Mid: %d, RC:%d)", a.PacketID, a.ReasonCode)
	default:
		fmt.Fprintf(b, " (Mid: %d)", a.PacketID)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
