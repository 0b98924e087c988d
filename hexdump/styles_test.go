package hexdump

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// mqttConnect is the start of a CONNECT packet, the bytes most examples use.
var mqttConnect = []byte{0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T'}

func TestParseStyles(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		style Style
		want  []string // hex of each block
		lines []int    // Block.Line of each block, when checked
	}{
		// Plain and spaced.
		{"plain", "100c00044d515454", StylePlain, []string{"100c00044d515454"}, []int{1}},
		{"plain wrapped at an odd width", "100c0\n0044d\n515454\n", StylePlain, []string{"100c00044d515454"}, nil},
		{"plain mixed case", "100C00044d515454", StylePlain, []string{"100c00044d515454"}, nil},
		{"spaced", "10 0C 00 04 4D 51 54 54", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"spaced in groups", "100c 0004 4d51 5454", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"colons", "10:0c:00:04:4d:51:54:54", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"dashes", "10-0C-00-04-4D-51-54-54", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"commas and tabs", "10,\t0c, 00,04\n4d 51 54 54", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"blank lines around", "\n\n  10 0c\n00 04 4d 51 54 54\n\n", StyleSpaced, []string{"100c00044d515454"}, []int{3}},

		// 0x words.
		{"0x list", "0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54", Style0x, []string{"100c00044d515454"}, nil},
		{"0x no spaces, upper", "0X10,0X0C,0x00,0x04,0x4D,0x51,0x54,0x54,", Style0x, []string{"100c00044d515454"}, nil},
		{"python hex list", "['0x10', '0xc', '0x0', '0x4']", Style0x, []string{"100c0004"}, nil},
		{"one long 0x word", "0x100c00044d515454", Style0x, []string{"100c00044d515454"}, nil},

		// C and Go arrays.
		{"c array", "unsigned char pkt[] = { 0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54 };", StyleCArray, []string{"100c00044d515454"}, nil},
		{"braces only", "{0x10,0x0C}", StyleCArray, []string{"100c"}, nil},
		{"sized array, comments", "static const uint8_t pkt[8] = {\n  0x10, 0x0c, // fixed header\n  0, 4, /* length */ 'M', 'Q', 'T', 'T'\n};", StyleCArray, []string{"100c00044d515454"}, []int{1}},
		{"go byte slice", "[]byte{0x10, 12, 0, 4, 'M', 'Q', 'T', 'T'}", StyleCArray, []string{"100c00044d515454"}, nil},
		{"octal, suffixes and escapes", "{020, 0x0cU, '\\0', '\\x04', '\\115', 0b1010001, 0o124, 'T'}", StyleCArray, []string{"100c00044d515454"}, nil},
		{"two arrays", "/* Frame (2 bytes) */\nstatic const unsigned char pkt1[2] = {\n0xe0, 0x00 };\n\n/* Frame (4 bytes) */\nstatic const unsigned char pkt2[4] = {\n0x20, 0x02, 0x00, 0x00 };\n", StyleCArray, []string{"e000", "20020000"}, []int{2, 6}},

		// Escaped strings.
		{"bare escapes", `\x10\x0c\x00\x04\x4d\x51\x54\x54`, StyleEscaped, []string{"100c00044d515454"}, nil},
		{"c string", `char pkt[] = "\x10\x0c\x00\x04MQTT";`, StyleEscaped, []string{"100c00044d515454"}, nil},
		{"python bytes", `b'\x10\x0c\x00\x04MQTT\x04\x02\x00<'`, StyleEscaped, []string{"100c00044d5154540402003c"}, nil},
		{"go %q", `"\x10\f\x00\x04MQTT\u00e9"`, StyleEscaped, []string{"100c00044d515454c3a9"}, nil},
		{"adjacent literals", "\"\\x10\\x0c\"\n  \"\\x00\\x04\" \\\n\"MQTT\"", StyleEscaped, []string{"100c00044d515454"}, nil},
		{"octal escapes", `"\020\014\0\4MQTT"`, StyleEscaped, []string{"100c00044d515454"}, nil},
		{"quoted without escapes", `b'MQTT'`, StyleEscaped, []string{"4d515454"}, nil},
		{"quoted after a blank line", "\n  b'MQTT'\n", StyleEscaped, []string{"4d515454"}, []int{2}},

		// xxd.
		{"xxd", "00000000: 100c 0004 4d51 5454                      ....MQTT\n", StyleXXD, []string{"100c00044d515454"}, nil},
		{"xxd ascii that looks like hex", "00000000: 6162 6364 6566 3031 3233 3435 3637 3839  abcdef0123456789\n00000010: 6162                                     ab\n", StyleXXD, []string{"6162636465663031323334353637383961 62"}, nil},
		{"xxd squeezed whitespace", "00000000: 6162 6364 6566 3031 3233 3435 3637 3839 abcdef0123456789\n00000010: 6162 ab\n", StyleXXD, []string{"6162636465663031323334353637383961 62"}, nil},
		{"xxd squeezed, ascii rendered otherwise", "00000000: 100c 0004 4d51 5454 100c 0004 4d51 5454 ____MQTT____MQTT\n", StyleXXD, []string{"100c00044d515454100c00044d515454"}, nil},
		{"xxd without ascii", "00000000: 100c 0004\n00000004: 4d51 5454\n", StyleXXD, []string{"100c00044d515454"}, nil},
		{"xxd -s from an offset", "00000040: 100c 0004 4d51 5454  ....MQTT\n", StyleXXD, []string{"100c00044d515454"}, nil},
		{"python hexdump with middle gap", "00000000: 10 0C 00 04 4D 51 54 54  04 02 00 3C 00 00 10 0C  ....MQTT...<....\n00000010: 00 04                                            ..\n", StyleXXD, []string{"100c00044d5154540402003c0000100c0004"}, nil},

		// hexdump -C.
		{"hexdump -C ascii with bars", "00000000  61 62 63 64 65 66 30 31  32 33 34 35 36 37 38 39  |abcdef0123456789|\n00000010  61 62                                             |ab|\n00000012\n", StyleHexdumpC, []string{"6162636465663031323334353637383961 62"}, nil},
		{"hexdump -C repeat", "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n00000030  e0 00                                             |..|\n00000032\n", StyleHexdumpC, []string{"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e000"}, nil},
		{"hexdump -C repeat of a varied line", "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n*\n00000060\n", StyleHexdumpC,
			[]string{strings.Repeat("000102030405060708090a0b0c0d0e0f", 6)}, nil},
		{"hexdump -C without the ascii column", "00000000  10 0c 00 04 4d 51 54 54  04 02 00 3c 00 00 10 0c\n00000010  00 04\n", StyleHexdumpC, []string{"100c00044d5154540402003c0000100c0004"}, nil},

		// od.
		{"od -Ax", "000000 10 0c 00 04 4d 51 54 54\n000008\n", StyleOD, []string{"100c00044d515454"}, nil},
		{"od octal offsets and repeat", "0000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n0000040 e0 00\n0000042\n", StyleOD, []string{"0000000000000000000000000000000000000000000000000000000000000000e000"}, nil},

		// Wireshark.
		{"wireshark", "0000   10 0c 00 04 4d 51 54 54                           ....MQTT\n", StyleWireshark, []string{"100c00044d515454"}, nil},
		{"wireshark packets restart at 0000", "0000   10 0c 00 04 4d 51 54 54   ....MQTT\n\n0000   e0 00   ..\n0000   c0 00   ..\n", StyleWireshark, []string{"100c00044d515454", "e000", "c000"}, []int{1, 3, 4}},
		{"old wireshark middle gap", "0000  10 0c 00 04 4d 51 54 54  04 02 00 3c 00 00 10 0c   ....MQTT ...<....\n0010  00 04                                              ..\n", StyleWireshark, []string{"100c00044d5154540402003c0000100c0004"}, nil},
		{"old wireshark, eight bytes whose ascii is hex", "0000  61 62 20 63 64 20 65 66  ab cd ef\n", StyleWireshark, []string{"6162206364206566"}, nil},
		{"wireshark ascii with a bar", "0000   41 7c 42 20 7c   A|B |\n", StyleWireshark, []string{"417c42207c"}, nil},
		{"tshark data sources", "Frame (6 bytes):\n0000  32 04 00 01 61 62   2...ab\nReassembled TCP (4 bytes):\n0000  30 02 00 00   0...\n", StyleWireshark, []string{"320400016162", "30020000"}, []int{2, 4}},
		{"wireshark selection at an offset", "0036   10 0c 00 04   ....\n003a   4d 51 54 54   MQTT\n", StyleWireshark, []string{"100c00044d515454"}, nil},

		// Line ends and encodings.
		{"crlf", "00000000: 100c 0004 4d51 5454  ....MQTT\r\n\r\n", StyleXXD, []string{"100c00044d515454"}, nil},
		{"cr only", "10 0c\r00 04\r4d 51 54 54\r", StyleSpaced, []string{"100c00044d515454"}, nil},
		{"byte order mark", "\ufeff100c00044d515454", StylePlain, []string{"100c00044d515454"}, nil},

		// base64.
		{"base64", "EAwABE1RVFQ=", StyleBase64, []string{"100c00044d515454"}, nil},
		{"base64 unpadded", "EAwABE1RVFQ", StyleBase64, []string{"100c00044d515454"}, nil},
		{"base64 url alphabet", "-_-_EAwABE1RVFQ", StyleBase64, []string{"fbffbf100c00044d515454"}, nil},
		{"base64 wrapped", "EAwABE1R\nVFQEAgAP\nAAA=\n", StyleBase64, []string{"100c00044d5154540402000f0000"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			style, blocks, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if style != tt.style {
				t.Errorf("style = %q, want %q", style, tt.style)
			}
			if len(blocks) != len(tt.want) {
				t.Fatalf("%d blocks %x, want %d", len(blocks), concat(blocks), len(tt.want))
			}
			for i, w := range tt.want {
				want := mustHex(t, w)
				if !bytes.Equal(blocks[i].Data, want) {
					t.Errorf("block %d = %x, want %x", i, blocks[i].Data, want)
				}
				if tt.lines != nil && blocks[i].Line != tt.lines[i] {
					t.Errorf("block %d line = %d, want %d", i, blocks[i].Line, tt.lines[i])
				}
			}
		})
	}
}

// mustHex decodes hex, ignoring spaces put in for readability.
func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseBase64(t *testing.T) {
	for _, in := range []string{"EAwABE1RVFQ=", "EAwABE1RVFQ", " EAwA\r\nBE1R VFQ= \n", "EAwABE1RVFQ\n="} {
		blocks, err := ParseBase64([]byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if len(blocks) != 1 || !bytes.Equal(blocks[0].Data, mqttConnect) {
			t.Errorf("%q: got %x", in, concat(blocks))
		}
	}
	// Input that detection would call hex is still base64 when asked.
	blocks, err := ParseBase64([]byte("abcd"))
	if err != nil || !bytes.Equal(concat(blocks), []byte{0x69, 0xb7, 0x1d}) {
		t.Errorf("abcd: %x, %v", concat(blocks), err)
	}
}
