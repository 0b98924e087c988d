package capture

import (
	"encoding/binary"

	"github.com/mqtap/mqtap/output"
)

// jsonTCP is the "tcp" layer: the same items as writeTCP, in the same
// order, under their filter names.
func jsonTCP(a *output.JSONArena, s *tcpSnap) *output.JSONObject {
	h := &s.h
	o := a.Object()
	sp, dp := utoa(uint64(h.sport)), utoa(uint64(h.dport))
	o.Add("tcp.srcport", sp)
	o.Add("tcp.dstport", dp)
	o.Add("tcp.port", sp)
	o.Add("tcp.port", dp)
	o.Add("tcp.stream", itoa(s.stream))
	o.Add("tcp.completeness", utoa(uint64(s.completeness)))
	o.Add("tcp.len", itoa(h.seglen))
	o.Add("tcp.seq", utoa(uint64(s.relSeq)))
	o.Add("tcp.seq_raw", utoa(uint64(h.seq)))
	o.Add("tcp.nxtseq", utoa(uint64(s.relNext)))
	if h.flags&thACK != 0 {
		o.Add("tcp.ack", utoa(uint64(s.relAck)))
	} else {
		o.Add("tcp.ack", "0")
	}
	o.Add("tcp.ack_raw", utoa(uint64(h.ack)))
	o.Add("tcp.hdr_len", itoa(h.hlen))
	jsonTCPFlags(o, h, s.finExpert)
	o.Add("tcp.window_size_value", utoa(uint64(h.win)))
	if h.flags&thSYN != 0 {
		o.Add("tcp.window_size", utoa(uint64(h.win)))
	} else {
		calc := uint64(h.win)
		if s.winScale >= 0 {
			calc <<= uint(s.winScale)
			o.Add("tcp.window_size", utoa(calc))
			o.Add("tcp.window_size_scalefactor", utoa(1<<uint(s.winScale)))
		} else {
			o.Add("tcp.window_size", utoa(calc))
			o.Add("tcp.window_size_scalefactor", itoa(s.winScale))
		}
	}
	o.Add("tcp.checksum", hexField(uint64(h.sum), 4))
	o.Add("tcp.checksum.status", "2") // unverified
	o.Add("tcp.urgent_pointer", utoa(uint64(h.urg)))
	if len(h.opts) > 0 {
		o.Add("tcp.options", colonHex(h.opts))
		jsonOpts(o.AddObject("tcp.options_tree"), h.opts, s.sackBase)
	}
	ts := o.AddObject("Timestamps")
	ts.Add("tcp.time_relative", durString(durNS(s.tsFirst)))
	ts.Add("tcp.time_delta", durString(durNS(s.tsPrev)))
	if a := &s.a; a.present() {
		jsonAnalysis(o.AddObject("tcp.analysis"), a, s)
	}
	if len(h.payload) > 0 {
		o.Add("tcp.payload", colonHex(h.payload))
	}
	for _, it := range s.tail {
		if it.kind == tailPDUSize {
			o.Add("tcp.pdu.size", itoa(it.n))
			continue
		}
		end := min(it.off+it.n, len(h.payload))
		o.Add("tcp.segment_data", colonHex(h.payload[min(it.off, end):end]))
	}
	return o
}

// tcpFlagFields are the flag bits in tree order with their filter names.
var tcpFlagFields = [...]struct {
	name string
	mask uint32
}{
	{"tcp.flags.res", 0xe00}, {"tcp.flags.ae", 0x100}, {"tcp.flags.cwr", 0x80}, {"tcp.flags.ece", 0x40},
	{"tcp.flags.urg", 0x20}, {"tcp.flags.ack", 0x10}, {"tcp.flags.push", 0x08}, {"tcp.flags.reset", 0x04},
	{"tcp.flags.syn", 0x02}, {"tcp.flags.fin", 0x01},
}

