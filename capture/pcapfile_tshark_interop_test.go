//go:build interop

package capture

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// layoutCase is one TCP exchange written in a given file layout.
type layoutCase struct {
	name string
	file []byte
}

// layoutCases lay the frames of one MQTT exchange out as pcap (both byte
// orders, both resolutions) and as pcapng with three sections in both
// byte orders, interfaces of different link types, resolutions and
// timestamp offsets, and a statistics block to skip. Left out as mqtap
// does not show them (nor did it with gopacket's reader): custom blocks,
// which tshark shows as frames, packet options (comments, flags...), and
// the obsolete Packet Block's drop count.
func layoutCases(t *testing.T) []layoutCase {
	p1, p3 := mq(10, 'a'), mq(5, 'c')
	segs := append(handshake(),
		seg{fromClient: true, flags: thACK | thPSH, seq: 1, ack: 1, data: p1},
		seg{fromClient: false, flags: thACK, seq: 1, ack: 1 + uint32(len(p1))},
		seg{fromClient: true, flags: thACK | thPSH, seq: 1 + uint32(len(p1)), ack: 1, data: p3},
	)
	eth := func(i int) []byte { return frameFor(layers.LinkTypeEthernet, false, false, segs[i]) }
	raw := func(i int) []byte { return frameFor(layers.LinkTypeRaw, false, false, segs[i]) }
	sll2 := func(i int) []byte { return frameFor(layers.LinkTypeLinuxSLL2, false, false, segs[i]) }
	const t0 = 1764000000
	us := func(i int) uint64 { return uint64(t0)*1e6 + uint64(i)*1250 + 7 }
	pcapOf := func(bo order, magic uint32, frac func(i int) uint32) []byte {
		var recs [][]byte
		for i := range segs {
			recs = append(recs, pcapRec(bo, t0, frac(i), eth(i), len(eth(i))))
		}
		return pcapFile(bo, magic, 65535, 1, recs...)
	}
	lo, bo := leOrder, beOrder
	isb := ngBlock(lo, 5, lo.AppendUint32(nil, 0), lo.AppendUint64(nil, 0), optEndOfOpts(lo))
	ng := cat(
		shb(lo), idb(lo, 1, 0, ifName(lo, "eth0")), idb(lo, 101, 0, ifName(lo, "tun0"), tsResol(lo, 9)),
		epb(lo, 0, us(0), eth(0), len(eth(0))),
		isb,
		epb(lo, 1, (uint64(t0)*1e6+1250)*1000+1, raw(1), len(raw(1))),
		shb(bo), idb(bo, 276, 0, ifName(bo, "any"), tsResol(bo, 3), tsOffset(bo, t0)), idb(bo, 1, 0, ifName(bo, "br0")),
		epb(bo, 0, 2, sll2(2), len(sll2(2))),
		epb(bo, 1, us(3), eth(3), len(eth(3))),
		shb(lo), idb(lo, 1, 0, tsResol(lo, 9), tsOffset(lo, t0)),
		epb(lo, 0, 4*1250007, eth(4), len(eth(4))),
		epb(lo, 0, 5*1250007, eth(5), len(eth(5))),
	)
	// Interfaces named every way tshark knows (if_description, then
	// if_hardware, then "unknown" stand in for a missing if_name), and
	// Simple Packet Blocks, which have no timestamp, among timed frames.
	labels := cat(shb(lo),
		idb(lo, 1, 0, ngOpt(lo, optIfDescr, []byte("Loopback: lo"))),
		idb(lo, 1, 0, ngOpt(lo, optIfHardware, []byte("virtio NIC"))),
		idb(lo, 1, 0, ngOpt(lo, optIfDescr, []byte("uplink")), ifName(lo, "enp1s0")),
		idb(lo, 1, 0, ifName(lo, "")),
		idb(lo, 1, 0),
		spb(lo, len(eth(0)), eth(0)),
		epb(lo, 1, us(1), eth(1), len(eth(1))),
		spb(lo, len(eth(2)), eth(2)),
		epb(lo, 2, us(3), eth(3), len(eth(3))),
		epb(lo, 3, us(4), eth(4), len(eth(4))),
		epb(lo, 4, us(5), eth(5), len(eth(5))),
	)
	// Resolutions as wiretap converts them: binary ones, whole seconds
	// (10^0), and ones so fine that the fraction times 10^9 wraps.
	// Two files, so that no TCP segment repeats (a retransmission's
	// analysis would then hang on times that run backwards).
	resolutionFile := func(resols ...byte) []byte {
		f := cat(shb(lo))
		for _, r := range resols {
			f = append(f, idb(lo, 1, 0, ifName(lo, fmt.Sprintf("r%02x", r)), tsResol(lo, r))...)
		}
		for i, r := range resols {
			var ts uint64
			switch {
			case r&0x80 != 0 && r&0x7f <= 32:
				ts = uint64(t0)<<(r&0x7f) + uint64(i)*0x9e3779b1%(1<<(r&0x7f))
			case r == 11 || r == 0x80|40:
				ts = 0xfedcba9876543210 >> i
			default:
				ts = uint64(t0)*[]uint64{1, 10, 100}[r] + uint64(i)
			}
			f = append(f, epb(lo, uint32(i), ts, eth(i), len(eth(i)))...)
		}
		return f
	}
	// A SYN sent again 1 s later: tshark's initial RTT runs from the most
	// recent SYN (0.2 s here), not the first (1.2 s).
	synAgain := cat(shb(lo), idb(lo, 1, 0, ifName(lo, "eth0")),
		epb(lo, 0, us(0), eth(0), len(eth(0))),
		epb(lo, 0, us(0)+1000000, eth(0), len(eth(0))),
		epb(lo, 0, us(0)+1100000, eth(1), len(eth(1))),
		epb(lo, 0, us(0)+1200000, eth(2), len(eth(2))),
		epb(lo, 0, us(0)+1300000, eth(3), len(eth(3))),
	)
	return []layoutCase{
		{"pcapng-syn-again", synAgain},
		{"pcapng-binary-resolutions", resolutionFile(0x80|10, 0x80|20, 0x80|24, 0x80|30, 0x80|32, 0x80|40)},
		{"pcapng-decimal-resolutions", resolutionFile(0, 1, 2, 11)},
		{"pcapng-labels-untimed", labels},
		{"pcap-le-us", pcapOf(lo, magicMicro, func(i int) uint32 { return uint32(i*1250 + 7) })},
		{"pcap-be-us", pcapOf(bo, magicMicro, func(i int) uint32 { return uint32(i*1250 + 7) })},
		{"pcap-be-ns", pcapOf(bo, magicNano, func(i int) uint32 { return uint32(i*1250007 + 3) })},
		{"pcapng-sections", ng},
	}
}

