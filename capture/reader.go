// Package capture reads pcap/pcapng files frame by frame, tracks TCP streams
// the way Wireshark does (stream indexes, relative numbers, SEQ/ACK analysis),
// desegments application PDUs like tcp_dissect_pdus, and renders the layers
// below the application (Frame, link, IP, TCP) exactly as tshark 4.0 -V.
package capture

import (
	"io"
	"net/netip"
	"time"

	"github.com/mqtap/mqtap/output"
)

// DefaultMaxPDU bounds a single reassembled PDU.
const DefaultMaxPDU = 256 << 20

// Options configures a Reader.
type Options struct {
	// Ports whose streams carry the application protocol (either end
	// matches). Empty means {1883}.
	Ports []uint16
	// Heuristic, when set, is asked about the first payload of the client
	// (or, without a SYN, of the first sender) of a stream on another port;
	// true makes the stream an application stream. Never asked for port
	// 8883 (MQTT over TLS), whose bytes are not MQTT.
	Heuristic func(firstPayload []byte) bool
	// PDULen splits the stream into PDUs. Without it no PDUs are produced.
	PDULen PDULen
	// MaxPDU refuses PDUs longer than this (their bytes are skipped, not
	// buffered). 0 means DefaultMaxPDU.
	MaxPDU int
}

// PDU is one complete application PDU.
type PDU struct {
	Data        []byte    // the PDU bytes (reassembled if needed); valid until the next Next, as they may point into the frame
	Prelude     []Section // sections printed before the PDU's own section (the "[N Reassembled TCP Segments ...]" block)
	Reassembled bool      // built from several segments ("Reassembled TCP (N bytes):" in the -x pane)
	// Reported is the PDU's length when the capture's snap length cut it
	// (Data then holds what was captured); 0 otherwise. Unreassembled: it
	// also ran past its segment, which TCP could not reassemble.
	Reported      int
	Unreassembled bool
	frags         []fragRef // the segments of a reassembled PDU, for its JSON "tcp.segments"
}

// Packet is one frame. Its text, FrameData, PDUs and JSON layers use the
// reader's buffers, valid until Next is called again; the strings and what
// Sections returns stay valid.
type Packet struct {
	Number  int
	Time    time.Time
	RelTime time.Duration // since the first frame (list Time column)
	// TimeDigits is the precision of the capture's timestamps in decimal
	// places (6 for a microsecond pcap, 9 for nanoseconds): the list's
	// Time column shows that many. -1: the frame has no timestamp (a
	// pcapng Simple Packet Block) and the column is left blank.
	TimeDigits int
	Src, Dst   string // as the packet list shows them
	Protocol   string // list Protocol column when no PDU ("TCP", "IPv4", ...)
	Length     int    // frame (wire) length
	IsTCP      bool
	Stream     int
	SrcPort    uint16
	DstPort    uint16
	ToServer   bool  // the segment goes to the application port (or from the client)
	PDUs       []PDU // complete application PDUs that end in this frame, in order (valid until Next)
	// Malformed: the application's PDU length could not be read where a
	// PDU starts (tshark's length function threw: its varint runs past
	// the bytes there, or the length is too small), after the PDUs. tshark
	// drops the rest of the segment and marks the frame with
	// "[Malformed Packet: MQTT]" after the PDUs' sections (Trailer,
	// JSONTrailer); the Info column then ends in "[Malformed Packet]"
	// (TCPInfo when there are no PDUs, InfoSuffix otherwise).
	Malformed bool
	// Short: a PDU's start or length lay in bytes the snap length cut off;
	// tshark ends the frame with "[Packet size limited during capture:
	// MQTT truncated]" (Trailer, JSONTrailer) and "[Packet size limited
	// during capture]" in the Info column (InfoSuffix).
	Short     bool
	FrameData []byte
	// undissected is a PDU reassembled in this frame but given to no
	// dissector (an out-of-order segment completed it): its reassembly
	// is shown after the lower layers (Trailer, JSONTrailer).
	undissected *PDU
	// arena holds the JSON objects of JSONLayers and JSONTrailer, taken
	// back by the next Next.
	arena *output.JSONArena
	// text holds the Frame section, then the link, IP and TCP sections
	// (and Data for a payload that is not the application's).
	text     [2]*textBuf
	sections []Section // Sections' result
	// meta keeps what the JSON layers need, so that they are built only
	// when asked for (JSONLayers) and text output does not pay for them.
	meta frameMeta
}

