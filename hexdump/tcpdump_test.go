package hexdump

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The tests below build packets byte by byte and print them the way
// tcpdump -X does, to cover framings the real captures in testdata/tools
// do not have.

// tcpSegment builds a TCP header with optWords words of options (NOPs).
func tcpSegment(payload []byte, optWords int) []byte {
	h := make([]byte, 20+4*optWords)
	binary.BigEndian.PutUint16(h[0:], 58392)
	binary.BigEndian.PutUint16(h[2:], 1883)
	h[12] = byte(5+optWords) << 4
	h[13] = 0x18 // PSH, ACK
	for i := 20; i < len(h); i++ {
		h[i] = 1
	}
	return append(h, payload...)
}

// ipv4Packet builds an IPv4 header with optWords words of options and a
// correct checksum.
func ipv4Packet(proto byte, optWords int, body []byte) []byte {
	h := make([]byte, 20+4*optWords)
	h[0] = 0x40 | byte(5+optWords)
	binary.BigEndian.PutUint16(h[2:], uint16(len(h)+len(body)))
	h[8], h[9] = 64, proto
	copy(h[12:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
	for i := 20; i < len(h); i++ {
		h[i] = 1 // NOP options
	}
	binary.BigEndian.PutUint16(h[10:], ^checksum16(h))
	return append(h, body...)
}

func ipv6Packet(next byte, body []byte) []byte {
	h := make([]byte, 40)
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(body)))
	h[6], h[7] = next, 64
	h[23], h[39] = 1, 1 // ::1
	return append(h, body...)
}

// ipv6Ext builds an extension header of n 8-octet units.
func ipv6Ext(next byte, units int, body []byte) []byte {
	h := make([]byte, 8*units)
	h[0], h[1] = next, byte(units-1)
	return append(h, body...)
}

func ipv6Fragment(next byte, offset uint16, body []byte) []byte {
	h := make([]byte, 8)
	h[0] = next
	binary.BigEndian.PutUint16(h[2:], offset<<3|1)
	return append(h, body...)
}

func ethernetFrame(body []byte, etherTypes ...uint16) []byte {
	f := make([]byte, 12, 64)
	f[0], f[6] = 0x02, 0x02
	for _, t := range etherTypes {
		f = binary.BigEndian.AppendUint16(f, t)
		if t == etherVLAN || t == etherQinQ {
			f = append(f, 0, 42) // VLAN id
		}
	}
	return append(f, body...)
}

// tcpdumpX prints a packet as tcpdump -X does: 16 bytes a line in groups of
// two, then the ASCII column, with tcpdump's '.' for spaces.
func tcpdumpX(header string, pkt []byte) string {
	var sb strings.Builder
	if header != "" {
		sb.WriteString(header + "\n")
	}
	for off := 0; off < len(pkt); off += 16 {
		row := pkt[off:min(off+16, len(pkt))]
		var hexCol, ascii strings.Builder
		for i, c := range row {
			if i > 0 && i%2 == 0 {
				hexCol.WriteByte(' ')
			}
			fmt.Fprintf(&hexCol, "%02x", c)
			if c > ' ' && c < 0x7f {
				ascii.WriteByte(c)
			} else {
				ascii.WriteByte('.')
			}
		}
		fmt.Fprintf(&sb, "\t0x%04x:  %-39s  %s\n", off, hexCol.String(), ascii.String())
	}
	return sb.String()
}

const tcpdumpHeader = "20:51:33.730462 IP 127.0.0.1.58392 > 127.0.0.1.1883: Flags [P.], seq 1:3, ack 1, win 64, length 2"