func jsonTCPFlags(o *output.JSONObject, h *tcpHdr, finExpert string) {
	f := h.flags
	o.Add("tcp.flags", hexField(uint64(f), 4))
	t := o.AddObject("tcp.flags_tree")
	for _, ff := range tcpFlagFields {
		t.Add(ff.name, bit(f&ff.mask != 0))
		if f&ff.mask == 0 {
			continue
		}
		switch ff.mask {
		case thRST:
			jsonExpert(t.AddObject("tcp.flags.reset_tree"), "tcp.connection.rst", "Connection reset (RST)", sevWarning)
		case thSYN:
			x := t.AddObject("tcp.flags.syn_tree")
			if f&thACK != 0 {
				jsonExpert(x, "tcp.connection.synack", "Connection establish acknowledge (SYN+ACK): server port "+utoa(uint64(h.sport)), sevChat)
			} else {
				jsonExpert(x, "tcp.connection.syn", "Connection establish request (SYN): server port "+utoa(uint64(h.dport)), sevChat)
			}
		case thFIN:
			jsonExpert(t.AddObject("tcp.flags.fin_tree"), "tcp.connection.fin", "Connection finish (FIN)", sevChat)
		}
	}
	var b [40]byte
	s := b[:0]
	for i := 0; i < 12; i++ {
		if f&(1<<uint(11-i)) != 0 {
			s = append(s, tcpFlagChars[i]...)
		} else {
			s = append(s, "·"...)
		}
	}
	t.Add("tcp.flags.str", string(s))
	if finExpert != "" {
		name := "tcp.connection.fin_active"
		if finExpert == "This frame undergoes the connection closing" {
			name = "tcp.connection.fin_passive"
		}
		jsonExpert(t.AddObject("tcp.flags.str_tree"), name, finExpert, sevNote)
	}
}

// jsonOpts mirrors writeOpts: one "tcp.options.X" (the option's bytes)
// and its "_tree" per option.
func jsonOpts(o *output.JSONObject, opts []byte, sackBase uint32) {
	for i := 0; i < len(opts); {
		k := opts[i]
		if k == 0 {
			o.Add("tcp.options.eol", colonHex(opts[i:i+1]))
			o.AddObject("tcp.options.eol_tree").Add("tcp.option_kind", "0")
			break
		}
		if k == 1 {
			o.Add("tcp.options.nop", "01")
			o.AddObject("tcp.options.nop_tree").Add("tcp.option_kind", "1")
			i++
			continue
		}
		if i+1 >= len(opts) || int(opts[i+1]) < 2 || i+int(opts[i+1]) > len(opts) {
			break
		}
		l := int(opts[i+1])
		raw, v := opts[i:i+l], opts[i+2:i+l]
		name, tree := "tcp.options.unknown", "tcp.options.unknown_tree"
		switch {
		case k == 2 && l == 4:
			name, tree = "tcp.options.mss", "tcp.options.mss_tree"
		case k == 3 && l == 3:
			name, tree = "tcp.options.wscale", "tcp.options.wscale_tree"
		case k == 4 && l == 2:
			name, tree = "tcp.options.sack_perm", "tcp.options.sack_perm_tree"
		case k == 8 && l == 10:
			name, tree = "tcp.options.timestamp", "tcp.options.timestamp_tree"
		case k == 5 && (l-2)%8 == 0:
			name, tree = "tcp.options.sack", "tcp.options.sack_tree"
		}
		o.Add(name, colonHex(raw))
		t := o.AddObject(tree)
		t.Add("tcp.option_kind", utoa(uint64(k)))
		t.Add("tcp.option_len", itoa(l))
		switch name {
		case "tcp.options.mss":
			t.Add("tcp.options.mss_val", utoa(uint64(binary.BigEndian.Uint16(v))))
		case "tcp.options.wscale":
			t.Add("tcp.options.wscale.shift", utoa(uint64(v[0])))
			t.Add("tcp.options.wscale.multiplier", utoa(1<<min(uint64(v[0]), 14)))
		case "tcp.options.timestamp":
			t.Add("tcp.options.timestamp.tsval", utoa(uint64(binary.BigEndian.Uint32(v))))
			t.Add("tcp.options.timestamp.tsecr", utoa(uint64(binary.BigEndian.Uint32(v[4:]))))
		case "tcp.options.sack":
			for j := 0; j+8 <= len(v); j += 8 {
				t.Add("tcp.options.sack_le", utoa(uint64(binary.BigEndian.Uint32(v[j:])-sackBase)))
				t.Add("tcp.options.sack_re", utoa(uint64(binary.BigEndian.Uint32(v[j+4:])-sackBase)))
			}
			t.Add("tcp.options.sack.count", itoa(len(v)/8))
		}
		i += l
	}
}

