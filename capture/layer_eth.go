package capture

import "encoding/binary"

// Link-layer rendering: Ethernet II (with 802.1Q tags), Linux cooked capture
// v1/v2, BSD null/loopback and raw IP. Each returns the network protocol
// (an ethertype), the offset of the network header, and the protocols-in-frame
// prefix, so IP parsing does not care which link carried it.

const (
	etherIPv4 = 0x0800
	etherIPv6 = 0x86dd
	etherARP  = 0x0806
	etherVLAN = 0x8100
	etherQinQ = 0x88a8
)

func etherTypeName(et uint16) string {
	switch et {
	case etherIPv4:
		return "IPv4"
	case etherIPv6:
		return "IPv6"
	case etherARP:
		return "ARP"
	case etherVLAN:
		return "802.1Q Virtual LAN"
	case etherQinQ:
		return "802.1ad Provider Bridge (Q-in-Q)"
	}
	return "Unknown"
}

// appendMACName renders a MAC the way tshark's resolved column does. Without
// Wireshark's manuf database only the all-zero OUI (listed in manuf as
// "00:00:00") and broadcast are resolved; other addresses print raw.
func appendMACName(b []byte, m []byte) []byte {
	if isBroadcast(m) {
		return append(b, "Broadcast"...)
	}
	if m[0] == 0 && m[1] == 0 && m[2] == 0 {
		b = append(b, "00:00:00_"...)
		return appendMAC(b, m[3:])
	}
	return appendMAC(b, m)
}

// isBroadcast says whether a MAC address is ff:ff:ff:ff:ff:ff.
func isBroadcast(m []byte) bool {
	return m[0] == 0xff && m[1] == 0xff && m[2] == 0xff && m[3] == 0xff && m[4] == 0xff && m[5] == 0xff
}

func appendMAC(b []byte, m []byte) []byte {
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexdigits[c>>4], hexdigits[c&0xf])
	}
	return b
}

func (t *textBuf) macFull(m []byte) *textBuf {
	t.b = appendMACName(t.b, m)
	t.b = append(t.b, " ("...)
	t.b = appendMAC(t.b, m)
	return t.c(')')
}

func writeEthAddr(t *textBuf, label string, m []byte) {
	t.line(1).s(label).macFull(m)
	t.line(2).s("Address: ").macFull(m)
	v := uint64(m[0])<<16 | uint64(m[1])<<8 | uint64(m[2])
	t.line(2).bits(v, 0x020000, 24).s("LG bit: ")
	if m[0]&2 != 0 {
		t.s("Locally administered address (this is NOT the factory default)")
	} else {
		t.s("Globally unique address (factory default)")
	}
	t.line(2).bits(v, 0x010000, 24).s("IG bit: ")
	if m[0]&1 != 0 {
		t.s("Group address (multicast/broadcast)")
	} else {
		t.s("Individual address (unicast)")
	}
}

func (t *textBuf) etherType(label string, et uint16) *textBuf {
	return t.s(label).s(etherTypeName(et)).s(" (0x").hex(uint64(et), 4).c(')')
}

// linkResult is what the link layer hands to the network layer.
type linkResult struct {
	etype uint16 // network protocol as an ethertype; 0 = unknown
	off   int
	ok    bool
}

