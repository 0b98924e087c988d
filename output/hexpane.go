package output

import "io"

// WriteHexPane writes the bytes pane of tshark -x: per 16 bytes the offset
// (4 hex digits, more when the data needs them), the bytes in hex and as
// ASCII ('.' for what is not printable). title is "" when the frame has a
// single data source; when tshark shows several it heads each pane
// ("Frame (97 bytes):", "Reassembled TCP (200012 bytes):"). tshark ends a
// frame's panes with one empty line: the caller writes it after the last.
func WriteHexPane(w io.Writer, title string, data []byte) error {
	_, err := w.Write(AppendHexPane(nil, title, data))
	return err
}

// AppendHexPane appends what WriteHexPane writes.
func AppendHexPane(b []byte, title string, data []byte) []byte {
	if title != "" {
		b = append(b, title...)
		b = append(b, '\n')
	}
	digits := 4
	// n > 0: for empty data n is -1, whose arithmetic shift never reaches 0.
	for n := len(data) - 1; n > 0 && n>>(4*uint(digits)) != 0; {
		digits++
	}
	const hexd = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		for i := digits - 1; i >= 0; i-- {
			b = append(b, hexd[off>>(4*uint(i))&15])
		}
		b = append(b, ' ', ' ')
		row := data[off:min(off+16, len(data))]
		for i := 0; i < 16; i++ {
			if i < len(row) {
				b = append(b, hexd[row[i]>>4], hexd[row[i]&15])
			} else {
				b = append(b, ' ', ' ')
			}
			if i < 15 {
				b = append(b, ' ')
			}
		}
		b = append(b, "   "...)
		for _, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			b = append(b, c)
		}
		b = append(b, '\n')
	}
	return b
}
