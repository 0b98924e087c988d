// Package pcapout writes a live MQTT session as a pcap file that tshark,
// Wireshark and `mqtap decode` open: each packet's bytes become TCP
// payload under synthetic Ethernet and IP headers carrying the session's
// real addresses and ports, with sequence numbers that run from a
// synthetic handshake, so TCP analysis and reassembly work.
package pcapout

import (
	"bufio"
	"io"
	"net"
	"time"
)

// maxSegment is the largest TCP payload per frame; bigger MQTT packets are
// split, as TCP would, and reassembled by the reader.
const maxSegment = 16384

// Writer writes one TCP conversation between a client and a server.
type Writer struct {
	bw             *bufio.Writer
	client, server *net.TCPAddr
	cliSeq, srvSeq uint32 // next sequence number each side sends
	ipID           uint16
	rec            []byte // the record being built, reused
}

// NewWriter writes the pcap file header to w.
func NewWriter(w io.Writer) (*Writer, error) {
	// bufio.NewWriter hands back a big enough *bufio.Writer as is, which
	// callers rely on to flush records out promptly.
	bw := bufio.NewWriter(w)
	if _, err := bw.Write(fileHeader()); err != nil {
		return nil, err
	}
	return &Writer{bw: bw}, nil
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

// segment writes one frame. SYN and FIN take a sequence number each.
func (w *Writer) segment(t time.Time, fromClient bool, flags uint8, payload []byte) error {
	src, dst := w.client, w.server
	srcMAC, dstMAC := clientMAC, serverMAC
	seq, ack := &w.cliSeq, w.srvSeq
	if !fromClient {
		src, dst, srcMAC, dstMAC = dst, src, dstMAC, srcMAC
		seq, ack = &w.srvSeq, w.cliSeq
	}
	if flags&flagACK == 0 {
		ack = 0
	}
	w.ipID++
	seg := tcpSegment{
		srcPort: uint16(src.Port), dstPort: uint16(dst.Port),
		seq: *seq, ack: ack, flags: flags, payload: payload,
	}
	rec, err := appendFrame(append(w.rec[:0], make([]byte, recordHeaderLen)...), srcMAC, dstMAC, src.IP, dst.IP, w.ipID, &seg)
	if err != nil {
		return err
	}
	putRecordHeader(rec, t, len(rec)-recordHeaderLen)
	w.rec = rec
	*seq += uint32(len(payload))
	if flags&(flagSYN|flagFIN) != 0 {
		*seq++
	}
	_, err = w.bw.Write(rec)
	return err
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
