package capture

import (
	"encoding/binary"
)

// tcpHdr is the parsed fixed TCP header.
type tcpHdr struct {
	sport, dport uint16
	ports        [4]byte // the raw port bytes, a render cache key
	seq, ack     uint32
	hlen         int
	flags        uint32
	win          uint32
	sum, urg     uint16
	opts         []byte
	payload      []byte // as captured
	seglen       int    // the segment's length: len(payload) unless the snap length cut it
}

func parseTCP(d []byte) (tcpHdr, bool) {
	var h tcpHdr
	if len(d) < 20 {
		return h, false
	}
	h.ports = [4]byte(d[:4])
	h.sport = binary.BigEndian.Uint16(d)
	h.dport = binary.BigEndian.Uint16(d[2:])
	h.seq = binary.BigEndian.Uint32(d[4:])
	h.ack = binary.BigEndian.Uint32(d[8:])
	h.hlen = int(d[12]>>4) * 4
	h.flags = uint32(binary.BigEndian.Uint16(d[12:]) & 0x0fff)
	h.win = uint32(binary.BigEndian.Uint16(d[14:]))
	h.sum = binary.BigEndian.Uint16(d[16:])
	h.urg = binary.BigEndian.Uint16(d[18:])
	if h.hlen < 20 || h.hlen > len(d) {
		return h, false
	}
	h.opts = d[20:h.hlen]
	h.payload = d[h.hlen:]
	return h, true
}

var flagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE", "Reserved"}

func (t *textBuf) flagList(flags uint32) *textBuf {
	first := true
	for i, n := range flagNames {
		bit := uint32(1) << uint(i)
		if i == 9 {
			bit = 0xe00
		}
		if flags&bit != 0 {
			if !first {
				t.s(", ")
			}
			t.s(n)
			first = false
		}
	}
	if first {
		t.s("<None>")
	}
	return t
}

// tcpOpt is one parsed option, enough for the tree and the Info column.
type optSummary struct {
	mss          uint16
	mssSet       bool
	sackPerm     bool
	tsval, tsecr uint32
	tsSet        bool
	ws           int
	wsSet        bool
	sacks        [][2]uint32
}

func optName(kind byte) string {
	switch kind {
	case 0:
		return "End of Option List (EOL)"
	case 1:
		return "No-Operation (NOP)"
	case 2:
		return "Maximum segment size"
	case 3:
		return "Window scale"
	case 4:
		return "SACK permitted"
	case 5:
		return "SACK"
	case 8:
		return "Timestamps"
	case 34:
		return "TCP Fast Open"
	}
	return "Unknown"
}

func optKindName(kind byte) string {
	switch kind {
	case 0:
		return "End of Option List"
	case 1:
		return "No-Operation"
	case 2:
		return "Maximum Segment Size"
	case 3:
		return "Window Scale"
	case 4:
		return "SACK Permitted"
	case 5:
		return "SACK"
	case 8:
		return "Time Stamp Option"
	case 34:
		return "TCP Fast Open"
	}
	return "Unknown"
}

// scanOpts parses the options for the summary (no rendering).
func scanOpts(o []byte) (s optSummary) {
	for i := 0; i < len(o); {
		k := o[i]
		if k == 0 {
			break
		}
		if k == 1 {
			i++
			continue
		}
		if i+1 >= len(o) {
			break
		}
		l := int(o[i+1])
		if l < 2 || i+l > len(o) {
			break
		}
		v := o[i+2 : i+l]
		switch {
		case k == 2 && l == 4:
			s.mss, s.mssSet = binary.BigEndian.Uint16(v), true
		case k == 3 && l == 3:
			s.ws, s.wsSet = int(v[0]), true
		case k == 4 && l == 2:
			s.sackPerm = true
		case k == 8 && l == 10:
			s.tsval, s.tsecr, s.tsSet = binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:]), true
		case k == 5 && (l-2)%8 == 0:
			for j := 0; j+8 <= len(v); j += 8 {
				s.sacks = append(s.sacks, [2]uint32{binary.BigEndian.Uint32(v[j:]), binary.BigEndian.Uint32(v[j+4:])})
			}
		}
		i += l
	}
	return s
}

