package hexdump

import "fmt"

// maxFrame bounds one packet of a tcpdump dump or one frame of a dump of
// whole frames: tcpdump's largest snapshot length.
const maxFrame = 262144

// parseTcpdump reads tcpdump -x/-X/-xx/-XX output: header lines, each
// followed by the packet in "\t0x0010:  4500 0042 ..." lines. Every packet
// is read with the offset rules of the other dumps, then its link, IP and
// TCP headers are stripped; a packet with a TCP payload gives one Block.
// A run of non-hex lines is one header (tcpdump -v wraps the header onto a
// second line; a paste may keep the "reading from file" notice), and an
// offset back at 0x0000 starts a new packet even without a header. Only
// the packet being read is held in memory.
func parseTcpdump(w *window, e *emitter) error {
	var pk tcpdumpPacket
	for ln, ok := w.nextLine(); ok && e.err == nil; ln, ok = w.nextLine() {
		if isBlank(ln.text) {
			continue
		}
		isData := isTcpdumpOffset(ln.text)
		if pk.parser != nil && (!isData || isZeroTcpdumpOffset(ln.text)) {
			if err := pk.finish(e); err != nil {
				return e.fail(err)
			}
		}
		if !isData {
			pk.header = ln.num
			continue
		}
		if pk.parser == nil {
			pk.start()
		}
		if err := pk.parser.line(ln); err != nil {
			return e.fail(err)
		}
		if len(pk.buf.data) > maxFrame {
			return e.fail(&PacketError{Line: pk.line(), Msg: fmt.Sprintf("longer than the %d bytes a packet can have", maxFrame)})
		}
	}
	if e.err != nil || w.failure() != nil {
		return e.err
	}
	if pk.parser != nil {
		return e.fail(pk.finish(e))
	}
	return nil
}

// tcpdumpPacket is the packet being read.
type tcpdumpPacket struct {
	header int // last header line, 0 if none
	parser *offsetParser
	buf    bufSink // the packet's bytes
	spare  *offsetParser
}

func (pk *tcpdumpPacket) start() {
	p := pk.spare
	if p == nil {
		p = &offsetParser{e: &emitter{s: &pk.buf}}
	}
	*p = offsetParser{lay: layoutOf(StyleTcpdump, 16), e: p.e, lineBuf: p.lineBuf, toks: p.toks, ends: p.ends, last: p.last[:0]}
	pk.parser = p
}

// line is the line a packet's block starts at.
func (pk *tcpdumpPacket) line() int {
	if pk.header != 0 {
		return pk.header
	}
	return pk.buf.line
}

// finish strips the packet's headers and passes its payload on, if any, and
// makes ready for the next packet.
func (pk *tcpdumpPacket) finish(e *emitter) error {
	defer func() {
		pk.spare, pk.parser, pk.header = pk.parser, nil, 0
		pk.buf.reset()
	}()
	if err := pk.parser.finish(); err != nil {
		return err
	}
	if pk.parser.e.flush() != nil || len(pk.buf.data) == 0 {
		return pk.parser.e.err
	}
	seg, problem := tcpPayload(pk.buf.data)
	if problem != "" {
		return &PacketError{Line: pk.line(), Msg: problem}
	}
	if len(seg.payload) > 0 {
		e.begin(blockStart{line: pk.line()})
		e.bytes(seg.payload)
	}
	return e.err
}

// bufSink gathers one block.
type bufSink struct {
	line int
	data []byte
}

func (b *bufSink) begin(s blockStart) error {
	if b.line == 0 {
		b.line = s.line
	}
	return nil
}

func (b *bufSink) write(p []byte) error {
	b.data = append(b.data, p...)
	return nil
}

func (b *bufSink) reset() {
	b.line, b.data = 0, b.data[:0]
}

func isZeroTcpdumpOffset(t []byte) bool {
	t = t[skipSpace(t, 0)+2:] // isTcpdumpOffset has checked the "0x"
	for _, c := range t {
		if c == ':' {
			return true
		}
		if c != '0' {
			return false
		}
	}
	return false
}
