// Package hexdump turns hex pasted from logs, firmware traces and bug reports
// into bytes. Parse recognises the dump style on its own, so `mqtap decode`
// can take whatever a user copied without a flag saying where it came from.
package hexdump

// Block is one run of bytes found in the input. Most styles give a single
// Block; styles that show several packets give one per packet: tcpdump -X
// (one per segment with a payload) and dumps whose offset restarts at 0
// (Wireshark, tshark -x, concatenated xxd output), and C sources with several
// arrays.
type Block struct {
	// Data holds the application-layer bytes. For tcpdump output it is the
	// TCP payload: link, IP and TCP headers are stripped.
	Data []byte
	// Line is the 1-based line where the block starts. For tcpdump it is the
	// last header line before the hex, the one naming source and destination.
	Line int
}

// Style names a dump format.
type Style string

// The styles Parse recognises.
const (
	StylePlain     Style = "plain"     // 100c00044d515454, possibly wrapped (xxd -p)
	StyleSpaced    Style = "spaced"    // 10 0C 00 04, 10:0c:00:04, 10-0c-00-04
	Style0x        Style = "0x"        // 0x10, 0x0c, ...
	StyleCArray    Style = "c-array"   // unsigned char pkt[] = { 0x10, 0x0c };  (also xxd -i, Go []byte{...})
	StyleEscaped   Style = "escaped"   // \x10\x0c, "\x10\x0cMQTT", b'\x10\x0c'
	StyleXXD       Style = "xxd"       // 00000000: 1025 0006 ...  .%..
	StyleHexdumpC  Style = "hexdump-C" // 00000000  10 25 00 06 ...  |.%..|
	StyleOD        Style = "od"        // 000000 10 25 00 06 (od -Ax -tx1, or octal offsets)
	StyleWireshark Style = "wireshark" // 0000   10 25 00 06 ...   .%.. (Copy as Hex Dump, tshark -x, text2pcap)
	StyleTcpdump   Style = "tcpdump"   // tcpdump -X/-x/-XX/-xx
	StyleBase64    Style = "base64"
)

// Parse detects the style of text and decodes it. It returns the detected
// style even when decoding fails, so a caller can say what the input looked
// like. It never returns an empty Block, and never zero blocks without an
// error. It does not panic.
func Parse(text []byte) (Style, []Block, error) {
	text = normalize(text)
	style := detect(text)
	var blocks []Block
	var err error
	switch style {
	case "":
		return "", nil, ErrEmpty
	case StylePlain, StyleSpaced:
		style, blocks, err = parseHexWords(text)
	case Style0x:
		blocks, err = parse0x(text)
	case StyleCArray:
		blocks, err = parseCArray(text)
	case StyleEscaped:
		blocks, err = parseEscaped(text)
	case StyleTcpdump:
		blocks, err = parseTcpdump(text)
		if err == nil && len(blocks) == 0 {
			err = ErrNoPayload
		}
	case StyleBase64:
		blocks, err = parseBase64(text)
	default:
		blocks, err = parseOffsetDump(text, style)
	}
	if err != nil {
		return style, nil, err
	}
	if len(blocks) == 0 {
		return style, nil, ErrEmpty
	}
	return style, blocks, nil
}
