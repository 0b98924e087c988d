package hexdump

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Dumps of whole frames made by tshark 4.0 from the shared captures
// (testdata/frames/gen.sh): each decodes to the TCP payloads of its frames,
// as tcpdump output does, whether parsed whole or streamed.
func TestFrameDumps(t *testing.T) {
	tests := []struct {
		file  string
		style Style
		// blocks says the blocks are the payload lines one for one; with
		// reassembled panes standing in for frames, only the bytes match.
		blocks bool
	}{
		{"v311-qos2-retain.dst.tshark-x", StyleWireshark, true},
		{"v5-qos1-properties.dst.tshark-x", StyleWireshark, true},
		{"v311-ipv6.dst.tshark-x", StyleWireshark, true},
		{"v311-will-auth.dst.tshark-x", StyleWireshark, true},
		{"v311-sub-ping.all.tshark-x", StyleWireshark, true},
		{"v5-qos1-properties.dst.wireshark-copy", StyleWireshark, true},
		{"v5-qos1-properties.dst.text2pcap", StyleOD, true},
		{"v5-qos1-properties.dst.ip-od", StyleOD, true},
		// The reassembled pane is skipped: the frames before hold its bytes.
		{"crafted-reassembly.all.tshark-x", StyleWireshark, true},
		// -Y mqtt: the pane fills in for the frames left out.
		{"crafted-reassembly.mqtt.tshark-x", StyleWireshark, false},
		{"crafted-reassembly.late.tshark-x", StyleWireshark, false},
		{"v5-big-payload.mqtt.tshark-x.gz", StyleWireshark, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text := frameFixture(t, tt.file)
			base := strings.TrimSuffix(strings.TrimSuffix(tt.file, ".gz"), filepath.Ext(strings.TrimSuffix(tt.file, ".gz")))
			want := hexLines(t, filepath.Join("frames", base+".payload"))
			style, blocks, err := Parse(text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if style != tt.style {
				t.Errorf("style = %q, want %q", style, tt.style)
			}
			if tt.blocks {
				assertBlocks(t, blocks, want)
			}
			if got, w := concat(blocks), bytes.Join(want, nil); !bytes.Equal(got, w) {
				t.Errorf("bytes differ:\n got %x\nwant %x", got, w)
			}
			var streamed bytes.Buffer
			style, err = Decode(&streamed, bytes.NewReader(text))
			if err != nil || style != tt.style || !bytes.Equal(streamed.Bytes(), bytes.Join(want, nil)) {
				t.Errorf("Decode: %q, %v, %d bytes, want the same as Parse", style, err, streamed.Len())
			}
		})
	}
}

func frameFixture(t *testing.T, name string) []byte {
	t.Helper()
	b := readFixture(t, filepath.Join("frames", name))
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// wiresharkDump prints packets as tshark -x does, one dump each.
func wiresharkDump(pkts ...[]byte) string {
	var sb strings.Builder
	for _, p := range pkts {
		sb.WriteString(dumpAt(0, p) + "\n")
	}
	return sb.String()
}

// dumpAt prints b as Wireshark does, from offset base.
func dumpAt(base int, b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		fmt.Fprintf(&sb, "%04x  % x\n", base+off, b[off:min(off+16, len(b))])
	}
	return sb.String()
}

