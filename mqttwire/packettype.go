package mqttwire

import "strconv"

// PacketType is the control packet type in the high nibble of the first byte.
type PacketType byte

// The fifteen control packet types (MQTT 5.0 §2.1.2).
const (
	TypeReserved PacketType = iota
	TypeConnect
	TypeConnack
	TypePublish
	TypePuback
	TypePubrec
	TypePubrel
	TypePubcomp
	TypeSubscribe
	TypeSuback
	TypeUnsubscribe
	TypeUnsuback
	TypePingreq
	TypePingresp
	TypeDisconnect
	TypeAuth
)

var packetTypeNames = [16]string{
	"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
	"SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
}

// String is the packet name as the specifications write it (PUBLISH).
func (t PacketType) String() string {
	if int(t) < len(packetTypeNames) {
		return packetTypeNames[t]
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// requiredFlags is the fixed value of the four flag bits for each packet
// type other than PUBLISH (MQTT 5.0 §2.1.3, 3.1.1 §2.2.2).
var requiredFlags = [16]byte{
	TypePubrel: 0x2, TypeSubscribe: 0x2, TypeUnsubscribe: 0x2,
}

// ExistsIn reports whether the packet type is defined for version v
// (AUTH is MQTT 5.0 only).
func (t PacketType) ExistsIn(v Version) bool {
	if t == TypeReserved || t > TypeAuth {
		return false
	}
	return t != TypeAuth || v == V5
}
