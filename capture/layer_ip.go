package capture

import (
	"encoding/binary"
	"net/netip"
)

// ipResult is what the IP layer hands to the transport layer.
type ipResult struct {
	proto    uint8
	off, end int // transport header start, end of IP payload within the frame
	// declEnd is where the IP header says the packet ends, which is past
	// end when the capture's snap length cut the frame.
	declEnd    int
	src, dst   netip.Addr
	ok         bool
	fragmented bool
}

var dscpShort = map[uint8]string{0: "CS0", 8: "CS1", 10: "AF11", 12: "AF12", 14: "AF13", 16: "CS2", 18: "AF21", 20: "AF22", 22: "AF23",
	24: "CS3", 26: "AF31", 28: "AF32", 30: "AF33", 32: "CS4", 34: "AF41", 36: "AF42", 38: "AF43", 40: "CS5", 44: "VOICE-ADMIT", 46: "EF", 48: "CS6", 56: "CS7"}
var dscpLong = map[uint8]string{0: "Default", 8: "Class Selector 1", 10: "Assured Forwarding 11", 12: "Assured Forwarding 12", 14: "Assured Forwarding 13",
	16: "Class Selector 2", 18: "Assured Forwarding 21", 20: "Assured Forwarding 22", 22: "Assured Forwarding 23", 24: "Class Selector 3",
	26: "Assured Forwarding 31", 28: "Assured Forwarding 32", 30: "Assured Forwarding 33", 32: "Class Selector 4", 34: "Assured Forwarding 41",
	36: "Assured Forwarding 42", 38: "Assured Forwarding 43", 40: "Class Selector 5", 44: "Voice Admit", 46: "Expedited Forwarding", 48: "Class Selector 6", 56: "Class Selector 7"}
var ecnShort = [4]string{"Not-ECT", "ECT(1)", "ECT(0)", "CE"}
var ecnLong = [4]string{"Not ECN-Capable Transport", "ECN-Capable Transport codepoint '01'", "ECN-Capable Transport codepoint '10'", "Congestion Experienced"}

func dscpName(m map[uint8]string, v uint8) string {
	if s, ok := m[v]; ok {
		return s
	}
	return "Unknown"
}

func ipProtoName(p uint8) string {
	switch p {
	case 1:
		return "ICMP"
	case 6:
		return "TCP"
	case 17:
		return "UDP"
	case 58:
		return "ICMPv6"
	case 0:
		return "IPv6 Hop-by-Hop Option"
	}
	return "Unknown"
}

func (t *textBuf) addr(a netip.Addr) *textBuf {
	t.b = a.AppendTo(t.b)
	return t
}

func writeIPv4(t *textBuf, d []byte, protos []byte) (ipResult, []byte) {
	if len(d) < 20 || d[0]>>4 != 4 {
		return ipResult{}, protos
	}
	hl := int(d[0]&0xf) * 4
	if hl < 20 || len(d) < hl {
		return ipResult{}, protos
	}
	protos = appendProto(protos, "ip")
	tos := d[1]
	dscp, ecn := tos>>2, tos&3
	total := int(binary.BigEndian.Uint16(d[2:]))
	id := binary.BigEndian.Uint16(d[4:])
	ff := binary.BigEndian.Uint16(d[6:])
	src := netip.AddrFrom4([4]byte(d[12:16]))
	dst := netip.AddrFrom4([4]byte(d[16:20]))
	t.section()
	t.cached(&t.memo.ipTitle, d[12:20], func() {
		t.line(0).s("Internet Protocol Version 4, Src: ").addr(src).s(", Dst: ").addr(dst)
	})
	t.cached(&t.memo.ipHead, d[0:2], func() {
		t.line(1).bits(uint64(d[0]), 0xf0, 8).s("Version: 4")
		t.line(1).bits(uint64(d[0]), 0x0f, 8).s("Header Length: ").i(hl).s(" bytes (").i(hl / 4).c(')')
		t.line(1).s("Differentiated Services Field: 0x").hex(uint64(tos), 2).s(" (DSCP: ").s(dscpName(dscpShort, dscp)).s(", ECN: ").s(ecnShort[ecn]).c(')')
		t.line(2).bits(uint64(tos), 0xfc, 8).s("Differentiated Services Codepoint: ").s(dscpName(dscpLong, dscp)).s(" (").u(uint64(dscp)).c(')')
		t.line(2).bits(uint64(tos), 0x03, 8).s("Explicit Congestion Notification: ").s(ecnLong[ecn]).s(" (").u(uint64(ecn)).c(')')
	})
	t.line(1).s("Total Length: ").i(total)
	t.line(1).s("Identification: 0x").hex(uint64(id), 4).s(" (").u(uint64(id)).c(')')
	fl := uint64(ff >> 13)
	fo := ff & 0x1fff
	t.cached(&t.memo.ipFlags, d[6:10], func() {
		writeIPv4Flags(t, d)
	})
	t.line(1).s("Header Checksum: 0x").hex(uint64(binary.BigEndian.Uint16(d[10:])), 4).s(" [validation disabled]")
	t.cached(&t.memo.ipAddrs, d[12:20], func() {
		t.line(1).s("[Header checksum status: Unverified]")
		t.line(1).s("Source Address: ").addr(src)
		t.line(1).s("Destination Address: ").addr(dst)
	})
	end := total
	if end > len(d) || end < hl {
		end = len(d)
	}
	return ipResult{proto: d[9], off: hl, end: end, declEnd: max(end, total), src: src, dst: dst, ok: true, fragmented: fl&1 != 0 || fo != 0}, protos
}