// Telling a dump of frames from a dump of MQTT bytes: the first block
// decides, and it must be a frame beyond doubt.
func TestFrameDetection(t *testing.T) {
	publish := []byte{0x30, 0x05, 0x00, 0x01, 'a', 'h', 'i'}
	tcp := tcpSegment(publish, 0)
	v4 := ipv4Packet(protoTCP, 0, tcp)
	eth := ethernetFrame(v4, etherIPv4)
	v6 := ipv6Packet(protoTCP, tcp)
	sll := append([]byte{0, 0, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00}, v4...)
	short := ethernetFrame(ipv4Packet(protoTCP, 0, tcpSegment([]byte{0xe0, 0}, 0)), etherIPv4)
	padded := append(short, make([]byte, 60-len(short))...)
	arp := ethernetFrame(append([]byte{0, 1, 8, 0, 6, 4, 0, 1}, make([]byte, 20)...), etherARP)
	badSum := bytes.Clone(eth)
	badSum[14+10] ^= 0xff   // IPv4 header checksum
	badSum[14+20+12] = 0x40 // TCP data offset 4
	cut := eth[:len(eth)-1] // snap length: the IP length says one more
	ackOnly := ethernetFrame(ipv4Packet(protoTCP, 0, tcpSegment(nil, 0)), etherIPv4)
	// A PUBLISH (QoS 1, topic of 8 bytes, packet id 0x0800) whose payload
	// is an IPv4 packet: read from its start as Ethernet, the topic and
	// packet id are the MAC addresses and EtherType, and every length
	// agrees. It is also exactly one MQTT packet, so it stays MQTT.
	inner := ipv4Packet(protoTCP, 0, tcpSegment([]byte{0xe0, 0x00}, 0))
	framed := append([]byte{0x32, byte(2 + 8 + 2 + len(inner)), 0, 8, 's', 'e', 'n', 's', 'o', 'r', 0x08, 0x00}, inner...)

	tests := []struct {
		name string
		in   string
		want [][]byte // the blocks
	}{
		{"Ethernet, IPv4", wiresharkDump(eth), [][]byte{publish}},
		{"dump from the IP header", wiresharkDump(v4), [][]byte{publish}},
		{"IPv6", wiresharkDump(ipv6Packet(protoTCP, tcp)), [][]byte{publish}},
		{"IPv6 over Ethernet", wiresharkDump(ethernetFrame(v6, etherIPv6)), [][]byte{publish}},
		{"Linux cooked", wiresharkDump(sll), [][]byte{publish}},
		{"Ethernet padding to 60 bytes", wiresharkDump(padded, eth), [][]byte{{0xe0, 0}, publish}},
		{"ARP, then TCP", wiresharkDump(arp, eth), [][]byte{publish}},
		{"handshake first", wiresharkDump(ackOnly, eth, ackOnly, eth), [][]byte{publish, publish}},
		{"od, as text2pcap reads", "000000 " + strings.TrimSpace(fmt.Sprintf("% x", v4)) + "\n", [][]byte{publish}},
		// Not frames: the blocks are the bytes.
		{"MQTT bytes", wiresharkDump(publish, []byte{0xe0, 0}), [][]byte{publish, {0xe0, 0}}},
		{"a PUBLISH that reads as a frame", wiresharkDump(framed), [][]byte{framed}},
		{"lengths that do not add up", wiresharkDump(cut), [][]byte{cut}},
		{"bad checksum and TCP header", wiresharkDump(badSum), [][]byte{badSum}},
		{"a selection at an offset", dumpAt(0x36, v4), [][]byte{v4}},
		{"a reassembled pane on its own", "Reassembled TCP (7 bytes):\n" + wiresharkDump(eth), [][]byte{eth}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, blocks, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, tt.in)
			}
			if len(blocks) != len(tt.want) {
				t.Fatalf("%d blocks %x, want %d", len(blocks), concat(blocks), len(tt.want))
			}
			for i := range tt.want {
				if !bytes.Equal(blocks[i].Data, tt.want[i]) {
					t.Errorf("block %d = %x, want %x", i, blocks[i].Data, tt.want[i])
				}
			}
		})
	}
}

// Once the first block is a frame, every block must be one.
func TestFrameErrors(t *testing.T) {
	eth := ethernetFrame(ipv4Packet(protoTCP, 0, tcpSegment([]byte{0xe0, 0}, 0)), etherIPv4)
	ack := ethernetFrame(ipv4Packet(protoTCP, 0, tcpSegment(nil, 0)), etherIPv4)
	_, _, err := Parse([]byte(wiresharkDump(eth, []byte("not a frame at all, no"))))
	var pe *PacketError
	if !errors.As(err, &pe) || pe.Line != 6 || !strings.Contains(err.Error(), "no IPv4 or IPv6 header") {
		t.Errorf("err = %v, want a PacketError at line 6", err)
	}
	if _, _, err := Parse([]byte(wiresharkDump(ack, ack))); !errors.Is(err, ErrNoPayload) {
		t.Errorf("only ACKs: err = %v, want ErrNoPayload", err)
	}
}