// AppendProtocols adds names to the "[Protocols in frame: ...]" line (and
// JSON's frame.protocols), for protocols found inside the application
// payload (e.g. ":json"). The ":mqtt" suffix is already there when PDUs is
// not empty.
func (p *Packet) AppendProtocols(extra string) {
	t := p.text[0]
	// The protocols line is the Frame section's last: "...]\n".
	if t == nil || len(t.b) < 2 || t.b[len(t.b)-2] != ']' {
		return
	}
	t.b = append(append(t.b[:len(t.b)-2], extra...), "]\n"...)
	p.meta.protos = append(p.meta.protos, extra...)
	p.sections = nil
}

// WriteSections writes the sections below the application (Frame, link,
// IP, TCP) exactly as tshark -V prints them, in one go.
func (p *Packet) WriteSections(w io.Writer) error {
	for _, t := range p.text {
		if t == nil {
			continue
		}
		if _, err := w.Write(t.b); err != nil {
			return err
		}
	}
	return nil
}

// Sections returns the same sections as lines, for callers that look at
// them one by one (-O shows only their first lines). It allocates.
func (p *Packet) Sections() []Section {
	if p.sections == nil && p.text[0] != nil {
		p.sections = p.text[1].finish(p.text[0].finish(nil))
	}
	return p.sections
}

// TCPInfo is the Info column when the frame completes no PDU: the analysis
// prefix and the TCP summary ("43280 → 1883 [SYN] Seq=0 ..."), or for a
// frame that is not TCP, "".
func (p *Packet) TCPInfo() string {
	s := &p.meta.tcp
	if !s.ok {
		return ""
	}
	if s.appInfo != "" {
		// Records named in the lower layers (TLS), after what the
		// Info column holds before them.
		return p.InfoPrefix() + s.appInfo
	}
	return p.tcpInfo()
}

// tcpInfo is TCPInfo without records named in the lower layers.
func (p *Packet) tcpInfo() string {
	s := &p.meta.tcp
	b := appendInfoPrefix(nil, &s.a)
	if p.Malformed && !s.pdus {
		return string(append(b, malformedInfo...))
	}
	if p.Short && !s.pdus {
		return string(append(b, shortInfo...))
	}
	if s.startedMSP && !s.pdus {
		// After analysis flags, tshark 4.0 puts two spaces before it.
		if len(b) > 0 {
			b = append(b, ' ')
		}
		return string(append(b, "[TCP segment of a reassembled PDU]"...))
	}
	calc := uint64(s.h.win)
	if s.h.flags&thSYN == 0 && s.winScale >= 0 {
		calc <<= uint(s.winScale)
	}
	b = appendTCPSummary(b, &s.h, s.relSeq, s.relAck, calc, s.sackBase)
	if s.continued {
		b = append(b, " [TCP segment of a reassembled PDU]"...)
	}
	return string(b)
}

// malformedInfo is what tshark's exception adds to the Info column.
const malformedInfo = "[Malformed Packet]"

// shortInfo is what a BoundsError (the snap length cut the bytes) adds.
const shortInfo = "[Packet size limited during capture]"

// InfoSuffix is what follows the PDUs' Info in the Info column:
// "[Malformed Packet]" when the frame is Malformed, else "".
func (p *Packet) InfoSuffix() string {
	if p.Malformed {
		return malformedInfo
	}
	if p.Short {
		return shortInfo
	}
	return ""
}