// writeOpts renders "Options: (N bytes), ..." and one subtree per option.
// sackBase is the peer's base sequence number for relative SACK edges.
func writeOpts(t *textBuf, o []byte, sackBase uint32) {
	t.line(1).s("Options: (").i(len(o)).s(" bytes)")
	for i := 0; i < len(o); {
		k := o[i]
		l := 1
		if k > 1 {
			if i+1 >= len(o) || int(o[i+1]) < 2 || i+int(o[i+1]) > len(o) {
				break
			}
			l = int(o[i+1])
		}
		t.s(", ").s(optName(k))
		if k == 0 {
			break
		}
		i += l
	}
	for i := 0; i < len(o); {
		k := o[i]
		if k == 0 {
			t.line(2).s("TCP Option - End of Option List (EOL)")
			t.line(3).s("Kind: End of Option List (0)")
			break
		}
		if k == 1 {
			t.line(2).s("TCP Option - No-Operation (NOP)")
			t.line(3).s("Kind: No-Operation (1)")
			i++
			continue
		}
		if i+1 >= len(o) || int(o[i+1]) < 2 || i+int(o[i+1]) > len(o) {
			break
		}
		l := int(o[i+1])
		v := o[i+2 : i+l]
		switch {
		case k == 2 && l == 4:
			mss := binary.BigEndian.Uint16(v)
			t.line(2).s("TCP Option - Maximum segment size: ").u(uint64(mss)).s(" bytes")
			t.line(3).s("Kind: Maximum Segment Size (2)")
			t.line(3).s("Length: 4")
			t.line(3).s("MSS Value: ").u(uint64(mss))
		case k == 3 && l == 3:
			sh := uint64(v[0])
			t.line(2).s("TCP Option - Window scale: ").u(sh).s(" (multiply by ").u(1 << min(sh, 14)).c(')')
			t.line(3).s("Kind: Window Scale (3)")
			t.line(3).s("Length: 3")
			t.line(3).s("Shift count: ").u(sh)
			t.line(3).s("[Multiplier: ").u(1 << min(sh, 14)).c(']')
		case k == 4 && l == 2:
			t.line(2).s("TCP Option - SACK permitted")
			t.line(3).s("Kind: SACK Permitted (4)")
			t.line(3).s("Length: 2")
		case k == 8 && l == 10:
			tv, te := binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:])
			t.line(2).s("TCP Option - Timestamps: TSval ").u(uint64(tv)).s(", TSecr ").u(uint64(te))
			t.line(3).s("Kind: Time Stamp Option (8)")
			t.line(3).s("Length: 10")
			t.line(3).s("Timestamp value: ").u(uint64(tv))
			t.line(3).s("Timestamp echo reply: ").u(uint64(te))
		case k == 5 && (l-2)%8 == 0:
			t.line(2).s("TCP Option - SACK")
			for j := 0; j+8 <= len(v); j += 8 {
				t.s(" ").u(uint64(binary.BigEndian.Uint32(v[j:]) - sackBase)).c('-').u(uint64(binary.BigEndian.Uint32(v[j+4:]) - sackBase))
			}
			t.line(3).s("Kind: SACK (5)")
			t.line(3).s("Length: ").i(l)
			for j := 0; j+8 <= len(v); j += 8 {
				t.line(3).s("left edge = ").u(uint64(binary.BigEndian.Uint32(v[j:]) - sackBase)).s(" (relative)")
				t.line(3).s("right edge = ").u(uint64(binary.BigEndian.Uint32(v[j+4:]) - sackBase)).s(" (relative)")
			}
			t.line(3).s("[TCP SACK Count: ").i(len(v) / 8).c(']')
		default:
			t.line(2).s("TCP Option - ").s(optName(k))
			if optName(k) == "Unknown" {
				t.s(" (").u(uint64(k)).c(')')
			}
			t.line(3).s("Kind: ").s(optKindName(k)).s(" (").u(uint64(k)).c(')')
			t.line(3).s("Length: ").i(l)
		}
		i += l
	}
}

