package mqttwire

import "fmt"

// serverLimits are what the server's CONNACK allows a client to send
// (MQTT 5.0 §3.2.2.3). A PUBLISH beyond them would make the server end the
// session with a DISCONNECT (§3.2.2.3.4, .5, .6, .8), so the Conn refuses
// it before sending, with a *LimitError that says which limit and why.
type serverLimits struct {
	// on is false when nothing is limited (3.1 and 3.1.1): checkLimits
	// then costs one test.
	on bool
	// maxPacket is the Maximum Packet Size, 0 for none.
	maxPacket int
	// maxQoS is the Maximum QoS (2 when absent).
	maxQoS byte
	// noRetain is Retain Available 0.
	noRetain bool
	// aliasMax is the Topic Alias Maximum (0 when absent: no aliases).
	aliasMax int
}

// limitsOf reads the limits from a CONNACK. Only MQTT 5.0 has them.
func limitsOf(ack *Connack, v Version) serverLimits {
	if v != V5 || ack == nil {
		return serverLimits{}
	}
	l := serverLimits{on: true, maxQoS: 2}
	ps := &ack.Properties
	if n, ok := ps.Int(PropMaximumPacketSize); ok && n > 0 {
		l.maxPacket = int(n)
	}
	if q, ok := ps.Int(PropMaximumQoS); ok && q < 2 {
		l.maxQoS = byte(q)
	}
	if r, ok := ps.Int(PropRetainAvailable); ok && r == 0 {
		l.noRetain = true
	}
	if a, ok := ps.Int(PropTopicAliasMaximum); ok {
		l.aliasMax = int(a)
	}
	return l
}

// checkLimits refuses a PUBLISH the server's CONNACK does not allow. It
// runs for every message, before anything is queued.
func (c *Conn) checkLimits(p *Publish) error {
	l := &c.limits
	if !l.on {
		return nil
	}
	if p.QoS > l.maxQoS {
		return &LimitError{Limit: "Maximum QoS", Prop: PropMaximumQoS,
			Code: CodeQoSNotSupported, Value: int(p.QoS), Max: int(l.maxQoS)}
	}
	if p.Retain && l.noRetain {
		return &LimitError{Limit: "Retain Available", Prop: PropRetainAvailable,
			Code: 0x9A /* Retain not supported */, Value: 1, Max: 0}
	}
	for i := range p.Properties.List {
		pr := &p.Properties.List[i]
		if pr.ID == PropTopicAlias && (pr.Int == 0 || int(pr.Int) > l.aliasMax) {
			return &LimitError{Limit: "Topic Alias Maximum", Prop: PropTopicAliasMaximum,
				Code: 0x94 /* Topic Alias invalid */, Value: int(pr.Int), Max: l.aliasMax}
		}
	}
	if l.maxPacket > 0 {
		if n := publishSize(p, c.v); n > l.maxPacket {
			return &LimitError{Limit: "Maximum Packet Size", Prop: PropMaximumPacketSize,
				Code: CodePacketTooLarge, Value: n, Max: l.maxPacket}
		}
	}
	return nil
}

// publishSize is the length of p encoded for version v, fixed header
// included, as Publish.Append would write it (without encoding it). A
// QoS 1 or 2 message counts its packet identifier even before it has one.
func publishSize(p *Publish, v Version) int {
	n := 2 + len(p.Topic) + len(p.Payload)
	if p.QoS > 0 {
		n += 2
	}
	if v == V5 {
		n += p.Properties.wireSize()
	}
	return 1 + varintLen(n) + n
}

// LimitError is a PUBLISH the Conn refused to send because it breaks a
// limit the server set in its CONNACK (MQTT 5.0 §3.2.2.3). Nothing was
// sent and the session goes on.
type LimitError struct {
	// Limit names the CONNACK property ("Maximum Packet Size",
	// "Maximum QoS", "Retain Available", "Topic Alias Maximum").
	Limit string
	Prop  PropID
	// Code is the reason code the server would have ended the session
	// with had the message been sent.
	Code ReasonCode
	// Value is what the message needs: its size in bytes, its QoS, 1 for
	// the retain flag, its topic alias. Max is what the server allows.
	Value, Max int
}

func (e *LimitError) Error() string {
	switch e.Prop {
	case PropMaximumPacketSize:
		return fmt.Sprintf("message of %d bytes exceeds the server's Maximum Packet Size %d (CONNACK)", e.Value, e.Max)
	case PropMaximumQoS:
		return fmt.Sprintf("QoS %d exceeds the server's Maximum QoS %d", e.Value, e.Max)
	case PropRetainAvailable:
		return fmt.Sprintf("retained message but the server has Retain Available %d", e.Max)
	case PropTopicAliasMaximum:
		if e.Value == 0 {
			return fmt.Sprintf("topic alias 0 is not allowed (the server's Topic Alias Maximum is %d)", e.Max)
		}
		return fmt.Sprintf("topic alias %d exceeds the server's Topic Alias Maximum %d", e.Value, e.Max)
	}
	return fmt.Sprintf("message breaks the server's %s: %d, at most %d", e.Limit, e.Value, e.Max)
}
