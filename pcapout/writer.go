// Package pcapout writes a live MQTT session as a pcap file that tshark,
// Wireshark and `mqtap decode` open: each packet's bytes become TCP
// payload under synthetic Ethernet and IP headers carrying the session's
// real addresses and ports, with sequence numbers that run from a
// synthetic handshake, so TCP analysis and reassembly work.
package pcapout

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// maxSegment is the largest TCP payload per frame; bigger MQTT packets are
// split, as TCP would, and reassembled by the reader.
const maxSegment = 16384

// The MAC addresses of the two synthetic interfaces (locally administered).
var (
	clientMAC = net.HardwareAddr{0x02, 0, 0, 0, 0, 1}
	serverMAC = net.HardwareAddr{0x02, 0, 0, 0, 0, 2}
)

// Writer writes one TCP conversation between a client and a server.
type Writer struct {
	bw             *bufio.Writer
	pw             *pcapgo.Writer
	client, server *net.TCPAddr
	cliSeq, srvSeq uint32 // next sequence number each side sends
	ipID           uint16
	buf            gopacket.SerializeBuffer
}

// NewWriter writes the pcap file header to w.
func NewWriter(w io.Writer) (*Writer, error) {
	bw := bufio.NewWriter(w)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	return &Writer{bw: bw, pw: pw, buf: gopacket.NewSerializeBuffer()}, nil
}

// tcpAddr reads an address as TCP; a non-TCP address (a test pipe) maps to
// loopback with a fixed port.
func tcpAddr(a net.Addr, port int) *net.TCPAddr {
	if t, ok := a.(*net.TCPAddr); ok {
		return t
	}
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
}

// Packet records payload sent at t, by the client when fromClient. The
// first call fixes the endpoints and writes the TCP handshake.
func (w *Writer) Packet(t time.Time, fromClient bool, local, remote net.Addr, payload []byte) error {
	if w.client == nil {
		w.client, w.server = tcpAddr(local, 50000), tcpAddr(remote, 1883)
		w.cliSeq, w.srvSeq = 0, 0
		hs := t.Add(-time.Microsecond)
		if err := w.segment(hs, true, flagSYN, nil); err != nil {
			return err
		}
		if err := w.segment(hs, false, flagSYN|flagACK, nil); err != nil {
			return err
		}
		if err := w.segment(hs, true, flagACK, nil); err != nil {
			return err
		}
	}
	for first := true; first || len(payload) > 0; first = false {
		n := min(len(payload), maxSegment)
		if err := w.segment(t, fromClient, flagACK|flagPSH, payload[:n]); err != nil {
			return err
		}
		payload = payload[n:]
	}
	return nil
}

const (
	flagSYN = 1 << iota
	flagACK
	flagPSH
	flagFIN
)

// segment writes one frame. SYN and FIN take a sequence number each.
func (w *Writer) segment(t time.Time, fromClient bool, flags int, payload []byte) error {
	src, dst := w.client, w.server
	srcMAC, dstMAC := clientMAC, serverMAC
	seq, ack := &w.cliSeq, w.srvSeq
	if !fromClient {
		src, dst, srcMAC, dstMAC = dst, src, dstMAC, srcMAC
		seq, ack = &w.srvSeq, w.cliSeq
	}
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(src.Port), DstPort: layers.TCPPort(dst.Port),
		Seq: *seq, Ack: ack, Window: 65535,
		SYN: flags&flagSYN != 0, ACK: flags&flagACK != 0, PSH: flags&flagPSH != 0, FIN: flags&flagFIN != 0,
	}
	if !tcp.ACK {
		tcp.Ack = 0
	}
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC}
	var ip gopacket.SerializableLayer
	w.ipID++
	if s4, d4 := src.IP.To4(), dst.IP.To4(); s4 != nil && d4 != nil {
		eth.EthernetType = layers.EthernetTypeIPv4
		ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: w.ipID, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocolTCP, SrcIP: s4, DstIP: d4}
		tcp.SetNetworkLayerForChecksum(ip4)
		ip = ip4
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: src.IP.To16(), DstIP: dst.IP.To16()}
		tcp.SetNetworkLayerForChecksum(ip6)
		ip = ip6
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(w.buf, opts, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		return fmt.Errorf("pcap: %w", err)
	}
	data := w.buf.Bytes()
	*seq += uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		*seq++
	}
	ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
	return w.pw.WritePacket(ci, data)
}

// Close writes the FIN exchange (if the conversation started) and flushes.
func (w *Writer) Close(t time.Time) error {
	if w.client != nil {
		if err := w.segment(t, true, flagFIN|flagACK, nil); err != nil {
			return err
		}
		if err := w.segment(t, false, flagFIN|flagACK, nil); err != nil {
			return err
		}
		if err := w.segment(t, true, flagACK, nil); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}