var tcpFlagChars = [12]string{"R", "R", "R", "A", "C", "E", "U", "A", "P", "R", "S", "F"}

// expert writes an expert-info subtree at depth.
func expert(t *textBuf, depth int, sev, group, msg string) {
	t.line(depth).s("[Expert Info (").s(sev).c('/').s(group).s("): ").s(msg).c(']')
	t.line(depth + 1).c('[').s(msg).c(']')
	t.line(depth + 1).s("[Severity level: ").s(sev).c(']')
	t.line(depth + 1).s("[Group: ").s(group).c(']')
}

func setStr(v bool) string {
	if v {
		return "Set"
	}
	return "Not set"
}

// tcpView carries what the TCP tree needs beyond the header.
type tcpView struct {
	h            *tcpHdr
	c            *conv
	fwd, rev     *flow
	completeness uint8 // value before this frame
	a            *analysis
	relSeq       uint32
	relAck       uint32
	relNext      uint32
	tsFirst      int64 // ns
	tsPrev       int64 // ns
	finExpert    string
	tail         []tailItem
}

func completenessName(v uint8) string {
	switch v {
	case compSynSent:
		return "Incomplete, SYN_SENT"
	case compSynSent | compSynAck:
		return "Incomplete, CLIENT_ESTABLISHED"
	case compSynSent | compSynAck | compAck:
		return "Incomplete, ESTABLISHED"
	case compSynSent | compSynAck | compAck | compData:
		return "Incomplete, DATA"
	case compSynSent | compSynAck | compAck | compData | compFin,
		compSynSent | compSynAck | compAck | compData | compRst,
		compSynSent | compSynAck | compAck | compData | compFin | compRst:
		return "Complete, WITH_DATA"
	case compSynSent | compSynAck | compAck | compFin,
		compSynSent | compSynAck | compAck | compRst,
		compSynSent | compSynAck | compAck | compFin | compRst:
		return "Complete, NO_DATA"
	}
	return "Incomplete"
}