func writeLink(t *textBuf, f *rawFrame, protos []byte) (linkResult, []byte) {
	d := f.data
	switch f.link {
	case LinkTypeEthernet:
		if len(d) < 14 {
			return linkResult{}, protos
		}
		protos = append(protos, "eth:ethertype"...)
		t.section()
		et := binary.BigEndian.Uint16(d[12:14])
		// The section depends on the 14 header bytes only.
		t.cached(&t.memo.eth, d[:14], func() {
			t.line(0).s("Ethernet II, Src: ").macFull(d[6:12]).s(", Dst: ").macFull(d[0:6])
			writeEthAddr(t, "Destination: ", d[0:6])
			writeEthAddr(t, "Source: ", d[6:12])
			t.line(1).etherType("Type: ", et)
		})
		off := 14
		for (et == etherVLAN || et == etherQinQ) && len(d) >= off+4 {
			protos = append(protos, ":vlan:ethertype"...)
			tci := binary.BigEndian.Uint16(d[off:])
			inner := binary.BigEndian.Uint16(d[off+2:])
			t.section()
			t.line(0).s("802.1Q Virtual LAN, PRI: ").u(uint64(tci >> 13)).s(", DEI: ").u(uint64(tci>>12) & 1).s(", ID: ").u(uint64(tci & 0xfff))
			t.line(1).bits(uint64(tci), 0xe000, 16).s("Priority: ").s(vlanPriName(tci >> 13)).s(" (").u(uint64(tci >> 13)).c(')')
			t.line(1).bits(uint64(tci), 0x1000, 16).s("DEI: ")
			if tci&0x1000 != 0 {
				t.s("Eligible")
			} else {
				t.s("Ineligible")
			}
			t.line(1).bits(uint64(tci), 0x0fff, 16).s("ID: ").u(uint64(tci & 0xfff))
			t.line(1).etherType("Type: ", inner)
			et = inner
			off += 4
		}
		return linkResult{etype: et, off: off, ok: true}, protos
	case LinkTypeLinuxSLL:
		if len(d) < 16 {
			return linkResult{}, protos
		}
		protos = append(protos, "sll:ethertype"...)
		pkttype := binary.BigEndian.Uint16(d[0:])
		hatype := binary.BigEndian.Uint16(d[2:])
		halen := binary.BigEndian.Uint16(d[4:])
		et := binary.BigEndian.Uint16(d[14:])
		t.section()
		t.line(0).s("Linux cooked capture v1")
		t.line(1).s("Packet type: ").s(sllPktType(pkttype)).s(" (").u(uint64(pkttype)).c(')')
		t.line(1).s("Link-layer address type: ").s(arpHrdName(hatype)).s(" (").u(uint64(hatype)).c(')')
		t.line(1).s("Link-layer address length: ").u(uint64(halen))
		writeSLLAddr(t, d[6:14], int(halen))
		t.line(1).etherType("Protocol: ", et)
		return linkResult{etype: et, off: 16, ok: true}, protos
	case LinkTypeLinuxSLL2:
		if len(d) < 20 {
			return linkResult{}, protos
		}
		protos = append(protos, "sll:ethertype"...)
		et := binary.BigEndian.Uint16(d[0:])
		ifindex := binary.BigEndian.Uint32(d[4:])
		hatype := binary.BigEndian.Uint16(d[8:])
		pkttype := d[10]
		halen := d[11]
		t.section()
		t.line(0).s("Linux cooked capture v2")
		t.line(1).etherType("Protocol: ", et)
		t.line(1).s("Interface index: ").u(uint64(ifindex))
		t.line(1).s("Link-layer address type: ").s(arpHrdName(hatype)).s(" (").u(uint64(hatype)).c(')')
		t.line(1).s("Packet type: ").s(sllPktType(uint16(pkttype))).s(" (").u(uint64(pkttype)).c(')')
		t.line(1).s("Link-layer address length: ").u(uint64(halen))
		writeSLLAddr(t, d[12:20], int(halen))
		return linkResult{etype: et, off: 20, ok: true}, protos
	case LinkTypeNull, LinkTypeLoop:
		if len(d) < 4 {
			return linkResult{}, protos
		}
		protos = append(protos, "null"...)
		// The family is in the capturing host's byte order; guess it the way
		// Wireshark does: a value with zero high bytes is little/big endian.
		fam := binary.LittleEndian.Uint32(d)
		if f.link == LinkTypeLoop || fam&0xffff0000 != 0 {
			fam = binary.BigEndian.Uint32(d)
		}
		t.section()
		t.line(0).s("Null/Loopback")
		t.line(1).s("Family: ").s(bsdFamilyName(fam)).s(" (").u(uint64(fam)).c(')')
		var et uint16
		switch fam {
		case 2:
			et = etherIPv4
		case 10, 24, 28, 30:
			et = etherIPv6
		}
		return linkResult{etype: et, off: 4, ok: true}, protos
	case LinkTypeIPv4:
		// Wireshark hands these straight to IPv4 or IPv6: no link section,
		// no "raw" in the protocols, whatever the version nibble says.
		return linkResult{etype: etherIPv4, off: 0, ok: true}, protos
	case LinkTypeIPv6:
		return linkResult{etype: etherIPv6, off: 0, ok: true}, protos
	case LinkTypeRaw, LinkTypeRawDLT:
		if len(d) < 1 {
			return linkResult{}, protos
		}
		protos = append(protos, "raw"...)
		t.section()
		t.line(0).s("Raw packet data")
		var et uint16
		switch d[0] >> 4 {
		case 4:
			et = etherIPv4
		case 6:
			et = etherIPv6
		}
		return linkResult{etype: et, off: 0, ok: true}, protos
	}
	return linkResult{}, protos
}

func writeSLLAddr(t *textBuf, a []byte, n int) {
	if n > 8 {
		n = 8
	}
	if n == 6 {
		t.line(1).s("Source: ").macFull(a[:6])
		if n < 8 {
			t.line(1).s("Unused: ")
			t.b = appendHexBytes(t.b, a[6:8], 0)
		}
		return
	}
	t.line(1).s("Source: ")
	t.b = appendHexBytes(t.b, a[:n], 0)
}

func vlanPriName(p uint16) string {
	switch p {
	case 0:
		return "Best Effort (default)"
	case 1:
		return "Background"
	case 2:
		return "Excellent Effort"
	case 3:
		return "Critical Applications"
	case 4:
		return "Video, < 100ms latency and jitter"
	case 5:
		return "Voice, < 10ms latency and jitter"
	case 6:
		return "Internetwork Control"
	}
	return "Network Control"
}

func sllPktType(p uint16) string {
	switch p {
	case 0:
		return "Unicast to us"
	case 1:
		return "Broadcast"
	case 2:
		return "Multicast"
	case 3:
		return "Unicast to another host"
	case 4:
		return "Sent by us"
	}
	return "Unknown"
}

func arpHrdName(h uint16) string {
	switch h {
	case 1:
		return "Ethernet"
	case 772:
		return "Loopback"
	case 65534:
		return "None"
	}
	return "Unknown"
}

func bsdFamilyName(f uint32) string {
	switch f {
	case 2:
		return "IP"
	case 10, 24, 28, 30:
		return "IPv6"
	}
	return "Unknown"
}
