package pcapout

import (
	"encoding/binary"
	"fmt"
	"net"
)

// The MAC addresses of the two synthetic interfaces (locally administered).
var (
	clientMAC = [6]byte{0x02, 0, 0, 0, 0, 1}
	serverMAC = [6]byte{0x02, 0, 0, 0, 0, 2}
)

// TCP flag bits as they sit in the header's flags byte.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagPSH = 0x08
	flagACK = 0x10
)

const (
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	protoTCP      = 6
	hopLimit      = 64     // IPv4 TTL and IPv6 hop limit
	window        = 65535  // TCP window, never scaled
	ipv4DF        = 0x4000 // IPv4 flags/fragment word: Don't Fragment
	minFrameLen   = 60     // Ethernet minimum without FCS: shorter frames are zero-padded
)

// tcpSegment is the TCP header of a frame: 20 bytes, no options.
type tcpSegment struct {
	srcPort, dstPort uint16
	seq, ack         uint32
	flags            uint8
	payload          []byte
}

// appendFrame appends an Ethernet frame carrying seg over IPv4 when both
// addresses are IPv4 (or IPv4-mapped), otherwise over IPv6.
func appendFrame(b []byte, srcMAC, dstMAC [6]byte, srcIP, dstIP net.IP, ipID uint16, seg *tcpSegment) ([]byte, error) {
	start := len(b)
	s4, d4 := srcIP.To4(), dstIP.To4()
	v4 := s4 != nil && d4 != nil
	if !v4 {
		s4, d4 = srcIP.To16(), dstIP.To16()
		if s4 == nil {
			return b, fmt.Errorf("pcap: invalid source IPv6 address %v", srcIP)
		}
		if d4 == nil {
			return b, fmt.Errorf("pcap: invalid destination IPv6 address %v", dstIP)
		}
	}
	b = append(b, dstMAC[:]...)
	b = append(b, srcMAC[:]...)
	tcpLen := 20 + len(seg.payload)
	var pseudo uint32
	if v4 {
		b = binary.BigEndian.AppendUint16(b, etherTypeIPv4)
		ip := len(b)
		b = append(b, 0x45, 0) // version 4, 5-word header; TOS 0
		b = binary.BigEndian.AppendUint16(b, uint16(20+tcpLen))
		b = binary.BigEndian.AppendUint16(b, ipID)
		b = binary.BigEndian.AppendUint16(b, ipv4DF)
		b = append(b, hopLimit, protoTCP, 0, 0)
		b = append(b, s4...)
		b = append(b, d4...)
		binary.BigEndian.PutUint16(b[ip+10:], fold(sum16(0, b[ip:])))
		pseudo = sum16(sum16(0, s4), d4)
	} else {
		b = binary.BigEndian.AppendUint16(b, etherTypeIPv6)
		b = append(b, 0x60, 0, 0, 0) // version 6, traffic class and flow label 0
		b = binary.BigEndian.AppendUint16(b, uint16(tcpLen))
		b = append(b, protoTCP, hopLimit)
		b = append(b, s4...)
		b = append(b, d4...)
		pseudo = sum16(sum16(0, s4), d4)
	}
	// The pseudo-header's protocol and TCP length words, as RFC 793 and
	// RFC 8200 section 8.1 add them.
	pseudo += protoTCP + uint32(tcpLen)&0xffff + uint32(tcpLen)>>16

	th := len(b)
	b = binary.BigEndian.AppendUint16(b, seg.srcPort)
	b = binary.BigEndian.AppendUint16(b, seg.dstPort)
	b = binary.BigEndian.AppendUint32(b, seg.seq)
	b = binary.BigEndian.AppendUint32(b, seg.ack)
	b = append(b, 5<<4, seg.flags) // 5-word header
	b = binary.BigEndian.AppendUint16(b, window)
	b = append(b, 0, 0, 0, 0) // checksum (below), urgent pointer
	b = append(b, seg.payload...)
	binary.BigEndian.PutUint16(b[th+16:], fold(sum16(pseudo, b[th:])))

	for len(b)-start < minFrameLen {
		b = append(b, 0)
	}
	return b, nil
}

// sum16 adds b to sum as big-endian 16-bit words, an odd last byte padded
// with zero: the one's complement sum of RFC 1071, not yet folded.
func sum16(sum uint32, b []byte) uint32 {
	s := uint64(sum)
	for len(b) >= 2 {
		s += uint64(b[0])<<8 | uint64(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	for s > 0xffffffff {
		s = s>>16 + s&0xffff
	}
	return uint32(s)
}

// fold folds the carries of a sum into 16 bits and complements it: the
// checksum field's value.
func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}
