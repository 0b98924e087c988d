package hexdump

import (
	"encoding/binary"
	"fmt"
)

// segmentInfo is what stripping a packet's headers found.
type segmentInfo struct {
	payload []byte
	tcp     bool // the packet starts a TCP segment; the rest is set
	key     streamKey
	seq     uint32
}

// streamKey names one direction of a TCP connection.
type streamKey struct {
	src, dst     [16]byte
	sport, dport uint16
}

// tcpPayload returns the TCP payload of a packet as tcpdump prints it: from
// the IP header (-x, -X) or from the link-layer header (-xx, -XX). The dump
// does not say which, nor the link type, so each framing is tried and the
// most self-consistent reading wins. It returns no payload and no problem
// for IP packets that carry no TCP segment start (UDP, ICMP, a later
// fragment) and for ARP, which the caller skips like bare ACKs.
func tcpPayload(pkt []byte) (segmentInfo, string) {
	var best ipPacket
	found := false
	for _, link := range linkFramings {
		b, version := link(pkt)
		if b == nil {
			continue
		}
		ip, ok := parseIP(b, version)
		if ok && (!found || ip.score > best.score) {
			best, found = ip, true
		}
	}
	if !found {
		if isARP(pkt) {
			return segmentInfo{}, ""
		}
		return segmentInfo{}, "no IPv4 or IPv6 header at the start of the packet or after an Ethernet, Linux cooked-mode or loopback header"
	}
	if best.problem != "" {
		return segmentInfo{}, best.problem
	}
	if !best.tcp {
		return segmentInfo{}, ""
	}
	payload, problem := tcpSegmentPayload(best.segment)
	if problem != "" {
		return segmentInfo{}, problem
	}
	seg := best.segment
	return segmentInfo{
		payload: payload,
		tcp:     true,
		key: streamKey{src: best.src, dst: best.dst,
			sport: binary.BigEndian.Uint16(seg[0:2]), dport: binary.BigEndian.Uint16(seg[2:4])},
		seq: binary.BigEndian.Uint32(seg[4:8]),
	}, ""
}

// isARP reports an ARP request or reply for IPv4 over Ethernet (RFC 826),
// possibly VLAN-tagged: a frame with no IP in it that captures often have.
func isARP(b []byte) bool {
	if len(b) < 14 {
		return false
	}
	off, t := 14, binary.BigEndian.Uint16(b[12:14])
	for (t == etherVLAN || t == etherQinQ || t == etherQinQ2) && len(b) >= off+4 {
		t = binary.BigEndian.Uint16(b[off+2 : off+4])
		off += 4
	}
	if t != etherARP || len(b) < off+28 {
		return false
	}
	a := b[off:]
	op := binary.BigEndian.Uint16(a[6:8])
	return binary.BigEndian.Uint16(a[0:2]) == 1 && binary.BigEndian.Uint16(a[2:4]) == etherIPv4 &&
		a[4] == 6 && a[5] == 4 && (op == 1 || op == 2)
}

// exactFrame reports whether b is a whole network frame, beyond doubt: a
// link-layer header (or none) and an IPv4 or IPv6 packet whose length
// fields account for every byte (Ethernet's padding of short frames
// aside), with a valid header checksum or a well-formed TCP header; or an
// ARP frame. tcpPayload's scoring is for input known to hold packets; this
// is for telling a frame from other bytes.
func exactFrame(b []byte) bool {
	if isARP(b) {
		return true
	}
	for _, link := range linkFramings {
		ip, version := link(b)
		if len(ip) == 0 {
			continue
		}
		// Ethernet pads frames to 60 bytes; what follows the IP packet
		// is then not part of it.
		padded := len(b) <= 60
		if v := int(ip[0] >> 4); (version == 0 || v == version) && exactIP(ip, v, padded) {
			return true
		}
	}
	return false
}

func exactIP(b []byte, version int, padded bool) bool {
	fits := func(n int) bool { return n == len(b) || padded && n < len(b) }
	switch version {
	case 4:
		if len(b) < 20 {
			return false
		}
		ihl, total := int(b[0]&0x0f)*4, int(binary.BigEndian.Uint16(b[2:4]))
		if ihl < 20 || total < ihl || !fits(total) {
			return false
		}
		ip, ok := parseIPv4(b)
		return ok && (checksum16(b[:ihl]) == 0xffff || ip.tcp && wellFormedTCP(ip.segment))
	case 6:
		if len(b) < 40 || !fits(40+int(binary.BigEndian.Uint16(b[4:6]))) {
			return false
		}
		ip, ok := parseIPv6(b)
		return ok && ip.problem == "" && (!ip.tcp || wellFormedTCP(ip.segment))
	}
	return false
}