// The reassembled pane fills the gap a display filter left, by TCP
// sequence numbers, whether or not the dump has the frame it starts in.
func TestReassembledPane(t *testing.T) {
	pdu := append([]byte{0x30, 0x1e, 0x00, 0x02, 'a', 'b'}, bytes.Repeat([]byte{'z'}, 26)...) // 32 bytes
	seg := func(seq uint32, data []byte) []byte {
		s := tcpSegment(data, 0)
		binary.BigEndian.PutUint32(s[4:], seq)
		return ethernetFrame(ipv4Packet(protoTCP, 0, s), etherIPv4)
	}
	// A CONNACK and 4 bytes of the PUBLISH; 20 left out; 8 and a PINGREQ.
	first := seg(100, append([]byte{0x20, 0x02, 0x00, 0x00}, pdu[:4]...))
	last := seg(100+8+20, append(bytes.Clone(pdu[24:]), 0xc0, 0x00))
	pane := func(b []byte) string {
		return fmt.Sprintf("Reassembled TCP (%d bytes):\n", len(b)) + wiresharkDump(b)
	}
	connack := []byte{0x20, 0x02, 0x00, 0x00}
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	ping := []byte{0xc0, 0x00}
	tests := []struct {
		name string
		in   string
		want []byte
	}{
		{"starts in a frame of the dump", wiresharkDump(first) + "Frame (1 bytes):\n" + wiresharkDump(last) + pane(pdu), join(connack, pdu, ping)},
		{"no frame of its stream before", "Frame (1 bytes):\n" + wiresharkDump(last) + pane(pdu), join(pdu, ping)},
		{"no gap: the pane is skipped", wiresharkDump(first, seg(108, pdu[4:24])) + "Frame (1 bytes):\n" + wiresharkDump(last) + pane(pdu), join(connack, pdu, ping)},
		{"a pane of other bytes is skipped", wiresharkDump(first) + "Frame (1 bytes):\n" + wiresharkDump(last) + pane([]byte{1, 2, 3}), join(connack, pdu[:4], pdu[24:], ping)},
		{"other panes are skipped", wiresharkDump(first) + "Decompressed (3 bytes):\n" + wiresharkDump([]byte{1, 2, 3}), join(connack, pdu[:4])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, blocks, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := concat(blocks); !bytes.Equal(got, tt.want) {
				t.Errorf("got  %x\nwant %x", got, tt.want)
			}
		})
	}
}

func TestOverlap(t *testing.T) {
	for _, tt := range []struct {
		r, p string
		want int
	}{
		{"abcdef", "defgh", 3},
		{"abcdef", "xyz", 0},
		{"aaaa", "aaaaaa", 4},
		{"aaaaab", "aaab", 4},
		{"aaaaab", "aaac", 0},
		{"abab", "ababab", 4},
		{"xabcab", "abcabz", 5},
		{"xabcab", "abzabc", 2},
		{"", "abc", 0},
	} {
		if got := overlap([]byte(tt.r), []byte(tt.p)); got != tt.want {
			t.Errorf("overlap(%q, %q) = %d, want %d", tt.r, tt.p, got, tt.want)
		}
	}
}

func TestIsMQTTRun(t *testing.T) {
	for _, tt := range []struct {
		hex  string
		want bool
	}{
		{"e000", true},
		{"e000c000", true},
		{"3205000161" + "0001", true},
		{"e001", false},   // length past the end
		{"e00000", false}, // a byte left over
		{"6000", false},   // PUBREL needs flags 2
		{"3600", false},   // QoS 3
		{"0000", false},   // type 0
		{"30ffffffff7f", false},
	} {
		if got := isMQTTRun(mustHex(t, tt.hex)); got != tt.want {
			t.Errorf("isMQTTRun(%s) = %v, want %v", tt.hex, got, tt.want)
		}
	}
}

