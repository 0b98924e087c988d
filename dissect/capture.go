package dissect

import (
	"bufio"
	"errors"
	"io"

	"github.com/mqtap/mqtap/capture"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// Capture dissects a pcap or pcapng stream frame by frame. Memory stays
// flat: frames are written as they are read, and only the state of open TCP
// streams is kept.
func Capture(w io.Writer, r io.Reader, opt Options) (Stats, error) {
	copt := capture.Options{Ports: opt.Ports, PDULen: pduLen, MaxPDU: opt.MaxPDU}
	if opt.Heuristic {
		copt.Heuristic = startsWithConnect
	}
	rd, err := capture.NewReader(r, copt)
	if err != nil {
		return Stats{}, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var out packetWriter
	out.init(bw, opt)
	convs := map[int]*output.Conversation{}
	var st Stats
	var pool []*output.Dissection
	for {
		p, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, capture.ErrTruncated) {
			// tshark shows the frames before the cut and closes its
			// JSON, then reports the file cut short.
			if ferr := out.finish(); ferr != nil {
				return st, ferr
			}
			bw.Flush()
			return st, err
		}
		if err != nil {
			bw.Flush()
			return st, err
		}
		st.Frames++
		ds := pool[:0]
		if len(p.PDUs) > 0 {
			conv := convs[p.Stream]
			if conv == nil {
				conv = output.NewConversation(opt.Version)
				convs[p.Stream] = conv
			}
			for i := range p.PDUs {
				if i >= len(pool) {
					pool = append(pool, new(output.Dissection))
				}
				d := pool[i]
				conv.DissectCut(d, p.PDUs[i].Data, p.PDUs[i].Reported, p.PDUs[i].Unreassembled)
				if d.Malformed() {
					st.Malformed++
				}
				ds = append(ds, d)
				// Protocols found in the payload (":json") join the
				// frame's list after its ":mqtt".
				if extra := output.ExtraProtocols(d); extra != "" {
					p.AppendProtocols(extra)
				}
				// tshark stops the frame when the JSON dissector throws:
				// the PDUs after this one are not shown.
				if d.EndsFrame() {
					p.Malformed = false // nothing after it is shown
					break
				}
			}
			st.PDUs += len(ds)
		}
		if p.Malformed {
			st.Malformed++
		}
		if err := out.capturePacket(p, ds); err != nil {
			return st, err
		}
	}
	if err := out.finish(); err != nil {
		return st, err
	}
	return st, bw.Flush()
}

// startsWithConnect is the heuristic for MQTT on a port nobody declared: the
// client's first bytes are a CONNECT with a known protocol name.
func startsWithConnect(b []byte) bool {
	if len(b) < 2 || b[0] != byte(mqttwire.TypeConnect)<<4 {
		return false
	}
	h, err := mqttwire.ParseFixedHeader(b)
	if err != nil {
		return false
	}
	p := 1 + h.LenBytes
	if len(b) < p+8 {
		return false
	}
	name := string(b[p+2 : p+6])
	return b[p] == 0 && (b[p+1] == 4 && name == "MQTT" || b[p+1] == 6 && name == "MQIs")
}
