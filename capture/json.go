package capture

import (
	"strconv"
	"time"

	"github.com/mqtap/mqtap/output"
)

// frameMeta is what Next keeps of a frame for its JSON layers: the frame
// record (its bytes are valid until the next call), where the link and IP
// layers were found, and a copy of the TCP analysis, which later frames
// change.
type frameMeta struct {
	frame  rawFrame
	delta  time.Duration
	protos []byte
	link   linkResult
	ip     ipResult
	tcp    tcpSnap
	data   bool // the TCP payload went to tshark's data dissector
}

type tcpSnap struct {
	ok                      bool
	h                       tcpHdr
	a                       analysis
	stream                  int
	completeness            uint8
	relSeq, relAck, relNext uint32
	tsFirst, tsPrev         int64
	winScale                int
	sackBase                uint32
	irtt                    time.Duration
	finExpert               string
	tail                    []tailItem
	startedMSP, continued   bool   // for the Info column (see segResult)
	appInfo                 string // the Info of records named here (TLS)
	pdus                    bool   // the segment completed PDUs
}

// JSONLayers returns the layers below the application as tshark -T json
// prints them under "layers": "frame", the link layer ("eth", "sll",
// "null", "raw", with "vlan"), "ip" or "ipv6", "tcp", and "data" for a
// payload that is not the application's. Call it before the next Next.
// The "tcp.segments" of a reassembled PDU come from PDU.JSONSegments, as
// tshark puts them before that PDU's own layer.
func (p *Packet) JSONLayers() []output.JSONMember {
	m := &p.meta
	out := make([]output.JSONMember, 0, 6)
	a := p.arena
	out = append(out, output.JSONMember{Key: "frame", Obj: jsonFrame(a, p, m)})
	if !m.link.ok {
		return out
	}
	out = jsonLink(a, out, &m.frame)
	d := m.frame.data[m.link.off:]
	if m.ip.ok {
		if m.link.etype == etherIPv6 {
			out = append(out, output.JSONMember{Key: "ipv6", Obj: jsonIPv6(a, d)})
		} else {
			out = append(out, output.JSONMember{Key: "ip", Obj: jsonIPv4(a, d)})
		}
	}
	if m.tcp.ok {
		out = append(out, output.JSONMember{Key: "tcp", Obj: jsonTCP(a, &m.tcp)})
		if m.data {
			pl := m.tcp.h.payload
			o := a.Object()
			o.Add("data.data", colonHex(pl))
			o.Add("data.len", itoa(len(pl)))
			out = append(out, output.JSONMember{Key: "data", Obj: o})
		}
	}
	return out
}

// JSONTrailer returns the layers tshark -T json puts after the PDUs' (after
// JSONLayers' when there are none), as Trailer: "tcp.segments" of a PDU
// reassembled but not dissected, "_ws.malformed" for a Malformed frame.
func (p *Packet) JSONTrailer() []output.JSONMember {
	var out []output.JSONMember
	if p.undissected != nil {
		out = append(out, output.JSONMember{Key: "tcp.segments", Obj: p.undissected.JSONSegments()})
	}
	if p.Short {
		out = append(out, output.JSONMember{Key: "_ws.short", Str: output.ShortMarker})
	}
	if !p.Malformed {
		return out
	}
	x := p.arena.Object()
	e := x.AddObject("_ws.expert")
	e.Add("_ws.malformed.expert", "")
	e.Add("_ws.expert.message", "Malformed Packet (Exception occurred)")
	e.Add("_ws.expert.severity", "8388608")
	e.Add("_ws.expert.group", "117440512")
	x.Add("_ws.malformed", "Malformed Packet")
	return append(out, output.JSONMember{Key: "_ws.malformed", Obj: x})
}

// JSONSegments is the "tcp.segments" layer of a reassembled PDU (nil
// for a PDU that came in one segment): the frames that carried it, their
// count, the length and the bytes.
func (pdu *PDU) JSONSegments() *output.JSONObject {
	if !pdu.Reassembled {
		return nil
	}
	o := &output.JSONObject{}
	for _, f := range pdu.frags {
		o.Add("tcp.segment", itoa(f.frame))
	}
	o.Add("tcp.segment.count", itoa(len(pdu.frags)))
	o.Add("tcp.reassembled.length", itoa(len(pdu.Data)))
	o.Add("tcp.reassembled.data", colonHex(pdu.Data))
	return o
}

func itoa(n int) string    { return strconv.Itoa(n) }
func utoa(n uint64) string { return strconv.FormatUint(n, 10) }
func bit(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// hexField renders a BASE_HEX value as tshark's JSON does: "0x" and as
// many digits as the whole field is wide.
func hexField(v uint64, digits int) string {
	b := make([]byte, 0, 2+digits)
	b = append(b, '0', 'x')
	return string(appendHex(b, v, digits))
}

// colonHex renders bytes as "0a:1b:...", the JSON form of a bytes field.
func colonHex(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	out := make([]byte, 0, 3*len(b)-1)
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, hexdigits[c>>4], hexdigits[c&0xf])
	}
	return string(out)
}

func durString(d time.Duration) string {
	var b [32]byte
	return string(appendDur(b[:0], d))
}

// Expert severities and groups as tshark's JSON prints them (the PI_*
// constants of epan/proto.h).
const (
	sevChat     = "2097152"
	sevNote     = "4194304"
	sevWarning  = "6291456"
	groupSeqStr = "33554432"
)

// jsonExpert adds an "_ws.expert" object: the expert's filter name with an
// empty value, then message, severity and group.
func jsonExpert(o *output.JSONObject, name, msg, sev string) {
	x := o.AddObject("_ws.expert")
	x.Add(name, "")
	x.Add("_ws.expert.message", msg)
	x.Add("_ws.expert.severity", sev)
	x.Add("_ws.expert.group", groupSeqStr)
}

func jsonFrame(a *output.JSONArena, p *Packet, m *frameMeta) *output.JSONObject {
	f := &m.frame
	o := a.Object()
	if f.ifaceSet {
		o.Add("frame.section_number", itoa(f.section))
		o.Add("frame.interface_id", itoa(f.ifaceID))
		tree := o.AddObject("frame.interface_id_tree")
		tree.Add("frame.interface_name", f.ifName)
		if f.ifHasDescr {
			tree.Add("frame.interface_description", f.ifDescr)
		}
	}
	_, num := encap(f.link)
	o.Add("frame.encap_type", itoa(num))
	if !f.noTime {
		var b [64]byte
		o.Add("frame.time", string(appendAbsTime(b[:0], f.ts)))
		o.Add("frame.offset_shift", "0.000000000")
		o.Add("frame.time_epoch", string(appendEpoch(b[:0], f.ts)))
		o.Add("frame.time_delta", durString(m.delta))
		o.Add("frame.time_delta_displayed", durString(m.delta))
		o.Add("frame.time_relative", durString(p.RelTime))
	}
	o.Add("frame.number", itoa(p.Number))
	o.Add("frame.len", itoa(f.wireLen))
	o.Add("frame.cap_len", itoa(len(f.data)))
	o.Add("frame.marked", "0")
	o.Add("frame.ignored", "0")
	o.Add("frame.protocols", string(m.protos))
	return o
}