func wellFormedTCP(seg []byte) bool {
	_, problem := tcpSegmentPayload(seg)
	return problem == ""
}

// linkFramings strip a link-layer header, returning what follows and the IP
// version it announces (0: either), or nil. Raw IP comes first, so on a
// tie the shorter reading (tcpdump -X) wins.
var linkFramings = [...]func([]byte) ([]byte, int){
	rawIP, ethernet, linuxSLL, linuxSLL2, bsdLoopback,
}

// EtherTypes, IEEE 802.3 and IANA.
const (
	etherIPv4  = 0x0800
	etherIPv6  = 0x86dd
	etherARP   = 0x0806
	etherVLAN  = 0x8100 // 802.1Q
	etherQinQ  = 0x88a8 // 802.1ad
	etherQinQ2 = 0x9100 // pre-standard double tagging
)

func etherIPVersion(t uint16) int {
	switch t {
	case etherIPv4:
		return 4
	case etherIPv6:
		return 6
	}
	return -1
}

func rawIP(b []byte) ([]byte, int) {
	return b, 0
}

// ethernet strips an Ethernet II header and any VLAN tags.
func ethernet(b []byte) ([]byte, int) {
	if len(b) < 14 {
		return nil, 0
	}
	off, t := 14, binary.BigEndian.Uint16(b[12:14])
	for (t == etherVLAN || t == etherQinQ || t == etherQinQ2) && len(b) >= off+4 {
		t = binary.BigEndian.Uint16(b[off+2 : off+4])
		off += 4
	}
	if v := etherIPVersion(t); v > 0 {
		return b[off:], v
	}
	return nil, 0
}

// linuxSLL strips the 16-byte header of captures on Linux's "any" device
// (LINKTYPE_LINUX_SLL), whose protocol field is an EtherType.
func linuxSLL(b []byte) ([]byte, int) {
	if len(b) < 16 {
		return nil, 0
	}
	if v := etherIPVersion(binary.BigEndian.Uint16(b[14:16])); v > 0 {
		return b[16:], v
	}
	return nil, 0
}

// linuxSLL2 strips the 20-byte LINKTYPE_LINUX_SLL2 header that tcpdump 4.99
// uses for "any"; its protocol field comes first.
func linuxSLL2(b []byte) ([]byte, int) {
	if len(b) < 20 {
		return nil, 0
	}
	if v := etherIPVersion(binary.BigEndian.Uint16(b[0:2])); v > 0 {
		return b[20:], v
	}
	return nil, 0
}

// bsdLoopback strips the 4-byte address family of BSD and macOS loopback
// captures (LINKTYPE_NULL in host order, LINKTYPE_LOOP in network order).
// AF_INET6 differs between the BSDs: 24, 28 or 30.
func bsdLoopback(b []byte) ([]byte, int) {
	if len(b) < 4 {
		return nil, 0
	}
	family := uint32(0x100)
	switch {
	case b[1] == 0 && b[2] == 0 && b[3] == 0:
		family = uint32(b[0])
	case b[0] == 0 && b[1] == 0 && b[2] == 0:
		family = uint32(b[3])
	}
	switch family {
	case 2:
		return b[4:], 4
	case 24, 28, 30:
		return b[4:], 6
	}
	return nil, 0
}

// ipPacket is one reading of bytes as an IP packet.
type ipPacket struct {
	src, dst [16]byte // addresses; IPv4 in the first four bytes
	segment  []byte   // what follows the IP headers
	tcp      bool     // segment starts a TCP segment
	problem  string   // the headers are there but damaged
	// score ranks readings: one point each for lengths that fit the
	// bytes, a correct IPv4 header checksum, and a well-formed TCP header.
	score int
}