// Trailer returns the sections tshark prints after the PDUs' (after the
// lower layers' when there are none): the "[N Reassembled TCP Segments
// ...]" of a PDU that an out-of-order segment completed, which tshark
// does not dissect, and the "[Malformed Packet: MQTT]" marker of a
// Malformed frame.
func (p *Packet) Trailer() []Section {
	var out []Section
	if p.undissected != nil {
		out = append(out, p.undissected.Prelude...)
	}
	if p.Short {
		out = append(out, Section{Lines: []string{output.ShortMarker}})
	}
	if p.Malformed {
		out = append(out, Section{Lines: []string{
			"[Malformed Packet: MQTT]",
			"    [Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]",
			"        [Malformed Packet (Exception occurred)]",
			"        [Severity level: Error]",
			"        [Group: Malformed]",
		}})
	}
	return out
}

// InfoPrefix is what the Info column holds before the PDUs' Info: what
// tshark's TCP analysis prepends ("[TCP Previous segment not captured] "
// ...), and when the segment starts with more bytes of a PDU that it does
// not complete, the TCP summary and "[TCP segment of a reassembled PDU]";
// then, as the MQTT dissector appends its Info to a column that is not
// empty, ", ". It is "" for most frames.
func (p *Packet) InfoPrefix() string {
	s := &p.meta.tcp
	if !s.ok {
		return ""
	}
	if s.continued && s.pdus {
		return p.tcpInfo() + ", "
	}
	if s.a.flags == 0 {
		return ""
	}
	return string(append(appendInfoPrefix(nil, &s.a), ", "...))
}

// ListProtocol is the Protocol column of a frame whose PDUs give app
// ("MQTT"): "TCP" when the segment starts with more bytes of a PDU that it
// does not complete, as tshark then keeps the TCP layer's name for the
// PDUs after them.
func (p *Packet) ListProtocol(app string) string {
	if s := &p.meta.tcp; s.ok && s.continued && s.pdus {
		return "TCP"
	}
	return app
}

// Reader produces Packets from a capture file.
type Reader struct {
	src   *source
	err   error // what ended the file
	opt   Options
	ports map[uint16]bool
	f     rawFrame
	num   int
	first time.Time
	prev  time.Time

	convs   map[convKey]*conv
	nconvs  int
	frameTB textBuf
	layerTB textBuf
	protos  []byte
	res     segResult
	tlsRes  segResult
	an      analysis
	pkt     Packet

	addrs    [4]addrName
	addrNext int
	memo     renderMemo
	arena    output.JSONArena
}

// NewReader detects pcap or pcapng from the magic number and prepares to
// stream frames from r.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	src, err := openSource(r)
	if err != nil {
		return nil, err
	}
	if opt.MaxPDU <= 0 {
		opt.MaxPDU = DefaultMaxPDU
	}
	ports := map[uint16]bool{}
	if len(opt.Ports) == 0 {
		ports[1883] = true
	}
	for _, p := range opt.Ports {
		ports[p] = true
	}
	rd := &Reader{src: src, opt: opt, ports: ports, convs: map[convKey]*conv{}}
	rd.layerTB.memo = &rd.memo
	rd.frameTB.memo = &rd.memo
	return rd, nil
}