func writeTCP(t *textBuf, v *tcpView) {
	h := v.h
	seglen := h.seglen
	t.section()
	t.line(0).s("Transmission Control Protocol, Src Port: ").u(uint64(h.sport)).s(", Dst Port: ").u(uint64(h.dport)).
		s(", Seq: ").u(uint64(v.relSeq))
	if h.flags&thACK != 0 {
		t.s(", Ack: ").u(uint64(v.relAck))
	}
	t.s(", Len: ").i(seglen)
	t.cached(&t.memo.tcpPorts, h.ports[:], func() {
		t.line(1).s("Source Port: ").u(uint64(h.sport))
		t.line(1).s("Destination Port: ").u(uint64(h.dport))
	})
	t.line(1).s("[Stream index: ").i(v.c.index).c(']')
	t.line(1).s("[Conversation completeness: ").s(completenessName(v.completeness)).s(" (").u(uint64(v.completeness)).s(")]")
	t.line(1).s("[TCP Segment Len: ").i(seglen).c(']')
	t.line(1).s("Sequence Number: ").u(uint64(v.relSeq)).s("    (relative sequence number)")
	t.line(1).s("Sequence Number (raw): ").u(uint64(h.seq))
	t.line(1).s("[Next Sequence Number: ").u(uint64(v.relNext)).s("    (relative sequence number)]")
	if h.flags&thACK != 0 {
		t.line(1).s("Acknowledgment Number: ").u(uint64(v.relAck)).s("    (relative ack number)")
	} else {
		t.line(1).s("Acknowledgment Number: 0")
	}
	t.line(1).s("Acknowledgment number (raw): ").u(uint64(h.ack))
	t.line(1).bits(uint64(h.hlen/4)<<4, 0xf0, 8).s("Header Length: ").i(h.hlen).s(" bytes (").i(h.hlen / 4).c(')')
	// The flags subtree depends on the flags alone, except for the SYN
	// expert that names a port: render each combination once.
	if h.flags&thSYN != 0 {
		writeTCPFlags(t, h)
	} else if txt, ok := t.memo.tcpFlags[h.flags]; ok {
		t.close()
		t.b = append(t.b, txt...)
		t.open = true
	} else {
		t.close()
		start := len(t.b)
		writeTCPFlags(t, h)
		if t.memo.tcpFlags == nil {
			t.memo.tcpFlags = map[uint32][]byte{}
		}
		t.memo.tcpFlags[h.flags] = append([]byte(nil), t.b[start:]...)
	}
	if v.finExpert != "" {
		expert(t, 3, "Note", "Sequence", v.finExpert)
	}
	t.line(1).s("Window: ").u(uint64(h.win))
	scale := v.fwd.winScale
	if h.flags&thSYN != 0 {
		t.line(1).s("[Calculated window size: ").u(uint64(h.win)).c(']')
	} else {
		calc := uint64(h.win)
		if scale >= 0 {
			calc <<= uint(scale)
		}
		t.line(1).s("[Calculated window size: ").u(calc).c(']')
		switch scale {
		case -1:
			t.line(1).s("[Window size scaling factor: -1 (unknown)]")
		case -2:
			t.line(1).s("[Window size scaling factor: -2 (no window scaling used)]")
		default:
			t.line(1).s("[Window size scaling factor: ").u(1 << uint(scale)).c(']')
		}
	}
	t.line(1).s("Checksum: 0x").hex(uint64(h.sum), 4).s(" [unverified]")
	t.line(1).s("[Checksum Status: Unverified]")
	t.line(1).s("Urgent Pointer: ").u(uint64(h.urg))
	if len(h.opts) > 0 {
		writeOpts(t, h.opts, v.rev.baseSeq)
	}
	a := v.a
	// Timestamps subtree.
	t.line(1).s("[Timestamps]")
	t.line(2).s("[Time since first frame in this TCP stream: ").dur(durNS(v.tsFirst)).s(" seconds]")
	t.line(2).s("[Time since previous frame in this TCP stream: ").dur(durNS(v.tsPrev)).s(" seconds]")
	if a.present() {
		t.line(1).s("[SEQ/ACK analysis]")
		if a.ackedFrame != 0 {
			t.line(2).s("[This is an ACK to the segment in frame: ").i(a.ackedFrame).c(']')
			t.line(2).s("[The RTT to ACK the segment was: ").dur(a.ackRTT).s(" seconds]")
		}
		if v.c.irtt > 0 {
			t.line(2).s("[iRTT: ").dur(v.c.irtt).s(" seconds]")
		}
		if a.bifSet {
			t.line(2).s("[Bytes in flight: ").u(uint64(a.bif)).c(']')
		}
		if a.pushSet {
			t.line(2).s("[Bytes sent since last PSH flag: ").u(uint64(a.push)).c(']')
		}
		if a.flags != 0 {
			t.line(2).s("[TCP Analysis Flags]")
			writeAnalysisFlags(t, a)
		}
	}
	if seglen > 0 {
		t.line(1).s("TCP payload (").i(seglen).s(" byte")
		if seglen != 1 {
			t.c('s')
		}
		t.c(')')
	}
	for _, it := range v.tail {
		switch it.kind {
		case tailPDUSize:
			t.line(1).s("[PDU Size: ").i(it.n).c(']')
		case tailSegData, tailRetrans:
			if it.kind == tailRetrans {
				t.line(1).s("Retransmitted TCP segment data (").i(it.n).s(" byte")
			} else {
				t.line(1).s("TCP segment data (").i(it.n).s(" byte")
			}
			if it.n != 1 {
				t.c('s')
			}
			t.c(')')
		}
	}
}