// parseIP reads an IPv4 or IPv6 packet; version 0 accepts either. It
// reports false when b does not start with a plausible IP header.
func parseIP(b []byte, version int) (ipPacket, bool) {
	if len(b) == 0 {
		return ipPacket{}, false
	}
	v := int(b[0] >> 4)
	if version != 0 && v != version {
		return ipPacket{}, false
	}
	var ip ipPacket
	var ok bool
	switch v {
	case 4:
		ip, ok = parseIPv4(b)
	case 6:
		ip, ok = parseIPv6(b)
	}
	if ok && ip.tcp && ip.problem == "" {
		if _, problem := tcpSegmentPayload(ip.segment); problem == "" {
			ip.score++
		}
	}
	return ip, ok
}

// parseIPv4 honours the header length and the total length (RFC 791), so
// Ethernet padding after a short packet is not taken for payload.
func parseIPv4(b []byte) (ipPacket, bool) {
	if len(b) < 20 {
		return ipPacket{}, false
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if total == 0 {
		// TCP segmentation offload leaves 0 in captures of sent packets.
		total = len(b)
	}
	if ihl < 20 || total < ihl || len(b) < ihl {
		return ipPacket{}, false
	}
	ip := ipPacket{}
	copy(ip.src[:], b[12:16])
	copy(ip.dst[:], b[16:20])
	if total <= len(b) {
		ip.score++
	}
	if checksum16(b[:ihl]) == 0xffff {
		ip.score++
	}
	ip.segment = b[ihl:min(total, len(b))]
	fragOffset := binary.BigEndian.Uint16(b[6:8]) & 0x1fff
	ip.tcp = b[9] == protoTCP && fragOffset == 0
	return ip, true
}

// IPv6 next-header values (IANA protocol numbers).
const (
	protoHopByHop = 0
	protoTCP      = 6
	protoRouting  = 43
	protoFragment = 44
	protoAH       = 51
	protoDestOpts = 60
)

// parseIPv6 honours the payload length and walks the extension headers of
// RFC 8200 §4 and the authentication header of RFC 4302 to the TCP header.
// ESP and unknown headers end the walk: what follows cannot be read.
func parseIPv6(b []byte) (ipPacket, bool) {
	if len(b) < 40 {
		return ipPacket{}, false
	}
	ip := ipPacket{}
	copy(ip.src[:], b[8:24])
	copy(ip.dst[:], b[24:40])
	body := b[40:]
	// A payload length of 0 means a jumbogram, whose length is in a
	// hop-by-hop option; take what was captured.
	if plen := int(binary.BigEndian.Uint16(b[4:6])); plen != 0 && plen <= len(body) {
		body = body[:plen]
		ip.score++
	}
	next := b[6]
	for {
		var n int
		switch next {
		case protoTCP:
			ip.segment, ip.tcp = body, true
			return ip, true
		case protoHopByHop, protoRouting, protoDestOpts:
			if len(body) >= 2 {
				n = (int(body[1]) + 1) * 8 // 8-octet units, not counting the first 8
			}
		case protoFragment:
			if len(body) >= 8 && binary.BigEndian.Uint16(body[2:4])>>3 != 0 {
				return ip, true // a later fragment: no TCP header here
			}
			n = 8
		case protoAH:
			if len(body) >= 2 {
				n = (int(body[1]) + 2) * 4 // 4-octet units, minus 2
			}
		default:
			return ip, true
		}
		if n == 0 || len(body) < n {
			ip.problem = fmt.Sprintf("IPv6 extension header %d is truncated", next)
			return ip, true
		}
		next, body = body[0], body[n:]
	}
}

// tcpSegmentPayload honours the TCP data offset (RFC 9293 §3.1).
func tcpSegmentPayload(seg []byte) ([]byte, string) {
	if len(seg) < 20 {
		return nil, fmt.Sprintf("TCP header is truncated: %d bytes, at least 20 needed", len(seg))
	}
	off := int(seg[12]>>4) * 4
	if off < 20 {
		return nil, fmt.Sprintf("TCP data offset %d is below the minimum of 5", off/4)
	}
	if off > len(seg) {
		return nil, fmt.Sprintf("TCP header of %d bytes is longer than the %d bytes there", off, len(seg))
	}
	return seg[off:], ""
}

// checksum16 is the ones' complement sum of RFC 1071; over an IPv4 header
// with its checksum field it is 0xffff when the checksum is right.
func checksum16(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}