// Next returns the next frame, or io.EOF after the last one, or a
// *TruncatedError (ErrTruncated) when the file ends inside a record. The
// returned Packet and its buffers are reused by the following call:
// nothing is allocated per frame in the steady state, so copy what you
// keep.
func (r *Reader) Next() (*Packet, error) {
	if r.err != nil {
		return nil, r.err
	}
	f := &r.f
	if err := r.src.next(f); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = &TruncatedError{Offset: r.src.mark}
		}
		// The file cannot be read past an error: later calls return it.
		r.err = err
		return nil, err
	}
	r.num++
	if r.num == 1 {
		r.first, r.prev = f.ts, f.ts
	}
	p := &r.pkt
	*p = Packet{Number: r.num, Time: f.ts, RelTime: f.ts.Sub(r.first), TimeDigits: f.digits, Length: f.wireLen, FrameData: f.data}
	if f.noTime {
		p.TimeDigits = -1
	}
	r.arena.Reset()
	p.arena = &r.arena
	delta := f.ts.Sub(r.prev)
	r.prev = f.ts

	t := &r.layerTB
	t.reset()
	r.protos = r.protos[:0]
	r.res = segResult{tail: r.res.tail[:0], pdus: r.res.pdus[:0]}

	lr, protos := writeLink(t, f, r.protos)
	r.protos = protos
	p.Protocol = "Ethernet"
	m := &p.meta
	m.link, m.delta = lr, delta
	if lr.ok {
		d := f.data[lr.off:]
		var ip ipResult
		switch lr.etype {
		case etherIPv4:
			ip, r.protos = writeIPv4(t, d, r.protos)
			p.Protocol = "IPv4"
		case etherIPv6:
			ip, r.protos = writeIPv6(t, d, r.protos)
			p.Protocol = "IPv6"
		case etherARP:
			p.Protocol = "ARP"
		}
		m.ip = ip
		if ip.ok {
			p.Src, p.Dst = r.addrString(ip.src), r.addrString(ip.dst)
			if ip.proto == 6 && !ip.fragmented {
				// Bytes the snap length cut off: TCP counts them in the
				// segment (its length is the IP header's), the
				// application sees them missing.
				cut := min(ip.declEnd-ip.end, f.wireLen-len(f.data))
				r.tcp(t, p, d[ip.off:ip.end], ip, f.ts, max(cut, 0))
			} else {
				p.Protocol = ipProtoName(ip.proto)
				if p.Protocol == "Unknown" {
					p.Protocol = "IPv4"
				}
			}
		}
	}

	m.frame, m.protos = *f, r.protos
	ft := &r.frameTB
	ft.reset()
	writeFrame(ft, f, r.num, delta, p.RelTime, r.protos)
	ft.close()
	t.close()
	p.text = [2]*textBuf{ft, t}
	return p, nil
}

// addrString returns the text of an address, reusing the string of a
// recent one: a capture has few addresses and the list shows them on every
// line, so this saves two allocations per frame.
func (r *Reader) addrString(a netip.Addr) string {
	for i := range r.addrs {
		if r.addrs[i].s != "" && r.addrs[i].a == a {
			return r.addrs[i].s
		}
	}
	s := a.String()
	r.addrs[r.addrNext] = addrName{a, s}
	r.addrNext = (r.addrNext + 1) % len(r.addrs)
	return s
}

type addrName struct {
	a netip.Addr
	s string
}

func (r *Reader) lookup(key convKey, syn bool, seq uint32, aSide bool) *conv {
	c := r.convs[key]
	if c != nil && syn {
		// A new SYN with another initial sequence number reuses the ports of
		// a closed conversation: it is a new stream, as in Wireshark.
		fw := c.flowFor(aSide)
		if fw.synSeen && fw.baseSeq != seq && c.completeness&(compFin|compRst) != 0 {
			c = nil
		}
	}
	if c == nil {
		c = &conv{index: r.nconvs, key: key}
		r.nconvs++
		for i := range c.dir {
			c.dir[i].winScale = -1
			c.dir[i].validBIF = true
		}
		r.convs[key] = c
	}
	return c
}