// writeTCPFlags renders "Flags: 0x..." and its subtree down to the
// "[TCP Flags: ...]" line.
func writeTCPFlags(t *textBuf, h *tcpHdr) {
	f := uint64(h.flags)
	t.line(1).s("Flags: 0x").hex(f, 3).s(" (").flagList(h.flags).c(')')
	t.line(2).bits(f, 0xe00, 12).s("Reserved: ").s(setStr(f&0xe00 != 0))
	t.line(2).bits(f, 0x100, 12).s("Accurate ECN: ").s(setStr(f&0x100 != 0))
	t.line(2).bits(f, 0x080, 12).s("Congestion Window Reduced: ").s(setStr(f&0x80 != 0))
	t.line(2).bits(f, 0x040, 12).s("ECN-Echo: ").s(setStr(f&0x40 != 0))
	t.line(2).bits(f, 0x020, 12).s("Urgent: ").s(setStr(f&0x20 != 0))
	t.line(2).bits(f, 0x010, 12).s("Acknowledgment: ").s(setStr(f&0x10 != 0))
	t.line(2).bits(f, 0x008, 12).s("Push: ").s(setStr(f&0x08 != 0))
	t.line(2).bits(f, 0x004, 12).s("Reset: ").s(setStr(f&0x04 != 0))
	if f&0x04 != 0 {
		expert(t, 3, "Warning", "Sequence", "Connection reset (RST)")
	}
	t.line(2).bits(f, 0x002, 12).s("Syn: ").s(setStr(f&0x02 != 0))
	if f&0x02 != 0 {
		if f&0x10 != 0 {
			t.line(3).s("[Expert Info (Chat/Sequence): Connection establish acknowledge (SYN+ACK): server port ").u(uint64(h.sport)).s("]")
			t.line(4).s("[Connection establish acknowledge (SYN+ACK): server port ").u(uint64(h.sport)).s("]")
		} else {
			t.line(3).s("[Expert Info (Chat/Sequence): Connection establish request (SYN): server port ").u(uint64(h.dport)).s("]")
			t.line(4).s("[Connection establish request (SYN): server port ").u(uint64(h.dport)).s("]")
		}
		t.line(4).s("[Severity level: Chat]")
		t.line(4).s("[Group: Sequence]")
	}
	t.line(2).bits(f, 0x001, 12).s("Fin: ").s(setStr(f&0x01 != 0))
	if f&0x01 != 0 {
		expert(t, 3, "Chat", "Sequence", "Connection finish (FIN)")
	}
	t.line(2).s("[TCP Flags: ")
	for i := 0; i < 12; i++ {
		if f&(1<<uint(11-i)) != 0 {
			t.s(tcpFlagChars[i])
		} else {
			t.s("·")
		}
	}
	t.c(']')
}

// writeAnalysisFlags writes the "[TCP Analysis Flags]" experts from the
// same table the -T json layer uses, so the two cannot disagree.
func writeAnalysisFlags(t *textBuf, a *analysis) {
	for i := range analysisExperts {
		e := &analysisExperts[i]
		if a.flags&e.flag == 0 {
			continue
		}
		expert(t, 3, sevNames[e.sev], "Sequence", e.message(a))
		switch e.flag {
		case aRetransmission:
			if a.rto != 0 {
				t.line(3).s("[The RTO for this segment was: ").dur(a.rto).s(" seconds]")
				t.line(3).s("[RTO based on delta from frame: ").i(a.rtoFrame).c(']')
			}
		case aFastRetransmission, aSpuriousRetransmission:
			expert(t, 3, "Note", "Sequence", msgRetransmission)
		}
	}
	if a.flags&aDuplicateAck != 0 {
		t.line(2).s("[Duplicate ACK #: ").i(a.dupackNum).c(']')
		t.line(2).s("[Duplicate to the ACK in frame: ").i(a.dupackFrame).c(']')
	}
}

// sevNames are the text tree's names of the JSON severities.
var sevNames = map[string]string{sevChat: "Chat", sevNote: "Note", sevWarning: "Warning"}

