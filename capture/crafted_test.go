package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// seg describes one crafted TCP segment of a client(c)/server(s) exchange.
type seg struct {
	fromClient bool
	flags      uint16
	seq, ack   uint32 // relative to the ISNs below
	data       []byte
	win        uint16
	opts       []byte
}

const (
	cISN = 1000000
	sISN = 5000000
)

var synOpts = []byte{2, 4, 0xff, 0xd7, 4, 2, 1, 3, 3, 7, 1, 1}

// frameFor builds one frame on the given link type.
func frameFor(link layers.LinkType, v6, vlan bool, s seg) []byte {
	cIP4, sIP4 := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	cIP6 := []byte{0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	sIP6 := []byte{0x20, 0x01, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}
	sp, dp := uint16(40000), uint16(1883)
	seq, ack := s.seq+cISN, s.ack+sISN
	if !s.fromClient {
		sp, dp = dp, sp
		seq, ack = s.seq+sISN, s.ack+cISN
	}
	if s.flags&thACK == 0 {
		ack = 0
	}
	win := s.win
	if win == 0 {
		win = 512
	}
	opts := s.opts
	tcp := make([]byte, 20+len(opts))
	binary.BigEndian.PutUint16(tcp[0:], sp)
	binary.BigEndian.PutUint16(tcp[2:], dp)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	binary.BigEndian.PutUint16(tcp[12:], uint16(len(tcp)/4)<<12|s.flags)
	binary.BigEndian.PutUint16(tcp[14:], win)
	copy(tcp[20:], opts)
	tcp = append(tcp, s.data...)
	var ip []byte
	if v6 {
		ip = make([]byte, 40)
		ip[0] = 0x60
		binary.BigEndian.PutUint16(ip[4:], uint16(len(tcp)))
		ip[6], ip[7] = 6, 64
		src, dst := cIP6, sIP6
		if !s.fromClient {
			src, dst = dst, src
		}
		copy(ip[8:], src)
		copy(ip[24:], dst)
	} else {
		ip = make([]byte, 20)
		ip[0] = 0x45
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(tcp)))
		ip[6], ip[8], ip[9] = 0x40, 64, 6
		src, dst := cIP4, sIP4
		if !s.fromClient {
			src, dst = dst, src
		}
		copy(ip[12:], src)
		copy(ip[16:], dst)
	}
	pkt := append(ip, tcp...)
	et := uint16(etherIPv4)
	if v6 {
		et = etherIPv6
	}
	switch link {
	case layers.LinkTypeEthernet:
		h := []byte{0, 0, 0, 0x33, 0x44, 0x55, 0, 0, 0, 0x33, 0x44, 0x66}
		if vlan {
			h = append(h, 0x81, 0x00, 0x20, 0x64)
		}
		h = binary.BigEndian.AppendUint16(h, et)
		return append(h, pkt...)
	case layers.LinkTypeLinuxSLL:
		h := []byte{0, 0, 0, 1, 0, 6, 0, 0, 0, 0x33, 0x44, 0x66, 0, 0}
		h = binary.BigEndian.AppendUint16(h, et)
		return append(h, pkt...)
	case layers.LinkTypeLinuxSLL2:
		h := binary.BigEndian.AppendUint16(nil, et)
		h = append(h, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 0, 0, 0, 0x33, 0x44, 0x66, 0, 0)
		return append(h, pkt...)
	case layers.LinkTypeNull:
		fam := uint32(2)
		if v6 {
			fam = 30
		}
		return append(binary.LittleEndian.AppendUint32(nil, fam), pkt...)
	case layers.LinkTypeLoop: // OpenBSD: the family in network byte order
		fam := uint32(2)
		if v6 {
			fam = 24
		}
		return append(binary.BigEndian.AppendUint32(nil, fam), pkt...)
	default: // raw, IPv4, IPv6
		return pkt
	}
}

// writePcap writes segments as a pcap file, 1 ms apart.
func writePcap(t testing.TB, link layers.LinkType, v6, vlan bool, segs []seg) []byte {
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(65535, link); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, s := range segs {
		d := frameFor(link, v6, vlan, s)
		ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(d), Length: len(d)}
		if err := w.WritePacket(ci, d); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// mq builds an MQTT PUBLISH-like PDU with n payload bytes.
func mq(n int, fill byte) []byte {
	b := []byte{0x30}
	v := n
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v > 0 {
			b = append(b, c|0x80)
		} else {
			b = append(b, c)
			break
		}
	}
	return append(b, bytes.Repeat([]byte{fill}, n)...)
}

