package hexdump

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		style Style
		msg   string
	}{
		{"non-hex token", "10 0c\n00 04\n4d 51 zz 54", StyleSpaced, `bad hex "zz" at line 3, column 7: not a hex digit`},
		{"odd token", "10 0c 0", StyleSpaced, `bad hex "0" at line 1, column 7: odd number of hex digits`},
		{"column counts characters", "10 0c ü", StyleSpaced, `bad hex "ü" at line 1, column 7: not a hex digit`},
		{"crlf keeps columns", "10 0c\r\n00 zz\r\n", StyleSpaced, `bad hex "zz" at line 2, column 4: not a hex digit`},
		{"plain odd", "100c0", StylePlain, `bad hex "0" at line 1, column 5: odd number of hex digits (5 in all)`},
		{"plain typo names its byte", "100c0o04", StylePlain, `bad hex "0o" at line 1, column 5: not a hex digit`},
		{"plain typo on a wrapped line", "100c\n0o04", StylePlain, `bad hex "0o" at line 2, column 1: not a hex digit`},
		{"plain typo is not base64", "100c00044d5154540402000f0000308001003a72657s6f75726365732f", StylePlain, `bad hex "7s" at line 1, column 43: not a hex digit`},
		{"dashed typo is not base64", "10-0c-zz-04", StyleSpaced, `bad hex "zz" at line 1, column 7: not a hex digit`},
		{"words", "hello world", StyleSpaced, `bad hex "hello" at line 1, column 1: not a hex digit`},

		{"0x without prefix", "0x10, 0c", Style0x, `bad hex "0c" at line 1, column 7: expected a 0x-prefixed byte`},
		{"0x without digits", "0x10, 0x", Style0x, `bad hex "0x" at line 1, column 7: no hex digits after 0x`},
		{"0x bad digit", "0x10, 0x1g", Style0x, `bad hex "0x1g" at line 1, column 7: not a hex digit`},
		{"0x odd", "0x100", Style0x, `bad hex "0x100" at line 1, column 1: odd number of hex digits (3) after 0x`},

		{"c hex without 0x", "{0x10, 0c}", StyleCArray, `bad number "0c" at line 1, column 8: not a C number: write hex with a 0x prefix`},
		{"c too big", "{0x10, 256}", StyleCArray, `bad number "256" at line 1, column 8: does not fit in a byte`},
		{"c identifier", "{0x10, MQTT}", StyleCArray, `bad number "MQTT" at line 1, column 8: not a number`},
		{"c two-char literal", "{0x10, 'ab'}", StyleCArray, `bad number "'ab'" at line 1, column 8: character literal must be one byte in quotes`},
		{"c unclosed", "pkt[] = {0x10, 0x0c", StyleCArray, `bad array "{" at line 1, column 9: no closing "}"`},
		{"c nested", "{0x10, {1}}", StyleCArray, `bad array "{" at line 1, column 8: nested braces are not supported`},

		{"unknown escape", `"\x10\q"`, StyleEscaped, `bad escape "\\q" at line 1, column 6: unknown escape sequence`},
		{"escape without digits", `\xzz`, StyleEscaped, `bad escape "\\x" at line 1, column 1: no hex digits after \x`},
		{"unterminated string", "b'\\x10\\x0c\n", StyleEscaped, `bad string "'\\x10\\x0c" at line 1, column 2: no closing quote`},
		{"word outside quotes", `\x10 foo`, StyleEscaped, `bad hex "foo" at line 1, column 6: outside quotes only \x escapes are allowed`},

		{"xxd offset mismatch", "00000000: 100c 0004 4d51 5454 0402 000f 0000  ....MQTT......\n00000010: 3080  0.\n", StyleXXD,
			`bad offset "00000010:" at line 2, column 1: expected 0000000e (14 bytes so far)`},
		{"xxd typo in the hex", "00000000: 1025 00z6 4d51  .%..MQ\n", StyleXXD, `bad hex "00z6" at line 1, column 16: not a hex digit`},
		{"xxd squeezed, typo", "00000000: 1025 0006 zz\n", StyleXXD, `bad hex "zz" at line 1, column 21: not a hex digit`},
		{"xxd squeezed, a byte too many", "00000000: 1025 0006 1025 0006 1025 0006 1025 0006 10\n", StyleXXD, `bad hex "10" at line 1, column 51: more than 16 bytes after one offset`},
		{"xxd bad offset", "00000000: 1025  .%\n0000000g: 10\n", StyleXXD, `bad offset "0000000g:" at line 2, column 1: not a hex offset: expected ":" after it`},
		{"hexdump -C final offset mismatch", "00000000  10 25 00 06  |.%..|\n00000005\n", StyleHexdumpC,
			`bad offset "00000005" at line 2, column 1: expected 00000004 (4 bytes so far)`},
		{"hexdump -C typo in the hex", "00000000  10 25 0g 06  |.%..|\n", StyleHexdumpC, `bad hex "0g" at line 1, column 17: not a hex digit`},
		{"repeat to a misaligned offset", "00000000  10 25  |.%|\n*\n00000005\n", StyleHexdumpC,
			`bad offset "00000005" at line 3, column 1: expected 00000002 plus a whole number of 2-byte lines, to end the repeat at line 2`},
		{"repeat past the limit", "00000000  00  |.|\n*\nffffffff\n", StyleHexdumpC,
			`bad offset "ffffffff" at line 3, column 1: the repeat at line 2 would take the repeated bytes past the 16777216 allowed`},
		{"two repeat markers", "000000 10 25\n*\n*\n", StyleOD, `bad offset "*" at line 3, column 1: a second repeat marker after the one at line 2`},
		{"repeat at the end", "000000 10 25\n*\n", StyleOD, `bad offset "*" at line 2, column 1: a repeat marker must be followed by the offset where the repeat ends`},
		{"repeat with nothing to repeat", "000000 10 25\n000002\n000000\n*\n", StyleOD, `bad offset "*" at line 4, column 1: repeat marker with no data line before it to repeat`},
		{"od octal mismatch", "0000000 10 25\n0000003 00\n", StyleOD, `bad offset "0000003" at line 2, column 1: expected 0000002 (2 bytes so far)`},
		{"od decimal with a typo", "0000000 10 25 00 06 4d 51 49 73 64 70 03 02 00 3c 00 17\n0000016 6d 6f 7g\n", StyleOD, `bad hex "7g" at line 2, column 15: not a hex digit`},
		{"wireshark offset mismatch", "0000   10 25 00 06   .%..\n0005   4d   M\n", StyleWireshark, `bad offset "0005" at line 2, column 1: expected 0004 (4 bytes so far)`},
		{"wireshark stray line", "0000   10 25 00 06   .%..\nFrame 2\n", StyleWireshark, `bad offset "Frame" at line 2, column 1: not a hex offset`},

		{"tcpdump packet not at 0", "\t0x0010:  4500 0042  E..B\n", StyleTcpdump, `bad offset "0x0010:" at line 1, column 2: expected 0x0000: a packet starts at offset 0`},
		{"tcpdump offset mismatch", "hdr\n\t0x0000:  4500 0042  E..B\n\t0x0010:  4500  E.\n", StyleTcpdump, `bad offset "0x0010:" at line 3, column 2: expected 0x0004 (4 bytes so far)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			style, blocks, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error; style %q, blocks %x", style, concat(blocks))
			}
			if err.Error() != tt.msg {
				t.Errorf("err = %s\nwant  %s", err, tt.msg)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("err is %T, want *SyntaxError", err)
			}
			if style != tt.style {
				t.Errorf("style = %q, want %q", style, tt.style)
			}
			if blocks != nil {
				t.Errorf("blocks = %v alongside an error", blocks)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", " \r\n\t\n", "\ufeff", "{}", "{ /* none */ }", `""`, "b'' ''"} {
		if _, blocks, err := Parse([]byte(in)); !errors.Is(err, ErrEmpty) || blocks != nil {
			t.Errorf("%q: blocks %v, err %v; want ErrEmpty", in, blocks, err)
		}
	}
}

func TestParseBase64Errors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"EAwABE1RVFQ!=", `bad base64 "!" at line 1, column 12: not a base64 character`},
		{"EAwA\nB", `bad base64 "B" at line 2, column 1: 5 base64 characters cannot encode whole bytes: one is missing or extra`},
		{"EAw=AB", `bad base64 "A" at line 1, column 5: data after "=" padding`},
		{"EA+_", `bad base64 "_" at line 1, column 4: mixes the standard (+/) and URL-safe (-_) alphabets`},
		{"EA===", `bad base64 "===" at line 1, column 3: wrong amount of "=" padding`},
		{"EAw==", `bad base64 "==" at line 1, column 4: wrong amount of "=" padding`},
	}
	for _, tt := range tests {
		_, err := ParseBase64([]byte(tt.in))
		if err == nil || err.Error() != tt.msg {
			t.Errorf("%q: err = %v\nwant %s", tt.in, err, tt.msg)
		}
	}
	if _, err := ParseBase64([]byte(" \n")); !errors.Is(err, ErrEmpty) {
		t.Errorf("blank: err = %v, want ErrEmpty", err)
	}
}

// Long tokens are cut so that the message stays one readable line.
func TestErrorTokenShortened(t *testing.T) {
	_, _, err := Parse([]byte("10 " + strings.Repeat("z", 100)))
	want := `bad hex "` + strings.Repeat("z", 32) + `..." at line 1, column 4: not a hex digit`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