// writeIPv4Flags renders the lines from Flags to Protocol, which depend on
// header bytes 6 to 9 only.
func writeIPv4Flags(t *textBuf, d []byte) {
	ff := binary.BigEndian.Uint16(d[6:])
	fl := uint64(ff >> 13)
	t.line(1).bits(uint64(d[6]), 0xe0, 8).s("Flags: 0x").hex(fl, 1)
	if fl&2 != 0 {
		t.s(", Don't fragment")
	}
	if fl&1 != 0 {
		t.s(", More fragments")
	}
	setNot := func(v bool) string {
		if v {
			return "Set"
		}
		return "Not set"
	}
	t.line(2).bits(uint64(d[6]), 0x80, 8).s("Reserved bit: ").s(setNot(fl&4 != 0))
	t.line(2).bits(uint64(d[6]), 0x40, 8).s("Don't fragment: ").s(setNot(fl&2 != 0))
	t.line(2).bits(uint64(d[6]), 0x20, 8).s("More fragments: ").s(setNot(fl&1 != 0))
	fo := ff & 0x1fff
	t.line(1).bits(uint64(ff), 0x1fff, 16).s("Fragment Offset: ").u(uint64(fo) * 8)
	t.line(1).s("Time to Live: ").u(uint64(d[8]))
	t.line(1).s("Protocol: ").s(ipProtoName(d[9])).s(" (").u(uint64(d[9])).c(')')
}

func writeIPv6(t *textBuf, d []byte, protos []byte) (ipResult, []byte) {
	if len(d) < 40 || d[0]>>4 != 6 {
		return ipResult{}, protos
	}
	protos = appendProto(protos, "ipv6")
	w := uint64(binary.BigEndian.Uint32(d))
	tc := uint8(w >> 20)
	dscp, ecn := tc>>2, tc&3
	flow := w & 0xfffff
	plen := int(binary.BigEndian.Uint16(d[4:]))
	src := netip.AddrFrom16([16]byte(d[8:24]))
	dst := netip.AddrFrom16([16]byte(d[24:40]))
	t.section()
	t.line(0).s("Internet Protocol Version 6, Src: ").addr(src).s(", Dst: ").addr(dst)
	t.line(1).bits(uint64(d[0]), 0xf0, 8).s("Version: 6")
	t.line(1).bits(w, 0x0ff00000, 32).s("Traffic Class: 0x").hex(uint64(tc), 2).s(" (DSCP: ").s(dscpName(dscpShort, dscp)).s(", ECN: ").s(ecnShort[ecn]).c(')')
	t.line(2).bits(w, 0x0fc00000, 32).s("Differentiated Services Codepoint: ").s(dscpName(dscpLong, dscp)).s(" (").u(uint64(dscp)).c(')')
	t.line(2).bits(w, 0x00300000, 32).s("Explicit Congestion Notification: ").s(ecnLong[ecn]).s(" (").u(uint64(ecn)).c(')')
	t.line(1).bits(w&0xffffff, 0x0fffff, 24).s("Flow Label: 0x").hex(flow, 5)
	t.line(1).s("Payload Length: ").i(plen)
	t.line(1).s("Next Header: ").s(ipProtoName(d[6])).s(" (").u(uint64(d[6])).c(')')
	t.line(1).s("Hop Limit: ").u(uint64(d[7]))
	t.line(1).s("Source Address: ").addr(src)
	t.line(1).s("Destination Address: ").addr(dst)
	end := 40 + plen
	if end > len(d) {
		end = len(d)
	}
	return ipResult{proto: d[6], off: 40, end: end, declEnd: 40 + plen, src: src, dst: dst, ok: true}, protos
}

// appendProto appends a protocol to the protocols-in-frame list, after a
// colon unless it is the first (as IP is in a raw IPv4/IPv6 capture).
func appendProto(protos []byte, name string) []byte {
	if len(protos) > 0 {
		protos = append(protos, ':')
	}
	return append(protos, name...)
}
