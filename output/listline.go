package output

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// WriteListLine writes one line of tshark's packet list (the default
// columns No., Time, Source, Destination, Protocol, Length, Info) as in
// NAME.list.txt:
//
//	4 0.000100489    127.0.0.1 → 127.0.0.1    MQTT 84 Connect Command
//
// The number is right-aligned in 5, the source right-aligned and the
// destination left-aligned in 12, as tshark pads them.
func WriteListLine(w io.Writer, no int, rel time.Duration, src, dst, proto string, length int, info string) error {
	var arr [256]byte
	b := AppendListLine(arr[:0], no, rel, 9, src, dst, proto, length, info)
	_, err := w.Write(b)
	return err
}

// maxInfo is the most of the Info column tshark keeps (COL_MAX_INFO_LEN
// less its NUL): a frame with hundreds of PDUs is cut there.
const maxInfo = 4095

// AppendListLine appends what WriteListLine writes; digits is the time
// precision, which tshark takes from the capture (9 for pcapng's
// nanoseconds, 6 for a microsecond pcap), the time right-aligned in 10.
func AppendListLine(b []byte, no int, rel time.Duration, digits int, src, dst, proto string, length int, info string) []byte {
	n := strconv.Itoa(no)
	b = pad(b, 5-len(n))
	b = append(b, n...)
	b = append(b, ' ')
	var tb [32]byte
	var ts []byte
	if digits >= 0 { // below 0: no timestamp, a blank column
		ts = appendSeconds(tb[:0], rel, digits)
	}
	b = pad(b, 10-len(ts))
	b = append(b, ts...)
	b = append(b, ' ')
	b = pad(b, 12-len(src))
	b = append(b, src...)
	b = append(b, " → "...)
	b = append(b, dst...)
	b = pad(b, 12-len(dst))
	b = append(b, ' ')
	b = append(b, proto...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(length), 10)
	b = append(b, ' ')
	if len(info) > maxInfo {
		cut := maxInfo
		for cut > 0 && !utf8.RuneStart(info[cut]) {
			cut--
		}
		info = info[:cut]
	}
	b = append(b, info...)
	return append(b, '\n')
}

func pad(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// appendSeconds writes a duration as seconds with the given decimals.
func appendSeconds(b []byte, d time.Duration, digits int) []byte {
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	b = strconv.AppendInt(b, int64(d/time.Second), 10)
	b = append(b, '.')
	ns := strconv.FormatInt(int64(d%time.Second), 10)
	var fb [16]byte
	frac := append(pad0(fb[:0], 9-len(ns)), ns...)
	return append(b, frac[:min(max(digits, 0), 9)]...)
}

func pad0(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, '0')
	}
	return b
}
