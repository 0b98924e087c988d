package capture

import (
	"net/netip"
	"time"
)

// TCP conversation tracking and the sequence analysis of Wireshark's
// packet-tcp.c (tcp_analyze_sequence_number), reproduced so that the
// "[SEQ/ACK analysis]" lines and Info prefixes match tshark's single pass.

// Analysis flags (TCP_A_* in packet-tcp.h).
const (
	aRetransmission = 1 << iota
	aLostPacket
	aAckLostPacket
	aKeepAlive
	aDuplicateAck
	aZeroWindow
	aZeroWindowProbe
	aZeroWindowProbeAck
	aKeepAliveAck
	aOutOfOrder
	aFastRetransmission
	aWindowUpdate
	aWindowFull
	aReusedPorts
	aSpuriousRetransmission
)

// Conversation completeness bits.
const (
	compSynSent = 1
	compSynAck  = 2
	compAck     = 4
	compData    = 8
	compFin     = 16
	compRst     = 32
)

const (
	thFIN = 0x01
	thSYN = 0x02
	thRST = 0x04
	thPSH = 0x08
	thACK = 0x10
	thURG = 0x20
	thECE = 0x40
	thCWR = 0x80
	thAE  = 0x100
)

// maxUnacked bounds the per-direction list of unacknowledged segments
// (TCP_MAX_UNACKED_SEGMENTS), so a one-way stream never grows memory.
const maxUnacked = 10000

type unacked struct {
	frame        int
	seq, nextseq uint32
	end          uint32 // seq+seglen: SYN/FIN do not count as bytes in flight
	ts           time.Time
}

// flow is one direction of a conversation.
type flow struct {
	baseSeq    uint32
	baseSet    bool
	winScale   int // -1 unknown, -2 no scaling, else shift
	synSeen    bool
	window     uint32
	windowSet  bool
	nextseq    uint32
	nextseqSet bool
	nextseqFr  int
	nextseqTs  time.Time
	maxseqAck  uint32 // maxseqtobeacked
	maxseqSet  bool
	lastack    uint32
	lastackSet bool
	lastackTs  time.Time
	lastFlags  uint32
	segs       []unacked
	validBIF   bool
	pushBytes  uint32
	pushSet    bool
	dupacks    int
	lastNonDup int
	finSeen    bool
	finFrame   int

	port uint16
	addr netip.Addr

	ds deseg
}

// conv is one TCP conversation (a "stream").
type conv struct {
	index        int
	dir          [2]flow // dir[0] = the key's 'a' side
	clientIsA    bool
	clientKnown  bool
	firstTs      time.Time
	prevTs       time.Time
	completeness uint8
	synTs        time.Time
	synSet       bool
	irtt         time.Duration
	isMQTT       bool
	decided      bool     // isMQTT decided (ports or heuristic)
	tls          *tlsConv // MQTT over TLS (port 8883), named in the packet list
	key          convKey
}

type convKey struct {
	a, b   netip.Addr
	pa, pb uint16
}

func makeKey(src, dst netip.Addr, sp, dp uint16) (convKey, bool) {
	// Canonical order so both directions map to the same key; the bool says
	// whether (src,sp) is the 'a' side.
	if c := src.Compare(dst); c < 0 || (c == 0 && sp <= dp) {
		return convKey{src, dst, sp, dp}, true
	}
	return convKey{dst, src, dp, sp}, false
}

// analysis is the per-frame result of the sequence analysis.
type analysis struct {
	flags       uint32
	ackedFrame  int
	ackRTT      time.Duration
	bif         uint32
	bifSet      bool
	push        uint32
	pushSet     bool
	rto         time.Duration
	rtoFrame    int
	dupackNum   int
	dupackFrame int
}

func (a *analysis) present() bool {
	return a.flags != 0 || a.ackedFrame != 0 || a.bifSet || a.pushSet
}

