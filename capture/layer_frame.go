package capture

import "time"

// encap is wiretap's name and WTAP_ENCAP number for a pcap link type: the
// label of the Frame section's "Encapsulation type" line, and the number
// alone for JSON's frame.encap_type.
func encap(lt LinkType) (label string, num int) {
	switch lt {
	case LinkTypeEthernet:
		return "Ethernet (1)", 1
	case LinkTypeRaw, LinkTypeRawDLT:
		return "Raw IP (7)", 7
	case LinkTypeIPv4:
		return "Raw IPv4 (129)", 129
	case LinkTypeIPv6:
		return "Raw IPv6 (130)", 130
	case LinkTypeNull:
		return "NULL/Loopback (15)", 15
	case LinkTypeLoop:
		return "OpenBSD loopback (174)", 174
	case LinkTypeLinuxSLL:
		return "Linux cooked-mode capture v1 (25)", 25
	case LinkTypeLinuxSLL2:
		return "Linux cooked-mode capture v2 (210)", 210
	}
	return "Unknown (0)", 0
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// appendAbsTime renders "Nov 24, 2026 20:51:55.500438336 UTC" in the local
// time zone, as tshark's Arrival Time does (it uses localtime()).
func appendAbsTime(b []byte, t time.Time) []byte {
	t = t.Local()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append(b, months[mo-1]...)
	b = append(b, ' ')
	if d < 10 {
		b = append(b, ' ')
	}
	b = appendPad(b, uint64(d), 1)
	b = append(b, ", "...)
	b = appendPad(b, uint64(y), 1)
	b = append(b, ' ')
	b = appendPad(b, uint64(h), 2)
	b = append(b, ':')
	b = appendPad(b, uint64(mi), 2)
	b = append(b, ':')
	b = appendPad(b, uint64(s), 2)
	b = append(b, '.')
	b = appendPad(b, uint64(t.Nanosecond()), 9)
	zone, _ := t.Zone()
	b = append(b, ' ')
	return append(b, zone...)
}

// appendEpoch renders seconds.nanoseconds since the Unix epoch. It works
// on seconds and nanoseconds apart: a pcapng timestamp can lie further
// than the 292 years an int64 of nanoseconds spans.
func appendEpoch(b []byte, t time.Time) []byte {
	sec, ns := t.Unix(), uint64(t.Nanosecond())
	abs := uint64(sec)
	if sec < 0 {
		b = append(b, '-')
		abs = -abs // two's complement: right for math.MinInt64 too
		if ns > 0 {
			abs, ns = abs-1, 1e9-ns
		}
	}
	b = appendPad(b, abs, 1)
	b = append(b, '.')
	return appendPad(b, ns, 9)
}

// writeFrame renders the "Frame N" section. It is rendered after the other
// layers (into its own buffer) because its last line lists the protocols
// found, which depends on the TCP payload analysis.
func writeFrame(t *textBuf, f *rawFrame, num int, delta, since time.Duration, protos []byte) {
	capLen := len(f.data)
	t.section()
	t.line(0).s("Frame ").i(num).s(": ").i(f.wireLen).s(" bytes on wire (").i(f.wireLen * 8).s(" bits), ").
		i(capLen).s(" bytes captured (").i(capLen * 8).s(" bits)")
	if f.ifaceSet {
		t.s(" on interface ").s(f.ifName).s(", id ").i(f.ifaceID)
		t.line(1).s("Section number: ").i(f.section)
		t.line(1).s("Interface id: ").i(f.ifaceID).s(" (").s(f.ifName).s(")")
		t.line(2).s("Interface name: ").s(f.ifName)
		if f.ifHasDescr {
			t.line(2).s("Interface description: ").s(f.ifDescr)
		}
	}
	label, _ := encap(f.link)
	t.line(1).s("Encapsulation type: ").s(label)
	if !f.noTime {
		writeFrameTimes(t, f, delta, since)
	}
	t.line(1).s("Frame Number: ").i(num)
	t.line(1).s("Frame Length: ").i(f.wireLen).s(" bytes (").i(f.wireLen * 8).s(" bits)")
	t.line(1).s("Capture Length: ").i(capLen).s(" bytes (").i(capLen * 8).s(" bits)")
	t.line(1).s("[Frame is marked: False]")
	t.line(1).s("[Frame is ignored: False]")
	t.line(1).s("[Protocols in frame: ").by(protos).c(']')
}

// writeFrameTimes renders the Frame section's time lines, which a frame
// stored without a timestamp does not have.
func writeFrameTimes(t *textBuf, f *rawFrame, delta, since time.Duration) {
	t.line(1).s("Arrival Time: ")
	// The text up to the seconds changes once a second; frames come many
	// per second.
	m := t.memo
	if sec := f.ts.Unix(); sec != m.absSec || m.absPrefix == nil {
		full := appendAbsTime(m.absPrefix[:0], f.ts)
		zone, _ := f.ts.Local().Zone()
		dot := len(full) - len(zone) - 1 - 9 // before the nanoseconds
		m.absSec, m.absPrefix, m.absZone = sec, full[:dot], string(full[dot+9:])
	}
	t.b = appendPad(append(t.b, m.absPrefix...), uint64(f.ts.Nanosecond()), 9)
	t.b = append(t.b, m.absZone...)
	t.line(1).s("[Time shift for this packet: 0.000000000 seconds]")
	t.line(1).s("Epoch Time: ")
	t.b = appendEpoch(t.b, f.ts)
	t.s(" seconds")
	t.line(1).s("[Time delta from previous captured frame: ")
	ds := len(t.b)
	t.dur(delta)
	de := len(t.b)
	t.s(" seconds]")
	t.line(1).s("[Time delta from previous displayed frame: ")
	t.b = append(t.b, t.b[ds:de]...) // the same value: every frame is displayed
	t.s(" seconds]")
	t.line(1).s("[Time since reference or first frame: ").dur(since).s(" seconds]")
}
