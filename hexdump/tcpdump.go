package hexdump

// parseTcpdump reads tcpdump -x/-X/-xx/-XX output: header lines, each
// followed by the packet in "\t0x0010:  4500 0042 ..." lines. Every packet
// is read with the offset rules of the other dumps, then its link, IP and
// TCP headers are stripped; a packet with a TCP payload gives one Block.
// A run of non-hex lines is one header (tcpdump -v wraps the header onto a
// second line; a paste may keep the "reading from file" notice), and an
// offset back at 0x0000 starts a new packet even without a header.
func parseTcpdump(text []byte) ([]Block, error) {
	var blocks []Block
	var pk tcpdumpPacket
	sc := lineScanner{rest: text}
	for ln, ok := sc.next(); ok; ln, ok = sc.next() {
		if isBlank(ln.text) {
			continue
		}
		isData := isTcpdumpOffset(ln.text)
		if pk.parser != nil && (!isData || isZeroTcpdumpOffset(ln.text)) {
			var err error
			if blocks, err = pk.finish(blocks); err != nil {
				return nil, err
			}
			pk = tcpdumpPacket{}
		}
		if !isData {
			pk.header = ln.num
			continue
		}
		if pk.parser == nil {
			pk.parser = &offsetParser{lay: layoutOf(StyleTcpdump, 16)}
		}
		if err := pk.parser.line(ln); err != nil {
			return nil, err
		}
	}
	if pk.parser != nil {
		return pk.finish(blocks)
	}
	return blocks, nil
}

// tcpdumpPacket is the packet being read.
type tcpdumpPacket struct {
	header int // last header line, 0 if none
	parser *offsetParser
}

// finish strips the packet's headers and appends its payload, if any.
func (pk *tcpdumpPacket) finish(blocks []Block) ([]Block, error) {
	read, err := pk.parser.finish()
	if err != nil || len(read) == 0 {
		return blocks, err
	}
	line := pk.header
	if line == 0 {
		line = read[0].Line
	}
	payload, problem := tcpPayload(read[0].Data)
	if problem != "" {
		return blocks, &PacketError{Line: line, Msg: problem}
	}
	if len(payload) > 0 {
		blocks = append(blocks, Block{Data: payload, Line: line})
	}
	return blocks, nil
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
