package dissect

import (
	"bufio"
	"strings"
	"time"

	"github.com/mqtap/mqtap/capture"
	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// packetWriter writes packets in the chosen format; JSON needs to know
// whether a packet is the first (tshark separates them with "  },\n  {").
type packetWriter struct {
	w     *bufio.Writer
	opt   Options
	count int
	buf   []byte
	// arena holds a JSON packet's objects until it is written.
	arena output.JSONArena
}

func (o *packetWriter) init(w *bufio.Writer, opt Options) {
	o.w, o.opt = w, opt
}

// hexPDU writes one PDU of hex input: it has no frame, so the MQTT layer
// alone, whatever -V says.
func (o *packetWriter) hexPDU(d *output.Dissection, no int) error {
	switch o.opt.Format {
	case JSON, JSONL:
		o.arena.Reset()
		layers := o.arena.Object()
		layers.Members = output.AppendJSONLayers(layers.Members, &o.arena, d, o.opt.Prefs)
		return o.jsonPacket("packets", layers)
	}
	if err := o.tree(d); err != nil {
		return err
	}
	o.pretty(d)
	if o.opt.HexPane {
		// As tshark -V -x: an empty line between the details and the bytes.
		if err := o.w.WriteByte('\n'); err != nil {
			return err
		}
		if err := output.WriteHexPane(o.w, "", d.Raw); err != nil {
			return err
		}
	}
	return o.w.WriteByte('\n')
}

// capturePacket writes one frame of a capture with the dissections of the
// PDUs it completes.
func (o *packetWriter) capturePacket(p *capture.Packet, ds []*output.Dissection) error {
	switch o.opt.Format {
	case JSON, JSONL:
		return o.jsonFrame(p, ds)
	}
	details := o.opt.Details || o.opt.OnlyMQTT
	switch {
	case details:
		if o.opt.OnlyMQTT {
			for _, s := range p.Sections() {
				o.section(s)
			}
		} else if err := p.WriteSections(o.w); err != nil {
			return err
		}
		for i, d := range ds {
			for _, s := range p.PDUs[i].Prelude {
				o.section(s)
			}
			if err := o.tree(d); err != nil {
				return err
			}
			o.pretty(d)
		}
		for _, s := range p.Trailer() {
			o.section(s)
		}
	case !o.opt.HexPane:
		// tshark 4.0 prints the packet list only without -V, -O and -x;
		// --pretty puts the JSON payloads beneath their line.
		if err := o.listLine(p, ds); err != nil {
			return err
		}
		for _, d := range ds {
			o.pretty(d)
		}
		return nil
	default:
		// -x alone: the bytes, after the JSON payloads with --pretty.
		for _, d := range ds {
			o.pretty(d)
		}
	}
	if o.opt.HexPane {
		// tshark separates the details from the bytes with an empty line
		// and ends the frame with another; -x alone prints the bytes only.
		if details {
			if err := o.w.WriteByte('\n'); err != nil {
				return err
			}
		}
		if err := o.panes(p); err != nil {
			return err
		}
	}
	return o.w.WriteByte('\n')
}

// tree writes a PDU's MQTT section; with -O mqtt the sections the payload
// dissectors and the malformed marker add show only their title line.
func (o *packetWriter) tree(d *output.Dissection) error {
	if o.opt.OnlyMQTT {
		return output.WriteTreeOnlyMQTT(o.w, d, o.opt.Prefs, o.opt.Palette)
	}
	return output.WriteTree(o.w, d, o.opt.Prefs, o.opt.Palette)
}

// section writes a lower-layer section, or with -O mqtt only its summary line.
func (o *packetWriter) section(s capture.Section) {
	if o.opt.OnlyMQTT && len(s.Lines) > 0 {
		o.w.WriteString(s.Lines[0])
		o.w.WriteByte('\n')
		return
	}
	s.WriteTo(o.w)
}

// panes writes tshark's -x bytes panes: the frame, and when a PDU was
// reassembled, each reassembled buffer under its own title.
func (o *packetWriter) panes(p *capture.Packet) error {
	var reassembled []capture.PDU
	for _, pdu := range p.PDUs {
		if pdu.Reassembled {
			reassembled = append(reassembled, pdu)
		}
	}
	if len(reassembled) == 0 {
		if len(p.FrameData) == 0 {
			// A frame that captured no bytes has no pane (and
			// output.AppendHexPane does not return for empty data).
			return nil
		}
		return output.WriteHexPane(o.w, "", p.FrameData)
	}
	if err := output.WriteHexPane(o.w, frameTitle("Frame", len(p.FrameData)), p.FrameData); err != nil {
		return err
	}
	for _, pdu := range reassembled {
		if err := output.WriteHexPane(o.w, frameTitle("Reassembled TCP", len(pdu.Data)), pdu.Data); err != nil {
			return err
		}
	}
	return nil
}

func frameTitle(what string, n int) string {
	return what + " (" + itoa(n) + " bytes):"
}

func (o *packetWriter) listLine(p *capture.Packet, ds []*output.Dissection) error {
	proto, info := p.Protocol, ""
	if len(ds) == 0 {
		info = p.TCPInfo()
	} else {
		proto = p.ListProtocol(output.FrameProtocol(ds))
		var b strings.Builder
		b.WriteString(p.InfoPrefix())
		for i, d := range ds {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(output.Info(d))
		}
		b.WriteString(p.InfoSuffix())
		info = b.String()
	}
	// Without a PDU, TCPInfo already starts with the analysis prefix. The
	// Time column has the capture's precision.
	var arr [256]byte
	_, err := o.w.Write(output.AppendListLine(arr[:0], p.Number, p.RelTime, p.TimeDigits, p.Src, p.Dst, proto, p.Length, info))
	return err
}

// pretty prints a PUBLISH's JSON payload indented beneath its tree (--pretty).
func (o *packetWriter) pretty(d *output.Dissection) {
	if !o.opt.Pretty {
		return
	}
	pub, ok := d.Packet.(*mqttwire.Publish)
	if !ok {
		return
	}
	if js, ok := output.PrettyJSON(pub.Payload, o.opt.Palette.Enabled()); ok {
		o.w.Write(js)
		if len(js) > 0 && js[len(js)-1] != '\n' {
			o.w.WriteByte('\n')
		}
	}
}

// jsonFrame writes a capture frame as tshark -T json does: the lower
// layers, then per PDU its "tcp.segments" when it was reassembled and its
// "mqtt" layer.
func (o *packetWriter) jsonFrame(p *capture.Packet, ds []*output.Dissection) error {
	o.arena.Reset()
	layers := o.arena.Object()
	layers.Members = append(layers.Members, p.JSONLayers()...)
	for i, d := range ds {
		if segs := p.PDUs[i].JSONSegments(); segs != nil {
			layers.Members = append(layers.Members, output.JSONMember{Key: "tcp.segments", Obj: segs})
		}
		layers.Members = output.AppendJSONLayers(layers.Members, &o.arena, d, o.opt.Prefs)
	}
	layers.Members = append(layers.Members, p.JSONTrailer()...)
	return o.jsonPacket("packets-"+p.Time.Local().Format(time.DateOnly), layers)
}

// jsonPacket wraps a packet's layers the way tshark does.
func (o *packetWriter) jsonPacket(index string, layers *output.JSONObject) error {
	pkt := o.arena.Object()
	pkt.Add("_index", index)
	pkt.Add("_type", "doc")
	pkt.AddRaw("_score", "null")
	src := pkt.AddObject("_source")
	src.Members = append(src.Members, output.JSONMember{Key: "layers", Obj: layers})
	b := o.buf[:0]
	if o.opt.Format == JSONL {
		b = pkt.AppendCompact(b)
		b = append(b, '\n')
	} else {
		if o.count == 0 {
			b = append(b, "[\n"...)
		} else {
			b = append(b, ",\n"...)
		}
		b = append(b, "  "...)
		b = pkt.AppendIndented(b, 1)
	}
	o.count++
	o.buf = b
	_, err := o.w.Write(b)
	return err
}

// finish closes the JSON array (tshark prints "[\n]" for no packets... and
// mqtap prints "[]" then).
func (o *packetWriter) finish() error {
	if o.opt.Format != JSON {
		return nil
	}
	if o.count == 0 {
		_, err := o.w.WriteString("[]\n")
		return err
	}
	_, err := o.w.WriteString("\n]\n")
	return err
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