// Wireshark's other "Copy as" forms of one whole frame (Hex Stream, C
// Arrays, Escaped String; plain, spaced, 0x and base64 alike) decode to
// its TCP payload; the same forms of MQTT bytes, or of a frame cut short,
// stay as they are.
func TestFrameCopies(t *testing.T) {
	publish := []byte{0x30, 0x05, 0x00, 0x01, 'a', 'h', 'i'}
	eth := ethernetFrame(ipv4Packet(protoTCP, 0, tcpSegment(publish, 0)), etherIPv4)
	v6 := ipv6Packet(protoTCP, tcpSegment(publish, 0))
	hexStream := func(b []byte) string { return fmt.Sprintf("%x", b) }
	cArray := func(b []byte) string {
		var s strings.Builder
		fmt.Fprintf(&s, "char pkt1[%d] = {\n", len(b))
		for i, c := range b {
			if i%8 == 0 && i > 0 {
				s.WriteString("\n")
			}
			fmt.Fprintf(&s, "0x%02x, ", c)
		}
		s.WriteString("};\n")
		return s.String()
	}
	escaped := func(b []byte) string {
		var s strings.Builder
		s.WriteByte('"')
		for _, c := range b {
			fmt.Fprintf(&s, "\\x%02x", c)
		}
		s.WriteString("\"\n")
		return s.String()
	}
	for _, tt := range []struct {
		name  string
		in    string
		style Style
		want  []byte
	}{
		{"hex stream of an Ethernet frame", hexStream(eth), StylePlain, publish},
		{"hex stream of an IPv6 packet", hexStream(v6), StylePlain, publish},
		{"C array of a frame", cArray(eth), StyleCArray, publish},
		{"escaped string of a frame", escaped(eth), StyleEscaped, publish},
		{"spaced bytes of a frame", fmt.Sprintf("% x\n", eth), StyleSpaced, publish},
		{"hex stream of MQTT bytes", hexStream(publish), StylePlain, publish},
		{"C array of MQTT bytes", cArray(publish), StyleCArray, publish},
		{"a frame cut short stays bytes", hexStream(eth[:len(eth)-1]), StylePlain, eth[:len(eth)-1]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			style, blocks, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, tt.in)
			}
			if style != tt.style {
				t.Errorf("style %q, want %q", style, tt.style)
			}
			if got := concat(blocks); !bytes.Equal(got, tt.want) {
				t.Errorf("bytes %x, want %x", got, tt.want)
			}
			var streamed bytes.Buffer
			if _, err := Decode(&streamed, strings.NewReader(tt.in)); err != nil || !bytes.Equal(streamed.Bytes(), tt.want) {
				t.Errorf("Decode: %x, %v; want %x", streamed.Bytes(), err, tt.want)
			}
		})
	}
	// A bad digit part way: what came before is passed on (the frame stage
	// holds a first block until it knows whether it is a frame), then the
	// error.
	var out bytes.Buffer
	long := []byte("\x30\x0f\x00\x0asensors/t1215")
	_, err := Decode(&out, strings.NewReader(hexStream(long)+"\n"+hexStream(long[:14])+"zz\n"))
	if err == nil || !bytes.Equal(out.Bytes(), append(bytes.Clone(long), long[:14]...)) {
		t.Errorf("bad line: %x, %v; want the bytes before it and an error", out.Bytes(), err)
	}
}

// A first block longer than any frame is passed on before its end: plain
// hex read from a pipe is not held back to find out whether it is a frame.
func TestLongFirstBlockNotHeld(t *testing.T) {
	pr, pw := io.Pipe()
	got := make(chan int, 1)
	out := &notifyWriter{first: got}
	done := make(chan error, 1)
	go func() {
		_, err := Decode(out, pr)
		done <- err
	}()
	line := strings.Repeat("e000", 16) + "\n" // 32 bytes of DISCONNECTs
	go func() {
		// 100 KiB: more than a frame and the emitter's buffer, far
		// less than the largest pane of a dump of frames.
		for i := 0; i < 3200; i++ {
			if _, err := pw.Write([]byte(line)); err != nil {
				return
			}
		}
	}()
	select {
	case n := <-got:
		if n == 0 {
			t.Error("empty first write")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no bytes passed on while the input stayed open")
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// notifyWriter reports the size of its first write.
type notifyWriter struct {
	first chan int
	once  bool
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	if !w.once {
		w.once = true
		w.first <- len(p)
	}
	return len(p), nil
}