// appendInfoPrefix renders the analysis prefixes tshark prepends to the
// Info column (col_prepend_fence_fstr: the last one added comes first).
func appendInfoPrefix(b []byte, a *analysis) []byte {
	fl := a.flags
	var parts [16]string
	n := 0
	add := func(s string) { parts[n] = s; n++ }
	if fl&aRetransmission != 0 {
		add("[TCP Retransmission] ")
	}
	if fl&aFastRetransmission != 0 {
		add("[TCP Fast Retransmission] ")
	}
	if fl&aSpuriousRetransmission != 0 {
		add("[TCP Spurious Retransmission] ")
	}
	if fl&aOutOfOrder != 0 {
		add("[TCP Out-Of-Order] ")
	}
	if fl&aLostPacket != 0 {
		add("[TCP Previous segment not captured] ")
	}
	if fl&aAckLostPacket != 0 {
		add("[TCP ACKed unseen segment] ")
	}
	if fl&aWindowUpdate != 0 {
		add("[TCP Window Update] ")
	}
	if fl&aWindowFull != 0 {
		add("[TCP Window Full] ")
	}
	if fl&aKeepAlive != 0 {
		add("[TCP Keep-Alive] ")
	}
	if fl&aKeepAliveAck != 0 {
		add("[TCP Keep-Alive ACK] ")
	}
	if fl&aDuplicateAck != 0 {
		add("\x00dup")
	}
	if fl&aZeroWindowProbe != 0 {
		add("[TCP ZeroWindowProbe] ")
	}
	if fl&aZeroWindow != 0 {
		add("[TCP ZeroWindow] ")
	}
	if fl&aZeroWindowProbeAck != 0 {
		add("[TCP ZeroWindowProbeAck] ")
	}
	for i := n - 1; i >= 0; i-- {
		if parts[i] == "\x00dup" {
			b = append(b, "[TCP Dup ACK "...)
			b = appendPad(b, uint64(a.dupackFrame), 1)
			b = append(b, '#')
			b = appendPad(b, uint64(a.dupackNum), 1)
			b = append(b, "] "...)
			continue
		}
		b = append(b, parts[i]...)
	}
	return b
}

// appendTCPSummary renders the TCP Info text after the prefixes:
// "43280 → 1883 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 ...".
func appendTCPSummary(b []byte, h *tcpHdr, relSeq, relAck uint32, calcWin uint64, sackBase uint32) []byte {
	b = appendPad(b, uint64(h.sport), 1)
	b = append(b, " → "...)
	b = appendPad(b, uint64(h.dport), 1)
	b = append(b, " ["...)
	tb := textBuf{b: b}
	tb.flagList(h.flags)
	b = append(tb.b, "] Seq="...)
	b = appendPad(b, uint64(relSeq), 1)
	if h.flags&thACK != 0 {
		b = append(b, " Ack="...)
		b = appendPad(b, uint64(relAck), 1)
	}
	b = append(b, " Win="...)
	b = appendPad(b, calcWin, 1)
	b = append(b, " Len="...)
	b = appendPad(b, uint64(h.seglen), 1)
	if h.urg != 0 && h.flags&thURG != 0 {
		b = append(b, " Urg="...)
		b = appendPad(b, uint64(h.urg), 1)
	}
	// Options are summarised in packet order, as tshark appends them
	// while dissecting each option.
	o := h.opts
	for i := 0; i < len(o); {
		k := o[i]
		if k == 0 {
			break
		}
		if k == 1 {
			i++
			continue
		}
		if i+1 >= len(o) || int(o[i+1]) < 2 || i+int(o[i+1]) > len(o) {
			break
		}
		l := int(o[i+1])
		v := o[i+2 : i+l]
		switch {
		case k == 2 && l == 4:
			b = append(b, " MSS="...)
			b = appendPad(b, uint64(binary.BigEndian.Uint16(v)), 1)
		case k == 3 && l == 3:
			b = append(b, " WS="...)
			b = appendPad(b, 1<<min(uint64(v[0]), 14), 1)
		case k == 4 && l == 2:
			b = append(b, " SACK_PERM"...)
		case k == 8 && l == 10:
			b = append(b, " TSval="...)
			b = appendPad(b, uint64(binary.BigEndian.Uint32(v)), 1)
			b = append(b, " TSecr="...)
			b = appendPad(b, uint64(binary.BigEndian.Uint32(v[4:])), 1)
		case k == 5 && (l-2)%8 == 0:
			for j := 0; j+8 <= len(v); j += 8 {
				b = append(b, " SLE="...)
				b = appendPad(b, uint64(binary.BigEndian.Uint32(v[j:])-sackBase), 1)
				b = append(b, " SRE="...)
				b = appendPad(b, uint64(binary.BigEndian.Uint32(v[j+4:])-sackBase), 1)
			}
		}
		i += l
	}
	return b
}
