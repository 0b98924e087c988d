package capture

import (
	"encoding/binary"

	"github.com/mqtap/mqtap/output"
)

// jsonLink appends the link-layer objects, re-reading the header bytes
// that writeLink rendered as text.
func jsonLink(a *output.JSONArena, out []output.JSONMember, f *rawFrame) []output.JSONMember {
	d := f.data
	switch f.link {
	case LinkTypeEthernet:
		o := a.Object()
		jsonEthAddr(o, &ethDstKeys, d[0:6])
		jsonEthAddr(o, &ethSrcKeys, d[6:12])
		et := binary.BigEndian.Uint16(d[12:14])
		o.Add("eth.type", hexField(uint64(et), 4))
		out = append(out, output.JSONMember{Key: "eth", Obj: o})
		for off := 14; (et == etherVLAN || et == etherQinQ) && len(d) >= off+4; off += 4 {
			tci := binary.BigEndian.Uint16(d[off:])
			et = binary.BigEndian.Uint16(d[off+2:])
			v := a.Object()
			v.Add("vlan.priority", utoa(uint64(tci>>13)))
			v.Add("vlan.dei", utoa(uint64(tci>>12)&1))
			v.Add("vlan.id", utoa(uint64(tci&0xfff)))
			v.Add("vlan.etype", hexField(uint64(et), 4))
			out = append(out, output.JSONMember{Key: "vlan", Obj: v})
		}
	case LinkTypeLinuxSLL:
		o := a.Object()
		o.Add("sll.pkttype", utoa(uint64(binary.BigEndian.Uint16(d[0:]))))
		o.Add("sll.hatype", utoa(uint64(binary.BigEndian.Uint16(d[2:]))))
		halen := binary.BigEndian.Uint16(d[4:])
		o.Add("sll.halen", utoa(uint64(halen)))
		jsonSLLAddr(o, d[6:14], int(halen))
		o.Add("sll.etype", hexField(uint64(binary.BigEndian.Uint16(d[14:])), 4))
		out = append(out, output.JSONMember{Key: "sll", Obj: o})
	case LinkTypeLinuxSLL2:
		o := a.Object()
		o.Add("sll.etype", hexField(uint64(binary.BigEndian.Uint16(d[0:])), 4))
		o.Add("sll.ifindex", utoa(uint64(binary.BigEndian.Uint32(d[4:]))))
		o.Add("sll.hatype", utoa(uint64(binary.BigEndian.Uint16(d[8:]))))
		o.Add("sll.pkttype", utoa(uint64(d[10])))
		o.Add("sll.halen", utoa(uint64(d[11])))
		jsonSLLAddr(o, d[12:20], int(d[11]))
		out = append(out, output.JSONMember{Key: "sll", Obj: o})
	case LinkTypeNull, LinkTypeLoop:
		fam := binary.LittleEndian.Uint32(d)
		if f.link == LinkTypeLoop || fam&0xffff0000 != 0 {
			fam = binary.BigEndian.Uint32(d)
		}
		o := a.Object()
		o.Add("null.family", utoa(uint64(fam)))
		out = append(out, output.JSONMember{Key: "null", Obj: o})
	case LinkTypeIPv4, LinkTypeIPv6:
		// No link layer: the IP layer comes first.
	default:
		// A protocol item without fields is printed as its label.
		out = append(out, output.JSONMember{Key: "raw", Str: "Raw packet data"})
	}
	return out
}

// ethAddrKeys are the JSON keys of eth.dst or eth.src and its tree,
// spelled out once: building them per frame was most of -T json's
// allocations.
type ethAddrKeys struct {
	addr, tree, lg, ig string
	// The resolved name, the OUI and its name, under the address's own
	// name and again under eth.addr.
	resolved, oui, ouiResolved [2]string
}

var (
	ethDstKeys = ethAddrKeys{addr: "eth.dst", tree: "eth.dst_tree", lg: "eth.dst.lg", ig: "eth.dst.ig",
		resolved:    [2]string{"eth.dst_resolved", "eth.addr_resolved"},
		oui:         [2]string{"eth.dst.oui", "eth.addr.oui"},
		ouiResolved: [2]string{"eth.dst.oui_resolved", "eth.addr.oui_resolved"}}
	ethSrcKeys = ethAddrKeys{addr: "eth.src", tree: "eth.src_tree", lg: "eth.src.lg", ig: "eth.src.ig",
		resolved:    [2]string{"eth.src_resolved", "eth.addr_resolved"},
		oui:         [2]string{"eth.src.oui", "eth.addr.oui"},
		ouiResolved: [2]string{"eth.src.oui_resolved", "eth.addr.oui_resolved"}}
)

// jsonEthAddr adds eth.dst or eth.src with its tree: the resolved name,
// the OUI (resolved only for 00:00:00, the one manuf entry mqtap knows,
// as in the text), the same again as eth.addr, then the LG and IG bits.
func jsonEthAddr(o *output.JSONObject, k *ethAddrKeys, m []byte) {
	var b [40]byte
	mac := string(appendMAC(b[:0], m))
	resolved := mac
	if m[0] == 0 && m[1] == 0 && m[2] == 0 || isBroadcast(m) {
		resolved = string(appendMACName(b[:0], m))
	}
	oui := utoa(uint64(m[0])<<16 | uint64(m[1])<<8 | uint64(m[2]))
	o.Add(k.addr, mac)
	t := o.AddObject(k.tree)
	for i := range 2 {
		if i == 1 {
			t.Add("eth.addr", mac)
		}
		t.Add(k.resolved[i], resolved)
		t.Add(k.oui[i], oui)
		if m[0] == 0 && m[1] == 0 && m[2] == 0 {
			t.Add(k.ouiResolved[i], "Officially Xerox, but 0:0:0:0:0:0 is more common")
		}
	}
	lg, ig := bit(m[0]&2 != 0), bit(m[0]&1 != 0)
	t.Add(k.lg, lg)
	t.Add("eth.lg", lg)
	t.Add(k.ig, ig)
	t.Add("eth.ig", ig)
}

func jsonSLLAddr(o *output.JSONObject, a []byte, n int) {
	n = min(n, 8)
	if n == 6 {
		o.Add("sll.src.eth", colonHex(a[:6]))
		o.Add("sll.unused", colonHex(a[6:8]))
		return
	}
	o.Add("sll.src.other", colonHex(a[:n]))
}