func seqGT(a, b uint32) bool { return int32(a-b) > 0 }
func seqGE(a, b uint32) bool { return int32(a-b) >= 0 }
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }

// analyze mirrors tcp_analyze_sequence_number for one segment going from fwd
// to rev. seq/ack are raw numbers; window is the raw (unscaled) field.
func (c *conv) analyze(fwd, rev *flow, num int, ts time.Time, seq, ack, seglen uint32, flags uint32, window uint32, a *analysis) {
	*a = analysis{}
	ctrl := flags & (thSYN | thFIN | thRST)

	// Zero window probe.
	if seglen == 1 && fwd.nextseqSet && seq == fwd.nextseq && rev.windowSet && rev.window == 0 {
		a.flags |= aZeroWindowProbe
		goto finishedFwd
	}
	// Zero window.
	if window == 0 && ctrl == 0 {
		a.flags |= aZeroWindow
	}
	// Lost packet: a hole before this segment.
	if fwd.nextseqSet && seqGT(seq, fwd.nextseq) && flags&thRST == 0 {
		a.flags |= aLostPacket
		fwd.validBIF = false
	}
	// Keep-alive.
	if (seglen == 0 || seglen == 1) && fwd.nextseqSet && seq == fwd.nextseq-1 && ctrl == 0 {
		a.flags |= aKeepAlive
	}
	// Window update.
	if seglen == 0 && window != 0 && fwd.windowSet && window != fwd.window && fwd.nextseqSet && seq == fwd.nextseq &&
		fwd.lastackSet && ack == fwd.lastack && ctrl == 0 {
		a.flags |= aWindowUpdate
	}
	// Window full.
	if seglen > 0 && rev.winScale != -1 && rev.lastackSet && ctrl == 0 {
		sc := rev.winScale
		if sc < 0 {
			sc = 0
		}
		if seq+seglen == rev.lastack+(rev.window<<uint(sc)) {
			a.flags |= aWindowFull
		}
	}
	// Keep-alive ACK.
	if seglen == 0 && window != 0 && fwd.windowSet && window == fwd.window && fwd.nextseqSet && seq == fwd.nextseq &&
		fwd.lastackSet && ack == fwd.lastack && rev.lastFlags&aKeepAlive != 0 && ctrl == 0 {
		a.flags |= aKeepAliveAck
		goto finishedFwd
	}
	// Zero window probe ACK.
	if seglen == 0 && window == 0 && fwd.windowSet && window == fwd.window && fwd.nextseqSet && seq == fwd.nextseq &&
		fwd.lastackSet && (ack == fwd.lastack || ack == fwd.lastack+1) && rev.lastFlags&aZeroWindowProbe != 0 && ctrl == 0 {
		a.flags |= aZeroWindowProbeAck
		goto finishedFwd
	}
	// Duplicate ACK.
	if seglen == 0 && window != 0 && fwd.windowSet && window == fwd.window && fwd.nextseqSet && seq == fwd.nextseq &&
		fwd.lastackSet && ack == fwd.lastack && ctrl == 0 {
		fwd.dupacks++
		a.flags |= aDuplicateAck
		a.dupackNum = fwd.dupacks
		a.dupackFrame = fwd.lastNonDup
	}

finishedFwd:
	if a.flags&aDuplicateAck == 0 {
		fwd.lastNonDup = num
		fwd.dupacks = 0
	}
	// ACKed a segment we never saw.
	if rev.maxseqSet && seqGT(ack, rev.maxseqAck) && flags&thACK != 0 {
		a.flags |= aAckLostPacket
		rev.maxseqAck = rev.nextseq
	}

	// Retransmission family.
	if (seglen > 0 || flags&(thSYN|thFIN) != 0) && fwd.nextseqSet && seqLT(seq, fwd.nextseq) {
		if a.flags&aKeepAlive != 0 {
			goto finishedRetrans
		}
		if rev.dupacks >= 2 && rev.lastack == seq && ts.Sub(rev.lastackTs) < 20*time.Millisecond {
			a.flags |= aFastRetransmission
			goto finishedRetrans
		}
		ooo := 3 * time.Millisecond
		if c.irtt > 0 {
			ooo = c.irtt
		}
		if ts.Sub(fwd.nextseqTs) < ooo && fwd.nextseq != seq+seglen {
			a.flags |= aOutOfOrder
			goto finishedRetrans
		}
		if seglen > 0 && rev.lastackSet && seqGE(rev.lastack, seq+seglen) {
			a.flags |= aSpuriousRetransmission
			goto finishedRetrans
		}
		a.flags |= aRetransmission
		a.rto = ts.Sub(fwd.nextseqTs)
		a.rtoFrame = fwd.nextseqFr
	}

finishedRetrans:
	{
		nextseq := seq + seglen
		if flags&(thSYN|thFIN) != 0 {
			nextseq++
		}
		if (seglen > 0 || flags&(thSYN|thFIN) != 0) && len(fwd.segs) < maxUnacked {
			fwd.segs = append(fwd.segs, unacked{frame: num, seq: seq, nextseq: nextseq, end: seq + seglen, ts: ts})
		}
		if !fwd.nextseqSet || seqGT(nextseq, fwd.nextseq) {
			if a.flags&aZeroWindowProbe == 0 {
				fwd.nextseq, fwd.nextseqFr, fwd.nextseqTs, fwd.nextseqSet = nextseq, num, ts, true
			}
		}
		if !fwd.maxseqSet || seqGT(nextseq, fwd.maxseqAck) {
			if a.flags&aZeroWindowProbe == 0 {
				fwd.maxseqAck, fwd.maxseqSet = nextseq, true
			}
		}
	}
	fwd.window, fwd.windowSet = window, true
	if flags&thACK != 0 {
		fwd.lastack, fwd.lastackSet, fwd.lastackTs = ack, true, ts
	}
	fwd.lastFlags = a.flags

	// Remove what this ACK acknowledges from the other direction, noting
	// the segment it exactly acknowledges for the RTT lines. When a segment
	// was sent again, both copies match; tshark reports the first.
	if flags&thACK != 0 {
		segs := rev.segs[:0]
		exact := false
		for i := 0; i < len(rev.segs); i++ {
			u := rev.segs[i]
			switch {
			case ack == u.nextseq:
				if !exact {
					a.ackedFrame, a.ackRTT, exact = u.frame, ts.Sub(u.ts), true
				}
				continue // acked: drop
			case seqGT(ack, u.seq) && seqLE(ack, u.nextseq):
				u.seq = ack
				segs = append(segs, u)
			case seqGT(u.nextseq, ack):
				segs = append(segs, u)
			default:
				// older than ack: drop
			}
		}
		rev.segs = segs
		rev.validBIF = true
	}

	// Bytes in flight and bytes since last PSH, for data segments.
	if seglen > 0 {
		if fwd.validBIF {
			if len(fwd.segs) > 0 {
				lo, hi := fwd.segs[0].seq, fwd.segs[0].end
				for _, u := range fwd.segs[1:] {
					if seqLT(u.seq, lo) {
						lo = u.seq
					}
					if seqGT(u.end, hi) {
						hi = u.end
					}
				}
				a.bif, a.bifSet = hi-lo, hi-lo > 0
			}
			// Bytes since the last PSH are tracked under the same
			// condition as bytes in flight (not after a hole).
			if fwd.pushSet {
				fwd.pushBytes = 0
				fwd.pushSet = false
			}
			fwd.pushBytes += seglen
			a.push, a.pushSet = fwd.pushBytes, true
			if flags&thPSH != 0 {
				fwd.pushSet = true
			}
		}
	}
}

func (c *conv) flowFor(aSide bool) *flow {
	if aSide {
		return &c.dir[0]
	}
	return &c.dir[1]
}