func handshake() []seg {
	return []seg{
		{fromClient: true, flags: thSYN, seq: 0, opts: synOpts},
		{fromClient: false, flags: thSYN | thACK, seq: 0, ack: 1, opts: synOpts},
		{fromClient: true, flags: thACK, seq: 1, ack: 1},
	}
}

func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

type craftedCase struct {
	name string
	link layers.LinkType
	v6   bool
	vlan bool
	segs []seg
	pdus [][]byte // expected PDUs (in order) over the whole capture
	// malformed lists the frames (1-based) whose PDU length tshark could
	// not read (Packet.Malformed).
	malformed []int
}

func craftedCases() []craftedCase {
	p1, p2, p3 := mq(10, 'a'), mq(300, 'b'), mq(5, 'c')
	big := mq(5000, 'd')
	hs := handshake()
	with := func(extra ...seg) []seg { return append(append([]seg(nil), hs...), extra...) }
	C := func(seq uint32, data []byte) seg {
		return seg{fromClient: true, flags: thACK | thPSH, seq: seq, ack: 1, data: data}
	}
	S := func(ack uint32) seg { return seg{fromClient: false, flags: thACK, seq: 1, ack: ack} }
	all := cat(p1, p2, p3)
	return []craftedCase{
		{name: "several-pdus-one-segment", link: layers.LinkTypeEthernet,
			segs: with(C(1, all), S(1+uint32(len(all)))), pdus: [][]byte{p1, p2, p3}},
		{name: "pdu-split-3", link: layers.LinkTypeEthernet,
			segs: with(C(1, big[:1000]), C(1001, big[1000:3000]), C(3001, big[3000:]), S(1+uint32(len(big)))), pdus: [][]byte{big}},
		// The remaining length split after its first byte: tshark asks
		// for one more segment after "0x30", then its length function
		// throws on "0x30 0xac", whose varint runs past the bytes; the
		// third segment is parsed afresh (three 100-byte PDUs of garbage
		// and one byte left).
		{name: "split-header-byte", link: layers.LinkTypeEthernet,
			segs: with(C(1, p2[:1]), C(2, p2[1:2]), C(3, p2[2:])),
			pdus: [][]byte{cat([]byte{2}, p2[3:102]), p2[102:202], p2[202:302]}, malformed: []int{5}},
		// Remaining lengths as tcp_dissect_pdus takes them: modulo 2^32
		// (five bytes ff ff ff ff 7f make 0x7ffffffff, so a PDU of 5
		// bytes), 0 meaning one more segment, less than 2 or a varint
		// that runs past the segment an exception (malformed, the rest of
		// the segment dropped).
		{name: "length-wraps", link: layers.LinkTypeEthernet,
			segs: with(C(1, []byte{0x30, 0xff, 0xff, 0xff, 0xff, 0x7f}), C(7, []byte{0xe0, 0})),
			pdus: [][]byte{{0x30, 0xff, 0xff, 0xff, 0xff}}},
		{name: "length-runs-out", link: layers.LinkTypeEthernet,
			segs: with(C(1, []byte{0x30, 0xff})), malformed: []int{4}},
		{name: "length-runs-out-after-pdu", link: layers.LinkTypeEthernet,
			segs: with(C(1, []byte{0xe0, 0, 0x30, 0xff, 0xff}), C(6, []byte{0xe0, 0})),
			pdus: [][]byte{{0xe0, 0}, {0xe0, 0}}, malformed: []int{4}},
		{name: "length-too-small", link: layers.LinkTypeEthernet,
			segs: with(C(1, []byte{0x30, 0xfb, 0xff, 0xff, 0xff, 0x0f, 0xe0, 0}), C(9, []byte{0xe0, 0})),
			pdus: [][]byte{{0xe0, 0}}, malformed: []int{4}},
		{name: "length-zero", link: layers.LinkTypeEthernet,
			segs: with(C(1, []byte{0x30, 0xfa, 0xff, 0xff, 0xff, 0x0f}), C(7, []byte{0xe0, 0}), C(9, []byte{0xe0, 0}))},
		// The Info column of a segment that starts a PDU or whose PDU
		// length cannot be read, after TCP analysis flags.
		{name: "hole-then-pdu-start", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1), C(1+uint32(len(p1))+5, p2[:50])), pdus: [][]byte{p1}},
		{name: "acked-unseen-then-pdu-start", link: layers.LinkTypeEthernet,
			segs: with(seg{fromClient: true, flags: thACK | thPSH, seq: 1, ack: 50, data: p2[:50]})},
		{name: "hole-then-malformed", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1), C(1+uint32(len(p1))+5, []byte{0x30, 0xff})), pdus: [][]byte{p1}, malformed: []int{5}},
		// Out of order inside a PDU (tshark does not reassemble out of
		// order, but a segment after a hole joins the multi-segment PDU
		// whose sequence range holds it): the out-of-order segment
		// completes the PDU, which is shown reassembled but not
		// dissected; the next PDU is read afresh.
		{name: "out-of-order-in-pdu", link: layers.LinkTypeEthernet,
			segs: with(C(1, p2[:100]), C(201, p2[200:]), C(101, p2[100:200]), C(1+uint32(len(p2)), p1)), pdus: [][]byte{p1}},
		// The same with the hole filled later than the initial RTT: a
		// retransmission, which tshark shows as such and does not add to
		// the PDU, which never completes.
		{name: "retransmission-in-pdu", link: layers.LinkTypeEthernet,
			segs: with(C(1, p2[:100]), C(201, p2[200:]), S(101), C(101, p2[100:200]), C(1+uint32(len(p2)), p1)), pdus: [][]byte{p1}},
		// Pairs of segments swapped from the start: the first segment
		// after the hole is read afresh (a garbage PDU start), the next
		// ones join it, the ones before them fill its holes.
		{name: "pairs-swapped", link: layers.LinkTypeEthernet,
			segs: with(C(21, big[20:40]), C(1, big[:20]), C(61, big[60:80]), C(41, big[40:60]), C(101, big[100:120]), C(81, big[80:100]))},
		// A segment after a hole that runs past the end of the PDU it
		// joins: the rest is read afresh (a PDU of garbage, then the
		// start of another), the Protocol column stays TCP.
		{name: "hole-segment-runs-past-pdu", link: layers.LinkTypeEthernet,
			segs: with(C(21, big[20:40]), C(101, big[100:300])), pdus: [][]byte{big[122:224]}},
		// A PDU in so many segments that the "[N Reassembled TCP
		// Segments ...]" label is cut at tshark's 240-byte buffer.
		{name: "many-segments", link: layers.LinkTypeEthernet,
			segs: with(splitSegs(big, 1, 60)...), pdus: [][]byte{big}},
		{name: "length-one-more-segment", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1[:1]), C(2, p1[1:4]), C(5, p1[4:8]), C(9, p1[8:])), pdus: [][]byte{p1}},
		{name: "split-then-more", link: layers.LinkTypeEthernet,
			segs: with(C(1, p2[:100]), C(101, cat(p2[100:], p1, p3[:3])), C(101+uint32(len(p2)-100+len(p1)+3), p3[3:])),
			pdus: [][]byte{p2, p1, p3}},
		{name: "retransmission", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1), C(1, p1), C(1+uint32(len(p1)), p3)), pdus: [][]byte{p1, p3}},
		{name: "retransmission-after-ack", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1), S(1+uint32(len(p1))), C(1, p1), C(1+uint32(len(p1)), p3)), pdus: [][]byte{p1, p3}},
		{name: "out-of-order", link: layers.LinkTypeEthernet,
			segs: with(C(1, p1), C(1+uint32(len(p1)+len(p2)), p3), C(1+uint32(len(p1)), p2)), pdus: [][]byte{p1, p3}},
		{name: "tail-incomplete", link: layers.LinkTypeEthernet,
			segs: with(C(1, cat(p1, p2[:50])), seg{fromClient: true, flags: thACK | thFIN, seq: 1 + uint32(len(p1)+50), ack: 1}), pdus: [][]byte{p1}},
		{name: "sll", link: layers.LinkTypeLinuxSLL, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "sll2", link: layers.LinkTypeLinuxSLL2, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "null", link: layers.LinkTypeNull, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "raw", link: layers.LinkTypeRaw, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "loop", link: layers.LinkTypeLoop, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "loop-ipv6", link: layers.LinkTypeLoop, v6: true, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "ipv4", link: layers.LinkTypeIPv4, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "ipv6", link: layers.LinkTypeIPv6, v6: true, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "vlan", link: layers.LinkTypeEthernet, vlan: true, segs: with(C(1, p1), S(1+uint32(len(p1)))), pdus: [][]byte{p1}},
		{name: "ipv6-split", link: layers.LinkTypeEthernet, v6: true,
			segs: with(C(1, big[:2000]), C(2001, big[2000:]), S(1+uint32(len(big)))), pdus: [][]byte{big}},
		{name: "midstream", link: layers.LinkTypeEthernet,
			segs: []seg{C(100, p1), S(100 + uint32(len(p1))), C(100+uint32(len(p1)), p3)}, pdus: [][]byte{p1, p3}},
	}
}

