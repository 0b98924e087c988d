package output

import "github.com/mqtap/mqtap/mqttwire"

// tshark builds no tree for its packet list (no -V). proto_tree_add_item
// still checks that its bytes exist, but proto_tree_add_bitmask returns
// before it looks: so a PDU cut in a bitmask it ends with (a v5
// SUBSCRIBE's last Subscription Options) gets "[Packet size limited during
// capture: MQTT truncated]" in -V, while its list line has no "[Packet
// size limited during capture]". treelessReadsPastCut walks the PDU as
// dissect_mqtt does without a tree and says whether it touches bytes past
// raw (the captured bytes of a PDU of reported bytes).
func treelessReadsPastCut(raw []byte, reported int, v mqttwire.Version) bool {
	if len(raw) == 0 {
		return true
	}
	r := treeless{cut: len(raw), raw: raw, v5: v == mqttwire.V5}
	_, w, ok := protobufVarint(raw[1:], varintMaxLen)
	if !ok {
		return true
	}
	r.off = 1 + w
	switch mqttwire.PacketType(raw[0] >> 4) {
	case mqttwire.TypeConnect:
		r.read(r.u16())                    // protocol name
		r.v5 = r.u8() == byte(mqttwire.V5) // the level it switches on
		flags := r.u8()
		r.read(2) // keep alive
		r.props()
		r.read(r.u16()) // client id
		if flags&0x04 != 0 {
			r.props()
			r.read(r.u16()) // will topic
			r.read(r.u16()) // will message
		}
		if flags&0x80 != 0 && reported-r.off > 0 {
			r.read(r.u16())
		}
		if flags&0x40 != 0 && reported-r.off > 0 {
			r.read(r.u16())
		}
	case mqttwire.TypeConnack:
		if v == mqttwire.V31 {
			r.read(1)
		} else {
			r.off++ // Acknowledge Flags: a bitmask
		}
		r.read(1)
		r.props()
	case mqttwire.TypePublish:
		r.read(r.u16())
		if raw[0]&0x06 != 0 {
			r.read(2)
		}
		r.props()
		r.read(reported - r.off) // the message
	case mqttwire.TypeSubscribe:
		r.read(2)
		r.props()
		for r.off < reported && !r.past {
			r.read(r.u16())
			if r.v5 {
				r.off++ // Subscription Options: a bitmask
			} else {
				r.read(1)
			}
		}
	default:
		// The rest add items for all their bytes: the tree pass's
		// exception is the list's.
		return reported > len(raw)
	}
	return r.past
}

// treeless follows the offset of a dissection without a tree.
type treeless struct {
	raw      []byte
	cut, off int
	v5       bool
	past     bool // a read went past the captured bytes
}

// read touches n bytes at off.
func (r *treeless) read(n int) {
	if !r.past && r.off+n > r.cut {
		r.past = true
	}
	r.off += n
}

func (r *treeless) u8() byte {
	r.read(1)
	if r.past {
		return 0
	}
	return r.raw[r.off-1]
}

func (r *treeless) u16() int {
	r.read(2)
	if r.past {
		return 0
	}
	return int(r.raw[r.off-2])<<8 | int(r.raw[r.off-1])
}

// props walks a v5 property block; every property is an item.
func (r *treeless) props() {
	if !r.v5 || r.past {
		return
	}
	v, w, ok := protobufVarint(r.raw[min(r.off, len(r.raw)):], varintMaxLen)
	if !ok {
		r.past = true
		return
	}
	r.off += w
	r.read(int(min(v, 1<<31)))
}