func (r *Reader) tcp(t *textBuf, p *Packet, d []byte, ip ipResult, ts time.Time, cut int) {
	h, ok := parseTCP(d)
	if !ok {
		return
	}
	h.seglen = len(h.payload) + cut
	r.protos = append(r.protos, ":tcp"...)
	p.Protocol = "TCP"
	p.IsTCP = true
	key, aSide := makeKey(ip.src, ip.dst, h.sport, h.dport)
	c := r.lookup(key, h.flags&(thSYN|thACK) == thSYN, h.seq, aSide)
	fwd, rev := c.flowFor(aSide), c.flowFor(!aSide)
	first := c.firstTs.IsZero() && fwd.addr == (netip.Addr{}) && rev.addr == (netip.Addr{})
	if first {
		c.firstTs, c.prevTs = ts, ts
		r.decideApp(c, h.sport, h.dport)
	}
	if fwd.addr == (netip.Addr{}) {
		fwd.addr, fwd.port = ip.src, h.sport
	}
	seglen := uint32(h.seglen)

	// Base sequence numbers and window scaling from the handshake.
	if h.flags&thSYN != 0 {
		if !fwd.synSeen {
			fwd.baseSeq, fwd.baseSet, fwd.synSeen = h.seq, true, true
			o := scanOpts(h.opts)
			if o.wsSet {
				fwd.winScale = min(o.ws, 14)
			} else {
				fwd.winScale = -2
			}
			if h.flags&thACK != 0 {
				if fwd.winScale == -2 || rev.winScale == -2 {
					fwd.winScale, rev.winScale = -2, -2
				}
			}
		}
		if h.flags&thACK == 0 {
			// tshark keeps the most recent SYN's time, a SYN sent again
			// included; a zero time (the epoch: a frame with no
			// timestamp) counts as none.
			c.synTs, c.synSet = ts, ts.UnixNano() != 0
		}
	} else if !fwd.baseSet {
		fwd.baseSeq, fwd.baseSet = h.seq-1, true
	}
	if h.flags&thACK != 0 && !rev.baseSet {
		rev.baseSeq, rev.baseSet = h.ack-1, true
	}
	// A SYN whose peer never answered with SYN+ACK leaves scaling unknown
	// on the other side; a data frame before any SYN is likewise unknown.

	if h.flags&thACK != 0 && h.flags&thSYN == 0 && c.synSet && c.irtt == 0 && c.completeness&compSynAck != 0 {
		c.irtt = ts.Sub(c.synTs)
	}

	a := &r.an
	c.analyze(fwd, rev, r.num, ts, h.seq, h.ack, seglen, h.flags, h.win, a)

	// FIN closing expert.
	finExpert := ""
	if h.flags&thFIN != 0 {
		if rev.finSeen {
			finExpert = "This frame undergoes the connection closing"
		} else {
			finExpert = "This frame initiates the connection closing"
		}
		if !fwd.finSeen {
			fwd.finSeen, fwd.finFrame = true, r.num
		}
	}

	// Application payload.
	res := &r.res
	toServer := r.ports[h.dport] && !r.ports[h.sport]
	if !r.ports[h.dport] && !r.ports[h.sport] {
		toServer = c.clientIsA == aSide && c.clientKnown
	}
	if seglen > 0 && !c.decided {
		r.heuristic(c, h, aSide)
	}
	// Like tshark (tcp_no_subdissector_on_error), out-of-order and
	// spurious retransmitted segments are not given to the application.
	// They still take their place in a pending PDU (see deseg.feed).
	noApp := a.flags&(aOutOfOrder|aSpuriousRetransmission) != 0
	if seglen > 0 && c.isMQTT && r.opt.PDULen != nil {
		prelude := func(frags []fragRef, total []byte) []Section { return preludeSections(frags, total) }
		if h.seglen > len(h.payload) {
			fwd.ds.feedCut(res, h.payload, h.seglen, h.seq, r.opt.PDULen)
		} else {
			fwd.ds.feed(res, h.payload, h.seq, r.num, noApp, r.opt.PDULen, r.opt.MaxPDU, prelude)
		}
	}

	relSeq := h.seq - fwd.baseSeq
	relAck := h.ack - rev.baseSeq
	relNext := relSeq + seglen
	if h.flags&(thSYN|thFIN) != 0 {
		relNext++
	}
	v := tcpView{
		h: &h, c: c, fwd: fwd, rev: rev, completeness: c.completeness, a: a,
		relSeq: relSeq, relAck: relAck, relNext: relNext,
		tsFirst: int64(ts.Sub(c.firstTs)), tsPrev: int64(ts.Sub(c.prevTs)),
		finExpert: finExpert, tail: res.tail,
	}
	writeTCP(t, &v)
	// The conversation changes with later frames: keep copies.
	p.meta.tcp = tcpSnap{ok: true, h: h, a: *a, stream: c.index, completeness: v.completeness,
		relSeq: relSeq, relAck: relAck, relNext: relNext, tsFirst: v.tsFirst, tsPrev: v.tsPrev,
		winScale: fwd.winScale, sackBase: rev.baseSeq, irtt: c.irtt, finExpert: finExpert, tail: res.tail}

	// TLS records name themselves in the packet list.
	if seglen > 0 && c.tls != nil {
		r.tlsRecords(p, c, fwd, h, aSide, noApp)
	}
	// Payload that is not the application's: tshark's data dissector.
	if seglen > 0 && !c.isMQTT {
		p.meta.data = true
		r.protos = append(r.protos, ":data"...)
		t.section()
		t.line(0).s("Data (").i(int(seglen)).s(" byte")
		if seglen != 1 {
			t.c('s')
		}
		t.c(')')
		t.line(1).s("Data: ")
		t.b = appendHexBytes(t.b, h.payload, 36)
		t.line(1).s("[Length: ").i(int(seglen)).c(']')
	}
	// One ":mqtt" per dissector call: the reassembled PDU is dissected
	// on its own, the PDUs that follow it in the segment in a second call.
	reasm, plain := false, false
	for _, pdu := range res.pdus {
		if pdu.Reassembled {
			reasm = true
		} else {
			plain = true
		}
	}
	// A length that could not be read was in one of those calls.
	if res.malformedReasm {
		reasm = true
	} else if res.malformed || res.short {
		plain = true
	}
	if reasm {
		r.protos = append(r.protos, ":mqtt"...)
	}
	if plain {
		r.protos = append(r.protos, ":mqtt"...)
	}

	// Conversation state after this frame.
	c.prevTs = ts
	// tshark records the flags of a conversation's first frame only when it
	// is a SYN, and the ACK bit only on segments without data.
	switch {
	case h.flags&(thSYN|thACK) == thSYN:
		c.completeness |= compSynSent
	case h.flags&(thSYN|thACK) == thSYN|thACK:
		c.completeness |= compSynAck
	case !first:
		if h.flags&thACK != 0 && seglen == 0 {
			c.completeness |= compAck
		}
		if seglen > 0 {
			c.completeness |= compData
		}
		if h.flags&thFIN != 0 {
			c.completeness |= compFin
		}
		if h.flags&thRST != 0 {
			c.completeness |= compRst
		}
	}

	// A closed stream keeps its counters (for retransmissions that may
	// still come) but not its buffers: memory stays flat over many streams.
	if h.flags&thRST != 0 || (fwd.finSeen && rev.finSeen) {
		for i := range c.dir {
			fl := &c.dir[i]
			if !fl.ds.pending {
				fl.ds.buf, fl.ds.frags = nil, nil
			}
			fl.ds.held = nil
			if len(fl.segs) == 0 {
				fl.segs = nil
			}
		}
	} else if !fwd.ds.pending && cap(fwd.ds.buf) > 64<<10 {
		// Do not keep a large PDU's buffer once it is delivered.
		fwd.ds.buf = nil
	}

	// The Info column is made from the snapshot when asked for (TCPInfo).
	if c.tls == nil {
		p.meta.tcp.startedMSP, p.meta.tcp.continued, p.meta.tcp.pdus = res.startedMSP, res.continued, len(res.pdus) > 0
	}
	p.Stream = c.index
	p.SrcPort, p.DstPort = h.sport, h.dport
	p.ToServer = toServer
	p.PDUs = res.pdus
	p.Malformed = res.malformed
	p.Short = res.short
	p.undissected = res.undissected
}