// splitSegs cuts data into client segments of n bytes from seq on.
func splitSegs(data []byte, seq uint32, n int) []seg {
	var out []seg
	for len(data) > 0 {
		k := min(n, len(data))
		out = append(out, seg{fromClient: true, flags: thACK | thPSH, seq: seq, ack: 1, data: data[:k]})
		seq += uint32(k)
		data = data[k:]
	}
	return out
}

// TestReassembledLabelLength checks where the label of a reassembly of
// many segments is cut: 239 bytes from after its '[', as tshark's
// ITEM_LABEL_LENGTH buffer keeps, then the closing ']'.
func TestReassembledLabelLength(t *testing.T) {
	for _, tc := range []struct {
		frags int
		want  string
	}{
		{3, "[3 Reassembled TCP Segments (300 bytes): #1(100), #2(100), #3(100)]"},
		{141, "[141 Reassembled TCP Segments (14100 bytes): #1(100), #2(100), #3(100), #4(100), #5(100), #6(100), #7(100), #8(100), #9(100), " +
			"#10(100), #11(100), #12(100), #13(100), #14(100), #15(100), #16(100), #17(100), #18(100), #19(100), #20(100), #21(]"},
	} {
		var frags []fragRef
		for i := 1; i <= tc.frags; i++ {
			frags = append(frags, fragRef{i, 100})
		}
		got := preludeSections(frags, make([]byte, 100*tc.frags))[0].Lines[0]
		if got != tc.want || len(got) > 241 {
			t.Errorf("%d segments: got %q (%d bytes), want %q (%d bytes)", tc.frags, got, len(got), tc.want, len(tc.want))
		}
	}
}

