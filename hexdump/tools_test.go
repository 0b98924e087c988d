package hexdump

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Dumps made by the real tools (testdata/tools/gen.sh) of two files: one
// with runs of equal lines, one whose ASCII column reads as hex.
func TestToolDumps(t *testing.T) {
	styles := map[string]Style{
		"xxd": StyleXXD, "xxd-g1": StyleXXD, "xxd-c32": StyleXXD, "xxd-u": StyleXXD, "xxd-a": StyleXXD,
		"xxd-p": StylePlain, "xxd-i": StyleCArray,
		"hexdump-C": StyleHexdumpC,
		"od":        StyleOD, "od-Ax": StyleOD, "od-Ad": StyleOD, "od-z": StyleOD,
		"base64": StyleBase64, "base64url": StyleBase64,
		"py-repr": StyleEscaped, "py-hex": Style0x,
	}
	for _, name := range []string{"repeats", "hexascii"} {
		want := readFixture(t, filepath.Join("tools", name+".bin"))
		for ext, wantStyle := range styles {
			t.Run(name+"."+ext, func(t *testing.T) {
				style, blocks, err := Parse(readFixture(t, filepath.Join("tools", name+"."+ext)))
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if style != wantStyle {
					t.Errorf("style = %q, want %q", style, wantStyle)
				}
				if len(blocks) != 1 || !bytes.Equal(blocks[0].Data, want) {
					t.Errorf("got %d blocks: %x\nwant %x", len(blocks), concat(blocks), want)
				}
			})
		}
	}
}

// od -x and plain hexdump print 16-bit words in host byte order, which
// cannot be told from big-endian words; Parse says so instead of guessing.
func TestToolDumpsWordsRefused(t *testing.T) {
	const msg = `at line 1, column 9: od -x and hexdump print 16-bit words in host byte order; dump with od -Ax -tx1 or hexdump -C`
	for _, ext := range []string{"od-x", "hexdump"} {
		_, _, err := Parse(readFixture(t, filepath.Join("tools", "repeats."+ext)))
		if err == nil || !strings.HasSuffix(err.Error(), msg) {
			t.Errorf("%s: err = %v, want one ending %q", ext, err, msg)
		}
	}
}

// tcpdump output of real captures, Ethernet with IPv4 and with IPv6, in
// every hex flavour: the blocks are tshark's tcp.payload of each segment.
func TestTcpdumpCaptures(t *testing.T) {
	for _, capture := range []string{"v31-qos1", "v311-ipv6"} {
		want := hexLines(t, filepath.Join("tools", capture+".payload"))
		for _, flavour := range []string{"X", "XX", "x", "xx", "vXX"} {
			t.Run(capture+"/-"+flavour, func(t *testing.T) {
				text := readFixture(t, filepath.Join("tools", capture+".tcpdump-"+flavour))
				style, blocks, err := Parse(text)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if style != StyleTcpdump {
					t.Errorf("style = %q", style)
				}
				assertBlocks(t, blocks, want)
				// Each block starts at the header line naming the segment.
				lines := strings.Split(string(text), "\n")
				for _, b := range blocks {
					h := lines[b.Line-1]
					if !strings.Contains(h, " > ") || !strings.HasSuffix(h, fmt.Sprintf("length %d", len(b.Data))) {
						t.Errorf("block line %d is %q, want the segment's header", b.Line, h)
					}
				}
			})
		}
	}
}

// tshark -x prints each frame from offset 0000, link and IP headers
// included: the frames are stripped as tcpdump's packets are, one block per
// segment with a payload, as tshark's tcp.payload.
func TestTsharkFrames(t *testing.T) {
	for _, capture := range []string{"v31-qos1", "v311-ipv6"} {
		t.Run(capture, func(t *testing.T) {
			style, blocks, err := Parse(readFixture(t, filepath.Join("tools", capture+".tshark-x")))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if style != StyleWireshark {
				t.Errorf("style = %q", style)
			}
			want := hexLines(t, filepath.Join("tools", capture+".payload"))
			assertBlocks(t, blocks, want)
			// The same from each frame's bytes (tshark's frame_raw).
			var payloads [][]byte
			for _, f := range hexLines(t, filepath.Join("tools", capture+".frames")) {
				if seg, problem := tcpPayload(f); problem != "" || len(seg.payload) > 0 {
					payloads = append(payloads, seg.payload)
				}
			}
			if len(payloads) != len(want) || !bytes.Equal(bytes.Join(payloads, nil), bytes.Join(want, nil)) {
				t.Errorf("frames strip to %x\nwant %x", payloads, want)
			}
		})
	}
}

func hexLines(t *testing.T, name string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, l := range strings.Fields(string(readFixture(t, name))) {
		b, err := hex.DecodeString(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func assertBlocks(t *testing.T, blocks []Block, want [][]byte) {
	t.Helper()
	if len(blocks) != len(want) {
		t.Fatalf("%d blocks, want %d", len(blocks), len(want))
	}
	for i := range want {
		if !bytes.Equal(blocks[i].Data, want[i]) {
			t.Errorf("block %d:\n got %x\nwant %x", i, blocks[i].Data, want[i])
		}
	}
}

func concat(blocks []Block) []byte {
	var b []byte
	for _, bl := range blocks {
		b = append(b, bl.Data...)
	}
	return b
}
