// Package synth writes synthetic MQTT captures of any size for benchmarks
// and memory tests: a few long-lived loopback TCP streams, each a client
// publishing QoS 1 messages that the broker acknowledges, framed the way
// Linux loopback captures are (Ethernet with zero MACs, IPv4, TCP with
// timestamp options). The bytes are generated as they are written, so a
// capture of many gigabytes can stream through an io.Pipe without being
// held anywhere.
package synth

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Options shape the capture.
type Options struct {
	Size    int64 // stop after about this many bytes of frames
	Streams int   // concurrent MQTT connections (default 4)
	// SplitEvery sends every Nth message as a larger PUBLISH split over
	// two segments, to exercise reassembly (0: never).
	SplitEvery int
}

// Write writes a pcapng capture to w and returns the number of frames.
func Write(w io.Writer, opt Options) (int, error) {
	if opt.Streams <= 0 {
		opt.Streams = 4
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	nw, err := pcapgo.NewNgWriterInterface(bw, pcapgo.NgInterface{Name: "lo", LinkType: layers.LinkTypeEthernet, SnapLength: 262144},
		pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "mqtap synth"}})
	if err != nil {
		return 0, err
	}
	g := &gen{nw: nw, ts: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)}
	conns := make([]*conn, opt.Streams)
	for i := range conns {
		conns[i] = &conn{id: i, cport: uint16(40000 + i), cseq: 1000000 * uint32(i+1), sseq: 3000000000 + 7777*uint32(i), v5: i%2 == 1}
		if err := g.open(conns[i]); err != nil {
			return g.frames, err
		}
	}
	for n := 0; g.bytes < opt.Size; n++ {
		c := conns[n%len(conns)]
		split := opt.SplitEvery > 0 && n%opt.SplitEvery == opt.SplitEvery-1
		if err := g.publish(c, split); err != nil {
			return g.frames, err
		}
	}
	for _, c := range conns {
		if err := g.close(c); err != nil {
			return g.frames, err
		}
	}
	if err := nw.Flush(); err != nil {
		return g.frames, err
	}
	return g.frames, bw.Flush()
}

type conn struct {
	id         int
	cport      uint16
	cseq, sseq uint32 // next sequence number of client and server
	msgID      uint16
	v5         bool
	tsval      uint32
}

type gen struct {
	nw     *pcapgo.NgWriter
	ts     time.Time
	frames int
	bytes  int64
	buf    []byte
	ipID   uint16
}

const (
	fFIN = 0x01
	fSYN = 0x02
	fPSH = 0x08
	fACK = 0x10
)