func readAll(t testing.TB, data []byte, opt Options) []*Packet {
	r, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []*Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Sections() // keep the text, which Next reuses
		cp := *p
		cp.PDUs = append([]PDU(nil), p.PDUs...)
		for i := range cp.PDUs {
			cp.PDUs[i].Data = bytes.Clone(cp.PDUs[i].Data)
		}
		out = append(out, &cp)
	}
}

// TestCrafted checks desegmentation on hand-made captures: the PDUs found,
// no duplicates or garbage from retransmissions and out-of-order segments.
func TestCrafted(t *testing.T) {
	for _, tc := range craftedCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := writePcap(t, tc.link, tc.v6, tc.vlan, tc.segs)
			pkts := readAll(t, data, Options{PDULen: mqttLen})
			var got [][]byte
			var malformed []int
			for _, p := range pkts {
				for _, pdu := range p.PDUs {
					got = append(got, pdu.Data)
				}
				if p.Malformed {
					malformed = append(malformed, p.Number)
				}
			}
			if fmt.Sprint(malformed) != fmt.Sprint(tc.malformed) {
				t.Errorf("malformed frames %v, want %v", malformed, tc.malformed)
			}
			if len(got) != len(tc.pdus) {
				t.Fatalf("got %d PDUs, want %d", len(got), len(tc.pdus))
			}
			for i := range got {
				if !bytes.Equal(got[i], tc.pdus[i]) {
					t.Errorf("PDU %d differs (len %d, want %d)", i, len(got[i]), len(tc.pdus[i]))
				}
			}
		})
	}
}