// tlsRecords frames the TLS records of a segment on port 8883 and sets
// the Protocol and Info columns from them (the details are unchanged).
func (r *Reader) tlsRecords(p *Packet, c *conv, fwd *flow, h tcpHdr, aSide, noApp bool) {
	res := &r.tlsRes
	*res = segResult{tail: res.tail[:0], pdus: res.pdus[:0]}
	fwd.ds.feed(res, h.payload, h.seq, r.num, noApp, tlsRecordLen, r.opt.MaxPDU, noPrelude)
	s := &p.meta.tcp
	s.startedMSP, s.continued, s.pdus = res.startedMSP, res.continued, len(res.pdus) > 0
	if len(res.pdus) == 0 {
		return
	}
	side := 0
	if !aSide {
		side = 1
	}
	proto, names := c.tls.records(res.pdus, side)
	s.appInfo = tlsInfo(names)
	p.Protocol = proto
	if s.continued {
		p.Protocol = "TCP"
	}
}

func noPrelude([]fragRef, []byte) []Section { return nil }

// decideApp marks a conversation as the application's from its ports.
func (r *Reader) decideApp(c *conv, sp, dp uint16) {
	if r.ports[sp] || r.ports[dp] {
		c.isMQTT, c.decided = true, true
	} else if sp == tlsPort || dp == tlsPort {
		c.tls = &tlsConv{}
	}
	if r.opt.Heuristic == nil {
		c.decided = true
	}
}