func TestTcpdumpFramings(t *testing.T) {
	disconnect := []byte{0xe0, 0x00}
	v4 := ipv4Packet(protoTCP, 0, tcpSegment(disconnect, 3))
	v6 := ipv6Packet(protoTCP, tcpSegment(disconnect, 3))
	padded := append(ethernetFrame(v4, etherIPv4), 0xaa, 0xaa, 0xaa, 0xaa) // to Ethernet's 60-byte minimum
	tso := ipv4Packet(protoTCP, 0, tcpSegment(disconnect, 0))
	tso[2], tso[3] = 0, 0
	tests := []struct {
		name string
		pkt  []byte
		want []byte // nil: no block
	}{
		{"-X IPv4", v4, disconnect},
		{"-X IPv4 and TCP options", ipv4Packet(protoTCP, 2, tcpSegment(disconnect, 8)), disconnect},
		{"-X IPv6", v6, disconnect},
		{"-XX Ethernet padding dropped", padded, disconnect},
		{"-XX 802.1Q", ethernetFrame(v4, etherVLAN, etherIPv4), disconnect},
		{"-XX 802.1ad double tag", ethernetFrame(v6, etherQinQ, etherVLAN, etherIPv6), disconnect},
		{"-XX IPv6 over Ethernet", ethernetFrame(v6, etherIPv6), disconnect},
		{"IPv6 hop-by-hop and destination options", ipv6Packet(protoHopByHop, ipv6Ext(protoDestOpts, 1, ipv6Ext(protoTCP, 2, tcpSegment(disconnect, 0)))), disconnect},
		{"IPv6 routing and authentication headers", ipv6Packet(protoRouting, ipv6Ext(protoAH, 3, append([]byte{protoTCP, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, tcpSegment(disconnect, 0)...))), disconnect},
		{"IPv6 first fragment", ipv6Packet(protoFragment, ipv6Fragment(protoTCP, 0, tcpSegment(disconnect, 0))), disconnect},
		{"IPv6 later fragment", ipv6Packet(protoFragment, ipv6Fragment(protoTCP, 185, disconnect)), nil},
		{"Linux cooked", append([]byte{0, 0, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00}, v4...), disconnect},
		{"Linux cooked v2", append([]byte{0x86, 0xdd, 0, 0, 0, 0, 0, 1, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0}, v6...), disconnect},
		{"BSD loopback", append([]byte{2, 0, 0, 0}, v4...), disconnect},
		{"OpenBSD loopback IPv6", append([]byte{0, 0, 0, 24}, v6...), disconnect},
		{"segmentation offload total length 0", tso, disconnect},
		{"truncated by the snap length", v4[:len(v4)-1], disconnect[:1]},
		{"bare ACK", ipv4Packet(protoTCP, 0, tcpSegment(nil, 0)), nil},
		{"UDP", ipv4Packet(17, 0, make([]byte, 10)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A CONNECT first, so that the input always has a payload.
			in := tcpdumpX(tcpdumpHeader, ipv4Packet(protoTCP, 0, tcpSegment(mqttConnect, 0))) + tcpdumpX(tcpdumpHeader, tt.pkt)
			style, blocks, err := Parse([]byte(in))
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, in)
			}
			if style != StyleTcpdump {
				t.Errorf("style = %q", style)
			}
			want := []Block{{Data: mqttConnect, Line: 1}}
			if tt.want != nil {
				want = append(want, Block{Data: tt.want, Line: 3 + (len(mqttConnect)+39)/16})
			}
			assertSameBlocks(t, blocks, want)
		})
	}
}

func assertSameBlocks(t *testing.T, got, want []Block) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d blocks, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].Data, want[i].Data) || got[i].Line != want[i].Line {
			t.Errorf("block %d = %x at line %d, want %x at line %d", i, got[i].Data, got[i].Line, want[i].Data, want[i].Line)
		}
	}
}

// Without header lines, an offset back at 0x0000 starts the next packet;
// tcpdump -x has no ASCII column.
func TestTcpdumpWithoutHeaders(t *testing.T) {
	a := ipv4Packet(protoTCP, 0, tcpSegment(mqttConnect, 0))
	b := ipv4Packet(protoTCP, 0, tcpSegment([]byte{0xe0, 0}, 0))
	var in strings.Builder
	for _, l := range strings.Split(tcpdumpX("", a)+tcpdumpX("", b), "\n") {
		if i := strings.LastIndex(l, "  "); i > 0 {
			l = l[:i] // drop the ASCII column, as -x prints none
		}
		in.WriteString(l + "\n")
	}
	_, blocks, err := Parse([]byte(in.String()))
	if err != nil {
		t.Fatal(err)
	}
	assertSameBlocks(t, blocks, []Block{{Data: mqttConnect, Line: 1}, {Data: []byte{0xe0, 0}, Line: 4}})
}

func TestTcpdumpNoPayload(t *testing.T) {
	in := tcpdumpX(tcpdumpHeader, ipv4Packet(protoTCP, 0, tcpSegment(nil, 3)))
	style, blocks, err := Parse([]byte(in))
	if !errors.Is(err, ErrNoPayload) || style != StyleTcpdump || blocks != nil {
		t.Errorf("got %q, %d blocks, %v; want tcpdump and ErrNoPayload", style, len(blocks), err)
	}
}

func TestTcpdumpPacketErrors(t *testing.T) {
	shortTCP := ipv4Packet(protoTCP, 0, make([]byte, 12))
	badOffset := ipv4Packet(protoTCP, 0, tcpSegment(nil, 0))
	badOffset[20+12] = 0x40
	longOffset := ipv4Packet(protoTCP, 0, tcpSegment(nil, 0))
	longOffset[20+12] = 0xf0
	brokenExt := ipv6Packet(protoHopByHop, []byte{protoTCP, 3, 0, 0, 0, 0, 0, 0})
	tests := []struct {
		name string
		pkt  []byte
		msg  string
	}{
		{"not IP", []byte("0123456789abcdef0123456789abcdef0123456789abcdef"),
			"packet at line 1: no IPv4 or IPv6 header at the start of the packet or after an Ethernet, Linux cooked-mode or loopback header"},
		{"short TCP header", shortTCP, "packet at line 1: TCP header is truncated: 12 bytes, at least 20 needed"},
		{"TCP data offset below 5", badOffset, "packet at line 1: TCP data offset 4 is below the minimum of 5"},
		{"TCP data offset past the end", longOffset, "packet at line 1: TCP header of 60 bytes is longer than the 20 bytes there"},
		{"IPv6 extension truncated", brokenExt, "packet at line 1: IPv6 extension header 0 is truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tcpdumpX(tcpdumpHeader, tt.pkt)))
			var pe *PacketError
			if !errors.As(err, &pe) || err.Error() != tt.msg {
				t.Errorf("err = %v\nwant %s", err, tt.msg)
			}
		})
	}
}
