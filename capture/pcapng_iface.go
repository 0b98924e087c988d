package capture

import (
	"fmt"
	"math"
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
	// ts%units*10^9/units.
	units, offset uint64
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
	resol, hasResol := byte(0), false
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
				resol, hasResol = v[0], true
			}
		case optTSOffset:
			if n >= 8 {
				ifc.offset = s.u64(v)
			}
		}
		// values are padded to 32 bits
		opts = opts[min(4+(n+3)&^3, len(opts)):]
	}
	ifc.setResolution(resol, hasResol)
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

// setResolution prepares the timestamp conversion for if_tsresol r, as
// tshark 4.0's wiretap does: the high bit set means units of 2^-(r&0x7f)
// seconds, clear 10^-r (so 0 means whole seconds); exponents past what 64
// bits hold (2^63, 10^19) give 2^64-1 units. present is false when the
// interface has no if_tsresol option: microseconds.
func (i *ngIface) setResolution(r byte, present bool) {
	if !present {
		r = 6
	}
	base, exp := uint64(10), uint64(r&0x7f)
	if r&0x80 != 0 {
		base = 2
	}
	if base == 2 && exp < 64 || base == 10 && exp < 20 {
		i.units = 1
		for range exp {
			i.units *= base
		}
	} else {
		i.units = math.MaxUint64
	}
	// The list's Time column shows the precision the units allow.
	switch u := i.units; {
	case u >= 1e9:
		i.digits = 9
	case u >= 1e6:
		i.digits = 6
	case u >= 1e3:
		i.digits = 3
	case u >= 100:
		i.digits = 2
	case u >= 10:
		i.digits = 1
	default:
		i.digits = 0
	}
}

// time converts a timestamp of the interface's resolution with wiretap's
// 64-bit arithmetic: the fraction times 10^9 wraps for units beyond
// about 1.8*10^10, and tshark shows what that gives.
func (i *ngIface) time(ts uint64) time.Time {
	return time.Unix(int64(ts/i.units+i.offset), int64(ts%i.units*1e9/i.units)).UTC()
}