func jsonAnalysis(o *output.JSONObject, a *analysis, s *tcpSnap) {
	if a.ackedFrame != 0 {
		o.Add("tcp.analysis.acks_frame", itoa(a.ackedFrame))
		o.Add("tcp.analysis.ack_rtt", durString(a.ackRTT))
	}
	if s.irtt > 0 {
		o.Add("tcp.analysis.initial_rtt", durString(s.irtt))
	}
	if a.bifSet {
		o.Add("tcp.analysis.bytes_in_flight", utoa(uint64(a.bif)))
	}
	if a.pushSet {
		o.Add("tcp.analysis.push_bytes_sent", utoa(uint64(a.push)))
	}
	if a.flags == 0 {
		return
	}
	f := o.AddObject("tcp.analysis.flags")
	for i := range analysisExperts {
		e := &analysisExperts[i]
		if a.flags&e.flag == 0 {
			continue
		}
		jsonExpert(f, e.name, e.message(a), e.sev)
		switch e.flag {
		case aRetransmission:
			if a.rto != 0 {
				f.Add("tcp.analysis.rto", durString(a.rto))
				f.Add("tcp.analysis.rto_frame", itoa(a.rtoFrame))
			}
		case aFastRetransmission, aSpuriousRetransmission:
			jsonExpert(f, "tcp.analysis.retransmission", msgRetransmission, sevNote)
		}
	}
	if a.flags&aDuplicateAck != 0 {
		o.Add("tcp.analysis.duplicate_ack_num", itoa(a.dupackNum))
		o.Add("tcp.analysis.duplicate_ack_frame", itoa(a.dupackFrame))
	}
}

// analysisExpert is one "[TCP Analysis Flags]" expert.
type analysisExpert struct {
	flag uint32
	name string
	msg  string
	sev  string
}

// message is the expert's text for the segment a: fixed, but for a
// duplicate ACK, which is numbered.
func (e *analysisExpert) message(a *analysis) string {
	if e.flag == aDuplicateAck {
		return "Duplicate ACK (#" + itoa(a.dupackNum) + ")"
	}
	return e.msg
}

// msgRetransmission is also what tshark adds under a fast or spurious
// retransmission.
const msgRetransmission = "This frame is a (suspected) retransmission"

// analysisExperts are the "[TCP Analysis Flags]" experts in the order
// writeAnalysisFlags prints them.
var analysisExperts = [...]analysisExpert{
	{aRetransmission, "tcp.analysis.retransmission", msgRetransmission, sevNote},
	{aFastRetransmission, "tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission", sevNote},
	{aSpuriousRetransmission, "tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission", sevNote},
	{aOutOfOrder, "tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment", sevWarning},
	{aLostPacket, "tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)", sevWarning},
	{aAckLostPacket, "tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)", sevWarning},
	{aWindowUpdate, "tcp.analysis.window_update", "TCP window update", sevChat},
	{aWindowFull, "tcp.analysis.window_full", "TCP window specified by the receiver is now completely full", sevWarning},
	{aKeepAlive, "tcp.analysis.keep_alive", "TCP keep-alive segment", sevNote},
	{aKeepAliveAck, "tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment", sevNote},
	{aDuplicateAck, "tcp.analysis.duplicate_ack", "", sevNote},
	{aZeroWindowProbe, "tcp.analysis.zero_window_probe", "TCP Zero Window Probe", sevNote},
	{aZeroWindow, "tcp.analysis.zero_window", "TCP Zero Window segment", sevWarning},
	{aZeroWindowProbeAck, "tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe", sevNote},
}