// TestLayoutsTshark compares every lower-layer section (Frame included:
// interface, section number, encapsulation, times) and the list's time
// precision with tshark's, for each file layout.
func TestLayoutsTshark(t *testing.T) {
	requireTshark(t)
	dir := t.TempDir()
	for _, tc := range layoutCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			tshark := func(args ...string) []byte {
				cmd := exec.Command("tshark", append([]string{"-r", path, "-d", "tcp.port==1883,mqtt"}, args...)...)
				cmd.Env = append(os.Environ(), "TZ=UTC")
				out, err := cmd.Output()
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			vpath := path + ".V.txt"
			if err := os.WriteFile(vpath, tshark("-V"), 0o644); err != nil {
				t.Fatal(err)
			}
			ref := readV(t, vpath)
			// The list's Time column has as many decimals as the frame's
			// timestamp resolution.
			list := strings.Split(strings.TrimSpace(string(tshark())), "\n")
			pkts := readAll(t, tc.file, Options{PDULen: mqttLen})
			if len(pkts) != len(ref) || len(pkts) != len(list) {
				t.Fatalf("frames: got %d, tshark -V %d, list %d", len(pkts), len(ref), len(list))
			}
			for i, p := range pkts {
				var want [][]string
				for _, s := range ref[i] {
					if !appSection(s[0]) {
						want = append(want, s)
					}
				}
				var got []string
				for _, s := range p.Sections() {
					got = append(got, s.Lines...)
				}
				if w := flatten(want); strings.Join(w, "\n") != strings.Join(got, "\n") {
					t.Errorf("frame %d differs:\n%s", i+1, diffLines(w, got))
				}
				if p.TimeDigits < 0 {
					// No timestamp: a blank Time column.
					if strings.TrimSpace(list[i][5:17]) != "" {
						t.Errorf("frame %d has no timestamp, tshark's list shows %q", i+1, list[i])
					}
					continue
				}
				rel := strings.Fields(list[i])[1]
				digits := 0
				if dot := strings.IndexByte(rel, '.'); dot >= 0 {
					digits = len(rel) - dot - 1
				}
				if digits != p.TimeDigits {
					t.Errorf("frame %d: time %s has %d decimals, TimeDigits %d", i+1, rel, digits, p.TimeDigits)
				}
			}
		})
	}
}