// seg writes one TCP segment of connection c.
func (g *gen) seg(c *conn, fromClient bool, flags uint16, payload []byte) error {
	g.ts = g.ts.Add(time.Duration(20+g.frames%37) * time.Microsecond)
	sp, dp := c.cport, uint16(1883)
	seq, ack := c.cseq, c.sseq
	if !fromClient {
		sp, dp = dp, sp
		seq, ack = c.sseq, c.cseq
	}
	c.tsval++
	var opts []byte
	if flags&fSYN != 0 {
		opts = []byte{2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7}
		binary.BigEndian.PutUint32(opts[8:], c.tsval)
	} else {
		opts = []byte{1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(opts[4:], c.tsval)
		binary.BigEndian.PutUint32(opts[8:], c.tsval-1)
	}
	b := g.buf[:0]
	b = append(b, make([]byte, 12)...) // zero MACs, as on loopback
	b = append(b, 0x08, 0x00)
	ipStart := len(b)
	tcpLen := 20 + len(opts) + len(payload)
	g.ipID++
	b = append(b, 0x45, 0, 0, 0, byte(g.ipID>>8), byte(g.ipID), 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1)
	binary.BigEndian.PutUint16(b[ipStart+2:], uint16(20+tcpLen))
	binary.BigEndian.PutUint16(b[ipStart+10:], ipChecksum(b[ipStart:ipStart+20]))
	t := len(b)
	b = append(b, make([]byte, 20)...)
	binary.BigEndian.PutUint16(b[t:], sp)
	binary.BigEndian.PutUint16(b[t+2:], dp)
	binary.BigEndian.PutUint32(b[t+4:], seq)
	if flags&fACK != 0 {
		binary.BigEndian.PutUint32(b[t+8:], ack)
	}
	binary.BigEndian.PutUint16(b[t+12:], uint16((20+len(opts))/4)<<12|flags)
	win := uint16(512)
	if flags&fSYN != 0 {
		win = 65495
	}
	binary.BigEndian.PutUint16(b[t+14:], win)
	b = append(b, opts...)
	b = append(b, payload...)
	g.buf = b
	adv := uint32(len(payload))
	if flags&(fSYN|fFIN) != 0 {
		adv++
	}
	if fromClient {
		c.cseq += adv
	} else {
		c.sseq += adv
	}
	g.frames++
	g.bytes += int64(len(b))
	ci := gopacket.CaptureInfo{Timestamp: g.ts, CaptureLength: len(b), Length: len(b)}
	return g.nw.WritePacket(ci, b)
}

func ipChecksum(h []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(h); i += 2 {
		s += uint32(h[i])<<8 | uint32(h[i+1])
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

func (g *gen) open(c *conn) error {
	if err := g.seg(c, true, fSYN, nil); err != nil {
		return err
	}
	if err := g.seg(c, false, fSYN|fACK, nil); err != nil {
		return err
	}
	if err := g.seg(c, true, fACK, nil); err != nil {
		return err
	}
	id := fmt.Sprintf("synth-%d", c.id)
	var connect []byte
	if c.v5 {
		connect = pdu(0x10, cat([]byte{0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0}, str(id)))
	} else {
		connect = pdu(0x10, cat([]byte{0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60}, str(id)))
	}
	if err := g.seg(c, true, fPSH|fACK, connect); err != nil {
		return err
	}
	connack := pdu(0x20, []byte{0, 0})
	if c.v5 {
		connack = pdu(0x20, []byte{0, 0, 0})
	}
	if err := g.seg(c, false, fPSH|fACK, connack); err != nil {
		return err
	}
	return g.seg(c, true, fACK, nil)
}

// publish sends one QoS 1 PUBLISH, its PUBACK and the client's ACK.
func (g *gen) publish(c *conn, split bool) error {
	c.msgID++
	if c.msgID == 0 {
		c.msgID = 1
	}
	topic := fmt.Sprintf("sensors/%d/temperature", c.id)
	payload := fmt.Sprintf(`{"seq":%d,"celsius":%d.%d}`, c.msgID, 15+c.msgID%20, c.msgID%10)
	if split {
		payload += string(make([]byte, 3000))
	}
	var props []byte
	if c.v5 {
		props = []byte{0}
	}
	p := pdu(0x32, cat(str(topic), []byte{byte(c.msgID >> 8), byte(c.msgID)}, props, []byte(payload)))
	if split {
		if err := g.seg(c, true, fACK, p[:1000]); err != nil {
			return err
		}
		p = p[1000:]
	}
	if err := g.seg(c, true, fPSH|fACK, p); err != nil {
		return err
	}
	puback := pdu(0x40, []byte{byte(c.msgID >> 8), byte(c.msgID)})
	if err := g.seg(c, false, fPSH|fACK, puback); err != nil {
		return err
	}
	return g.seg(c, true, fACK, nil)
}

func (g *gen) close(c *conn) error {
	if err := g.seg(c, true, fPSH|fACK, []byte{0xe0, 0}); err != nil {
		return err
	}
	if err := g.seg(c, true, fFIN|fACK, nil); err != nil {
		return err
	}
	if err := g.seg(c, false, fFIN|fACK, nil); err != nil {
		return err
	}
	return g.seg(c, true, fACK, nil)
}

func str(s string) []byte { return append([]byte{byte(len(s) >> 8), byte(len(s))}, s...) }

func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// pdu prefixes body with an MQTT fixed header.
func pdu(first byte, body []byte) []byte {
	b := []byte{first}
	n := len(body)
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n > 0 {
			b = append(b, c|0x80)
			continue
		}
		b = append(b, c)
		break
	}
	return append(b, body...)
}