// heuristic asks the caller about the client's first payload.
func (r *Reader) heuristic(c *conv, h tcpHdr, aSide bool) {
	c.decided = true
	if h.sport == 8883 || h.dport == 8883 {
		return
	}
	if r.opt.Heuristic(h.payload) {
		c.isMQTT = true
		c.clientIsA, c.clientKnown = aSide, true
	}
}

// preludeSections renders the "[N Reassembled TCP Segments (L bytes): ...]"
// section shown before a PDU built from several segments.
func preludeSections(frags []fragRef, total []byte) []Section {
	var t textBuf
	t.section()
	t.line(0)
	// The label, from after the '[', is limited like a proto_item label
	// (ITEM_LABEL_LENGTH).
	bracket := len(t.b)
	t.c('[').i(len(frags)).s(" Reassembled TCP Segments (").i(len(total)).s(" bytes): ")
	for i, fr := range frags {
		if i > 0 {
			t.s(", ")
		}
		t.c('#').i(fr.frame).c('(').i(fr.n).c(')')
	}
	t.b = truncLabel(t.b, bracket)
	t.c(']')
	off := 0
	for _, fr := range frags {
		t.line(1).s("[Frame: ").i(fr.frame).s(", payload: ").i(off).c('-').i(off + fr.n - 1).s(" (").i(fr.n).s(" byte")
		if fr.n != 1 {
			t.c('s')
		}
		t.s(")]")
		off += fr.n
	}
	t.line(1).s("[Segment count: ").i(len(frags)).c(']')
	t.line(1).s("[Reassembled TCP length: ").i(len(total)).c(']')
	t.line(1).s("[Reassembled TCP Data: ")
	t.b = appendHexBytes(t.b, total, 36)
	t.c(']')
	return t.finish(nil)
}

// truncLabel limits a label, which starts after the '[' at b[labelStart],
// to tshark's 240-byte item label buffer: 239 bytes and its NUL.
func truncLabel(b []byte, labelStart int) []byte {
	const maxLabel = 239
	if len(b)-labelStart-1 <= maxLabel {
		return b
	}
	return b[:labelStart+1+maxLabel]
}

func durNS(ns int64) time.Duration { return time.Duration(ns) }
