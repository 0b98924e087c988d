package capture

import (
	"fmt"
	"time"
)

// ngIface is what a pcapng Interface Description Block says about the
// packets of its interface (its name is kept in source.ifLabels).
type ngIface struct {
	link    LinkType
	snapLen uint32 // 0: no limit
	digits  int    // decimal places tshark shows for its timestamps
	// A timestamp in units of the resolution (if_tsresol) becomes
	// seconds ts/units + offset (if_tsoffset) and nanoseconds
	// ts%units*scaleUp/scaleDown.
	units, scaleUp, scaleDown, offset uint64
}

// Interface Description Block options used.
const (
	optEnd        = 0
	optIfName     = 2
	optIfDescr    = 3
	optTSResol    = 9
	optTSOffset   = 14
	optIfHardware = 15
)

// ifaceLabel is how tshark 4.0 names a frame's interface: if_name, or
// failing that if_description, then if_hardware, then "unknown"; an
// if_description is also shown on a line of its own.
type ifaceLabel struct {
	ifName     string
	ifDescr    string
	ifHasDescr bool
}

// addInterface reads an Interface Description Block b (the whole block)
// and appends its interface to the section's.
func (s *source) addInterface(b []byte) error {
	// link type, reserved, snap length, options, trailing length
	if len(b) < 20 {
		return fmt.Errorf("capture: pcapng interface description block of %d bytes is too short", len(b))
	}
	ifc := ngIface{link: LinkType(s.u16(b[8:])), snapLen: s.u32(b[12:])}
	var label ifaceLabel
	var name, hardware string
	var hasName, hasHardware bool
	resol := byte(0)
	opts := b[16 : len(b)-4]
	for len(opts) >= 4 {
		code, n := s.u16(opts), int(s.u16(opts[2:]))
		if code == optEnd {
			break
		}
		if 4+n > len(opts) {
			return fmt.Errorf("capture: pcapng interface option %d of %d bytes overruns its block", code, n)
		}
		v := opts[4 : 4+n]
		switch code {
		case optIfName:
			name, hasName = string(v), true
		case optIfDescr:
			label.ifDescr, label.ifHasDescr = string(v), true
		case optIfHardware:
			hardware, hasHardware = string(v), true
		case optTSResol:
			if n >= 1 {
				resol = v[0]
			}
		case optTSOffset:
			if n >= 8 {
				ifc.offset = s.u64(v)
			}
		}
		// values are padded to 32 bits
		opts = opts[min(4+(n+3)&^3, len(opts)):]
	}
	if err := ifc.setResolution(resol); err != nil {
		return err
	}
	s.ifaces = append(s.ifaces, ifc)
	switch {
	case hasName:
		label.ifName = name
	case label.ifHasDescr:
		label.ifName = label.ifDescr
	case hasHardware:
		label.ifName = hardware
	default:
		label.ifName = "unknown"
	}
	s.ifLabels = append(s.ifLabels, label)
	return nil
}

// setResolution prepares the timestamp conversion for if_tsresol r: the
// high bit set means 2^-(r&0x7f) seconds, clear 10^-r. A missing option,
// and 0, mean microseconds (the reader mqtap used before did so for 0 too,
// and this keeps its timestamps). The arithmetic is that reader's,
// overflow included, so that every timestamp stays as it was.
func (i *ngIface) setResolution(r byte) error {
	if r == 0 {
		r = 6
	}
	exp := uint64(r & 0x7f)
	if exp > 63 {
		return fmt.Errorf("capture: pcapng timestamp resolution %#x is too fine", r)
	}
	if r&0x80 != 0 {
		i.units = 1 << exp
		i.digits = 9
	} else {
		i.units = 1
		for range exp {
			i.units *= 10
		}
		i.digits = int(min(exp, 9))
	}
	i.scaleUp, i.scaleDown = 1, 1
	if i.units < 1e9 {
		i.scaleUp = 1e9 / i.units
	} else {
		i.scaleDown = i.units / 1e9
	}
	return nil
}

// time converts a timestamp of the interface's resolution.
func (i *ngIface) time(ts uint64) time.Time {
	return time.Unix(int64(ts/i.units+i.offset), int64(ts%i.units*i.scaleUp/i.scaleDown)).UTC()
}
