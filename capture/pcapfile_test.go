package capture

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// frame is what the reader reports of one record, with its bytes copied.
type frame struct {
	data     []byte
	ts       time.Time
	wire     int
	link     LinkType
	ifaceSet bool
	iface    int
	name     string
	section  int
	digits   int
	noTime   bool
}

func (f frame) String() string {
	return fmt.Sprintf("{%d bytes %x.. ts %s (none: %v) wire %d link %d iface %v/%d %q section %d digits %d}",
		len(f.data), f.data[:min(len(f.data), 4)], f.ts.Format(time.RFC3339Nano), f.noTime, f.wire, f.link, f.ifaceSet, f.iface, f.name, f.section, f.digits)
}

func (f frame) equal(g frame) bool {
	return bytes.Equal(f.data, g.data) && f.ts.Equal(g.ts) && f.wire == g.wire && f.link == g.link &&
		f.ifaceSet == g.ifaceSet && f.iface == g.iface && f.name == g.name && f.section == g.section && f.digits == g.digits && f.noTime == g.noTime
}

func snapshot(f *rawFrame) frame {
	g := frame{data: bytes.Clone(f.data), ts: f.ts, wire: f.wireLen, link: f.link, ifaceSet: f.ifaceSet, section: f.section, digits: f.digits, noTime: f.noTime}
	if f.ifaceSet {
		g.iface, g.name = f.ifaceID, f.ifName
	}
	return g
}

// readFrames reads up to limit frames, then returns them and the error that
// ended the reading.
func readFrames(next func(*rawFrame) error, limit int) ([]frame, error) {
	var out []frame
	var f rawFrame
	for range limit {
		if err := next(&f); err != nil {
			return out, err
		}
		out = append(out, snapshot(&f))
	}
	return out, nil
}

// cleanEnd tells the errors that Reader.Next takes as the end of the
// capture from the others.
func cleanEnd(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }

// pf is a frame of a classic pcap file, nf one of pcapng (section 1).
func pf(data []byte, ts time.Time, wire int, link LinkType, digits int) frame {
	return frame{data: data, ts: ts, wire: wire, link: link, digits: digits}
}

func nf(data []byte, ts time.Time, wire int, link LinkType, iface int, name string, digits int) frame {
	return nfs(1, data, ts, wire, link, iface, name, digits)
}

// nfs is a frame of pcapng section n.
func nfs(n int, data []byte, ts time.Time, wire int, link LinkType, iface int, name string, digits int) frame {
	return frame{data: data, ts: ts, wire: wire, link: link, ifaceSet: true, iface: iface, name: name, section: n, digits: digits}
}

func unix(sec, nsec int64) time.Time { return time.Unix(sec, nsec).UTC() }

// untimed marks a frame stored without a timestamp.
func untimed(f frame) frame { f.noTime = true; return f }

type sourceCase struct {
	name   string
	file   []byte
	frames []frame
	err    string // "" for a clean end (io.EOF or a record cut short), else part of the error
	// cut is where the record or block that the file ends in starts
	// (0: the file ends between records).
	cut int
	// stricter marks a damaged file on which this reader stops with an
	// error where gopacket's went on or ended quietly; laxer a file that
	// tshark reads and gopacket's reader refuses.
	stricter, laxer bool
}

func sourceCases() []sourceCase {
	lo, bo := leOrder, beOrder
	d1, d2, d3 := frameBytes(1, 60), frameBytes(2, 1), frameBytes(3, 42)
	big1, big2 := frameBytes(4, 100000), frameBytes(5, 70000)
	const t0 = 1700000000
	tsUS := uint64(t0)*1e6 + 123456
	tsNS := uint64(t0)*1e9 + 123456789
	micro := pcapFile(lo, magicMicro, 65535, 1, pcapRec(lo, t0, 123456, d1, 60))
	ngHead := cat(shb(lo), idb(lo, 1, 262144, ifName(lo, "eth0")))
	eth0 := func(d []byte, wire int) frame {
		return nf(d, unix(t0, 123456000), wire, LinkTypeEthernet, 0, "eth0", 6)
	}
	return []sourceCase{
		// Classic pcap: both magics in both byte orders.
		{name: "pcap little-endian µs",
			file: cat(micro, pcapRec(lo, t0+1, 999999, d2, 1514)),
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6),
				pf(d2, unix(t0+1, 999999000), 1514, LinkTypeEthernet, 6)}},
		{name: "pcap big-endian µs",
			file:   pcapFile(bo, magicMicro, 65535, 1, pcapRec(bo, t0, 123456, d1, 60)),
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6)}},
		{name: "pcap little-endian ns",
			file:   pcapFile(lo, magicNano, 65535, 1, pcapRec(lo, t0, 123456789, d1, 60)),
			frames: []frame{pf(d1, unix(t0, 123456789), 60, LinkTypeEthernet, 9)}},
		{name: "pcap big-endian ns, Linux cooked",
			file:   pcapFile(bo, magicNano, 65535, 113, pcapRec(bo, t0, 123456789, d3, 42)),
			frames: []frame{pf(d3, unix(t0, 123456789), 42, LinkTypeLinuxSLL, 9)}},
		{name: "pcap link type with FCS bits",
			file:   pcapFile(lo, magicNano, 65535, 0x14000001, pcapRec(lo, t0, 5, d2, 1)),
			frames: []frame{pf(d2, unix(t0, 5), 1, LinkTypeEthernet, 9)}},
		{name: "pcap µs fraction out of range wraps in 32 bits",
			file:   pcapFile(lo, magicMicro, 65535, 1, pcapRec(lo, t0, 0xffffffff, d2, 1)),
			frames: []frame{pf(d2, unix(t0, 0xffffffff*1000&0xffffffff), 1, LinkTypeEthernet, 6)}},
		{name: "pcap empty record",
			file:   pcapFile(lo, magicMicro, 65535, 1, pcapRec(lo, t0, 0, nil, 0)),
			frames: []frame{pf(nil, unix(t0, 0), 0, LinkTypeEthernet, 6)}},
		{name: "pcap records longer than the read buffer",
			file: pcapFile(lo, magicNano, 262144, 1, pcapRec(lo, t0, 1, big1, 100000), pcapRec(lo, t0, 2, big2, 70000), pcapRec(lo, t0, 3, d1, 60)),
			frames: []frame{pf(big1, unix(t0, 1), 100000, LinkTypeEthernet, 9), pf(big2, unix(t0, 2), 70000, LinkTypeEthernet, 9),
				pf(d1, unix(t0, 3), 60, LinkTypeEthernet, 9)}},
		{name: "pcap no records", file: pcapFile(lo, magicMicro, 65535, 1)},
		{name: "pcap record header cut short", cut: len(micro),
			file:   cat(micro, pcapRec(lo, t0, 0, d1, 60)[:10]),
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6)}},
		{name: "pcap record data cut short", cut: len(micro),
			file:   cat(micro, pcapRec(lo, t0, 0, d1, 60)[:40]),
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6)}},
		{name: "pcap long record cut short", cut: 24,
			file:   pcapFile(lo, magicNano, 262144, 1, pcapRec(lo, t0, 1, big1, 100000)[:70000]),
			frames: nil},
		{name: "pcap captured longer than original",
			file: cat(micro, pcapRecHdr(lo, 61, 60), d1, d2), err: "exceeds its original length",
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6)}},
		{name: "pcap record longer than the snap length allows",
			file: cat(micro, pcapRecHdr(lo, 262145, 262145), d1), err: "exceeds the maximum of 262144",
			frames: []frame{pf(d1, unix(t0, 123456000), 60, LinkTypeEthernet, 6)}},
		{name: "pcap huge claimed length",
			file: cat(pcapFile(lo, magicNano, 0xffffffff, 1), pcapRecHdr(lo, 0xfffffff0, 0xfffffff0), d1),
			err:  "exceeds the maximum of 134217728", stricter: true},
		{name: "pcap huge snap length, record cut short", cut: 24,
			file: cat(pcapFile(lo, magicNano, 0xffffffff, 1), pcapRecHdr(lo, 100<<20, 100<<20), d1)},

		// pcapng.
		{name: "pcapng little-endian, if_name, default µs",
			file:   cat(ngHead, epb(lo, 0, tsUS, d1, 60), epb(lo, 0, tsUS, d2, 1514)),
			frames: []frame{eth0(d1, 60), eth0(d2, 1514)}},
		{name: "pcapng big-endian section, ns",
			file:   cat(shb(bo), idb(bo, 1, 0, ifName(bo, "en0"), tsResol(bo, 9)), epb(bo, 0, tsNS, d3, 42)),
			frames: []frame{nf(d3, unix(t0, 123456789), 42, LinkTypeEthernet, 0, "en0", 9)}},
		{name: "pcapng interface without options",
			file:   cat(shb(lo), idb(lo, 276, 0), epb(lo, 0, tsUS, d1, 60)),
			frames: []frame{nf(d1, unix(t0, 123456000), 60, LinkTypeLinuxSLL2, 0, "unknown", 6)}},
		{name: "pcapng two interfaces, different link types and resolutions",
			file: cat(ngHead, idb(lo, 101, 0, ifName(lo, "tun0"), tsResol(lo, 9)),
				epb(lo, 0, tsUS, d1, 60), epb(lo, 1, tsNS, d3, 42), epb(lo, 0, tsUS, d2, 1)),
			frames: []frame{eth0(d1, 60), nf(d3, unix(t0, 123456789), 42, LinkTypeRaw, 1, "tun0", 9), eth0(d2, 1)}},
		{name: "pcapng ms resolution and if_tsoffset",
			file:   cat(shb(lo), idb(lo, 0, 0, tsResol(lo, 3), tsOffset(lo, t0)), epb(lo, 0, 5123, d2, 1)),
			frames: []frame{nf(d2, unix(t0+5, 123000000), 1, LinkTypeNull, 0, "unknown", 3)}},
		{name: "pcapng if_tsresol 0 is whole seconds",
			// As in tshark: 10^0 units a second, and no decimals.
			file:   cat(shb(lo), idb(lo, 1, 0, tsResol(lo, 0)), epb(lo, 0, tsUS, d2, 1)),
			frames: []frame{nf(d2, unix(int64(tsUS), 0), 1, LinkTypeEthernet, 0, "unknown", 0)}},
		{name: "pcapng binary resolutions",
			// The fraction times 10^9 over 2^n, truncated; the list shows
			// 6 decimals for 2^20 units a second, 9 for 2^30, 3 for 2^10.
			file: cat(shb(lo), idb(lo, 1, 0, tsResol(lo, 0x80|20)), idb(lo, 1, 0, tsResol(lo, 0x80|30)), idb(lo, 1, 0, tsResol(lo, 0x80|10)),
				epb(lo, 0, 5<<20|1<<19, d1, 60), epb(lo, 1, 7<<30|1<<29|1, d2, 1), epb(lo, 2, 9<<10|1, d3, 42)),
			frames: []frame{nf(d1, unix(5, 5e8), 60, LinkTypeEthernet, 0, "unknown", 6),
				nf(d2, unix(7, 5e8), 1, LinkTypeEthernet, 1, "unknown", 9),
				nf(d3, unix(9, 976562), 42, LinkTypeEthernet, 2, "unknown", 3)}},
		{name: "pcapng resolutions finer than 64 bits hold", laxer: true,
			// 10^-64 and 2^-64 seconds: 2^64-1 units a second.
			file: cat(shb(lo), idb(lo, 1, 0, tsResol(lo, 64)), idb(lo, 1, 0, tsResol(lo, 0x80|64)),
				epb(lo, 0, 1<<63, d2, 1), epb(lo, 1, 3, d1, 60)),
			frames: []frame{nf(d2, unix(0, 0), 1, LinkTypeEthernet, 0, "unknown", 9),
				nf(d1, unix(0, 0), 60, LinkTypeEthernet, 1, "unknown", 9)}},
		{name: "pcapng simple packet blocks",
			// The first is cut to the interface's snap length; neither has
			// a timestamp.
			file: cat(shb(lo), idb(lo, 1, 64, ifName(lo, "eth1")), spb(lo, 100, frameBytes(6, 64)), spb(lo, 10, frameBytes(7, 10))),
			frames: []frame{untimed(nf(frameBytes(6, 64), unix(0, 0), 100, LinkTypeEthernet, 0, "eth1", 6)),
				untimed(nf(frameBytes(7, 10), unix(0, 0), 10, LinkTypeEthernet, 0, "eth1", 6))}},
		{name: "pcapng obsolete packet block",
			file:   cat(ngHead, idb(lo, 101, 0, ifName(lo, "tun0")), pb(lo, 1, tsUS, d3, 42)),
			frames: []frame{nf(d3, unix(t0, 123456000), 42, LinkTypeRaw, 1, "tun0", 6)}},
		{name: "pcapng other blocks skipped",
			// Interface statistics, an EPB with options, name resolution,
			// decryption secrets, a custom block, a local-use type.
			file: cat(ngHead,
				ngBlock(lo, 5, lo.AppendUint32(nil, 0), lo.AppendUint64(nil, tsUS), ngOpt(lo, 4, lo.AppendUint64(nil, 7)), optEndOfOpts(lo)),
				epb(lo, 0, tsUS, d1, 60, ngOpt(lo, 1, []byte("a comment")), ngOpt(lo, 2, lo.AppendUint32(nil, 1))),
				ngBlock(lo, 4, lo.AppendUint16(nil, 1), lo.AppendUint16(nil, 8), []byte{10, 0, 0, 1, 'h', 'o', 's', 0}, lo.AppendUint32(nil, 0)),
				ngBlock(lo, 10, lo.AppendUint32(nil, 0x544c534b), lo.AppendUint32(nil, 3), []byte("key")),
				ngBlock(lo, 0x00000bad, lo.AppendUint32(nil, 32473), []byte("custom")),
				ngBlock(lo, 0x80000001, []byte("local use")),
				epb(lo, 0, tsUS, d2, 1)),
			frames: []frame{eth0(d1, 60), eth0(d2, 1)}},
		{name: "pcapng several sections, byte orders and interfaces",
			// The link type, resolution and timestamp are those of the
			// frame's own interface; the section number counts sections and
			// the name is that of the interface with the frame's id counted
			// from the start of the file, as tshark 4.0 shows them.
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60),
				shb(bo), idb(bo, 1, 0, ifName(bo, "tun0"), tsResol(bo, 9)), idb(bo, 101, 0, ifName(bo, "wlan0"), tsResol(bo, 3)),
				epb(bo, 1, t0*1e3+123, d2, 1), epb(bo, 0, tsNS, d3, 42),
				shb(lo), idb(lo, 1, 0), epb(lo, 0, tsUS, d2, 1)),
			frames: []frame{eth0(d1, 60),
				nfs(2, d2, unix(t0, 123000000), 1, LinkTypeRaw, 1, "tun0", 3),
				nfs(2, d3, unix(t0, 123456789), 42, LinkTypeEthernet, 0, "eth0", 9),
				nfs(3, d2, unix(t0, 123456000), 1, LinkTypeEthernet, 0, "eth0", 6)}},
		{name: "pcapng new section forgets the interfaces",
			file: cat(ngHead, shb(lo), epb(lo, 0, tsUS, d1, 60)), err: "interface 0, but its section describes 0 interfaces"},
		{name: "pcapng packets longer than the read buffer",
			file:   cat(ngHead, epb(lo, 0, tsUS, big1, 100000), epb(lo, 0, tsUS, big2, 70000), epb(lo, 0, tsUS, d1, 60)),
			frames: []frame{eth0(big1, 100000), eth0(big2, 70000), eth0(d1, 60)}},
		{name: "pcapng section without packets", file: shb(lo)},
		{name: "pcapng last block cut short", cut: len(ngHead) + len(epb(lo, 0, tsUS, d1, 60)),
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60), epb(lo, 0, tsUS, d2, 1)[:20]), frames: []frame{eth0(d1, 60)}},
		{name: "pcapng last block cut in its trailing length", cut: len(ngHead) + len(epb(lo, 0, tsUS, d1, 60)),
			file:   cat(ngHead, epb(lo, 0, tsUS, d1, 60), func() []byte { b := epb(lo, 0, tsUS, d2, 1); return b[:len(b)-2] }()),
			frames: []frame{eth0(d1, 60)}},
		{name: "pcapng long last block cut short", cut: len(ngHead) + len(epb(lo, 0, tsUS, d1, 60)),
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60), epb(lo, 0, tsUS, big1, 100000)[:80000]), frames: []frame{eth0(d1, 60)}},
		{name: "pcapng block header cut short", cut: len(ngHead) + len(epb(lo, 0, tsUS, d1, 60)),
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60), []byte{6, 0, 0}), frames: []frame{eth0(d1, 60)}},
		{name: "pcapng section header cut short", cut: len(ngHead) + len(epb(lo, 0, tsUS, d1, 60)),
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60), shb(bo)[:14]), frames: []frame{eth0(d1, 60)}},
		{name: "pcapng packet for an undescribed interface",
			file: cat(ngHead, epb(lo, 1, tsUS, d1, 60)), err: "interface 1, but its section describes 1 interfaces"},
		{name: "pcapng simple packet before any interface",
			file: cat(shb(lo), spb(lo, 1, d2)), err: "before any interface"},
		{name: "pcapng later section with a bad byte-order magic",
			file: cat(ngHead, epb(lo, 0, tsUS, d1, 60), ngBlockLen(lo, blockSHB, 28, []byte{1, 2, 3, 4, 1, 0, 0, 0})),
			err:  "bad byte-order magic", frames: []frame{eth0(d1, 60)}},
		{name: "pcapng captured length beyond its block",
			file: cat(ngHead, epbHdr(lo, 40, 1000), make([]byte, 8), lo.AppendUint32(nil, 40), epb(lo, 0, tsUS, d1, 60)),
			err:  "enhanced packet block of 40 bytes cannot hold its 1000-byte packet", stricter: true},
		{name: "pcapng simple packet beyond its block",
			file: cat(shb(lo), idb(lo, 1, 0), spb(lo, 100, d1), epb(lo, 0, tsUS, d1, 60)),
			err:  "simple packet block of 76 bytes cannot hold its 100-byte packet", stricter: true},
		{name: "pcapng huge block length",
			file: cat(ngHead, epbHdr(lo, 0xfffffff0, 16), d1),
			err:  "pcapng block (type 6) of 4294967280 bytes exceeds the maximum", stricter: true},
		{name: "pcapng huge length of a skipped block",
			file: cat(ngHead, ngBlockLen(lo, 5, 0xfffffff0, d1)),
			err:  "pcapng block (type 5) of 4294967280 bytes exceeds the maximum", stricter: true},
		{name: "pcapng block length below its header",
			file: cat(ngHead, ngBlockLen(lo, 6, 8, d1)), err: "(type 6) of 8 bytes is too short", stricter: true},
		{name: "pcapng enhanced packet block shorter than its fields",
			file: cat(ngHead, ngBlockLen(lo, 6, 28, make([]byte, 20))), err: "enhanced packet block of 28 bytes is too short", stricter: true},
		{name: "pcapng interface option overruns its block",
			file: cat(shb(lo), ngBlock(lo, blockIDB, lo.AppendUint16(nil, 1), lo.AppendUint16(nil, 0), lo.AppendUint32(nil, 0), lo.AppendUint16(nil, 2), lo.AppendUint16(nil, 200), []byte("eth0"))),
			err:  "option 2 of 200 bytes overruns", stricter: true},
	}
}

func TestSource(t *testing.T) {
	for _, tc := range sourceCases() {
		t.Run(tc.name, func(t *testing.T) {
			s, err := openSource(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := readFrames(s.next, 100)
			switch {
			case tc.err == "" && !cleanEnd(err):
				t.Errorf("ended with %v, want a clean end", err)
			case tc.err != "" && (err == nil || cleanEnd(err) || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("ended with %v, want an error containing %q", err, tc.err)
			}
			compareFrames(t, "want", tc.frames, got)
		})
	}
}

func compareFrames(t *testing.T, wantName string, want, got []frame) {
	t.Helper()
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(want):
			t.Errorf("frame %d: got %v, %s none", i+1, got[i], wantName)
		case i >= len(got):
			t.Errorf("frame %d: got none, %s %v", i+1, wantName, want[i])
		case !want[i].equal(got[i]):
			t.Errorf("frame %d:\n got %v\n%s %v", i+1, got[i], wantName, want[i])
		}
	}
}

func TestOpenSourceErrors(t *testing.T) {
	lo, bo := leOrder, beOrder
	for _, tc := range []struct {
		name string
		file []byte
		err  string
	}{
		{"empty", nil, ErrUnknownFormat.Error()},
		{"shorter than a magic", []byte{0xd4, 0xc3, 0xb2}, ErrUnknownFormat.Error()},
		{"bad magic", []byte("GIF89a\x01\x00\x01\x00"), ErrUnknownFormat.Error()},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}, ErrUnknownFormat.Error()},
		{"pcap header cut short", pcapFile(lo, magicMicro, 65535, 1)[:20], "pcap file header: unexpected EOF"},
		{"pcap version 2.2", func() []byte { b := pcapFile(bo, magicNano, 65535, 1); b[7] = 2; return b }(), "pcap version 2.2 is not supported"},
		{"pcapng bad byte-order magic", ngBlockLen(lo, blockSHB, 28, []byte{1, 2, 3, 4, 1, 0, 0, 0}), "bad byte-order magic 0x1020304"},
		{"pcapng version 2.0", func() []byte { b := shb(bo); b[13] = 2; return b }(), "pcapng version 2.0 is not supported"},
		{"pcapng section header cut short", shb(lo)[:14], "pcapng section header: unexpected EOF"},
		{"pcapng section header too short", ngBlockLen(lo, blockSHB, 24, cat(lo.AppendUint32(nil, ngByteOrderMagic), make([]byte, 16))), "section header block of 24 bytes is too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openSource(bytes.NewReader(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want one containing %q", err, tc.err)
			}
			if _, err := openPcapgoSource(bytes.NewReader(tc.file), false); err == nil {
				t.Errorf("gopacket's reader opened it")
			}
		})
	}
}

// captureFiles are the real captures: the project's shared ones (the
// repository's copy in ../testdata/shared) and this package's testdata.
func captureFiles(t testing.TB) []string {
	shared, _ := filepath.Glob("../testdata/shared/captures/*.pcap*")
	local, _ := filepath.Glob("testdata/*.pcap*")
	if len(shared) == 0 || len(local) == 0 {
		t.Fatalf("captures missing: %d shared, %d in testdata", len(shared), len(local))
	}
	return append(shared, local...)
}

// diffPcapgo reads data with both readers and reports any difference in
// the frames or in how reading ended. With stricter, this reader may stop
// with an error where gopacket's did something else.
func diffPcapgo(t *testing.T, data []byte, stricter, laxer bool) (frames int) {
	t.Helper()
	s, err := openSource(bytes.NewReader(data))
	ref, refErr := openPcapgoSource(bytes.NewReader(data), false)
	if err != nil || refErr != nil {
		if (err == nil) != (refErr == nil) {
			t.Fatalf("open: %v, gopacket: %v", err, refErr)
		}
		return 0
	}
	got, err := readFrames(s.next, 1e6)
	want, refErr := readFrames(ref.next, 1e6)
	got = asPcapgo(got, want)
	switch {
	case stricter && err != nil && !cleanEnd(err):
		want = want[:min(len(want), len(got))]
	case laxer && refErr != nil && !cleanEnd(refErr):
		got = got[:min(len(want), len(got))]
	case cleanEnd(err) != cleanEnd(refErr):
		t.Errorf("ended with %v, gopacket with %v", err, refErr)
	}
	compareFrames(t, "gopacket", want, got)
	return len(got)
}

// asPcapgo masks what this reader shows differently from gopacket's by
// design: after the first section of a pcapng file, the section number
// (gopacket's gave 1) and the interface name (tshark's, not the section's
// own interface's); the name of an interface without if_name (gopacket's
// is empty, tshark's the description, the hardware or "unknown"); and the
// time of a Simple Packet Block (gopacket's is the zero time, tshark's the
// epoch); and times gopacket's reader converts otherwise than wiretap
// (digits -1 from the reference, see pcapgoSource; or whole seconds,
// if_tsresol 0, which gopacket reads as microseconds).
func asPcapgo(got, want []frame) []frame {
	out := slices.Clone(got)
	for i := range min(len(out), len(want)) {
		if out[i].section > 1 || want[i].name == "" {
			out[i].section, out[i].name = want[i].section, want[i].name
		}
		if out[i].noTime && want[i].ts.IsZero() {
			out[i].ts, out[i].noTime = want[i].ts, false
		}
		if want[i].digits < 0 || out[i].digits == 0 {
			out[i].ts, out[i].digits = want[i].ts, want[i].digits
		}
	}
	return out
}

// TestSourceMatchesPcapgo reads every real capture with both readers.
func TestSourceMatchesPcapgo(t *testing.T) {
	for _, path := range captureFiles(t) {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if n := diffPcapgo(t, data, false, false); n == 0 {
				t.Error("no frames")
			}
		})
	}
}

// TestSourceFixturesMatchPcapgo reads the fixtures with both readers.
func TestSourceFixturesMatchPcapgo(t *testing.T) {
	for _, tc := range sourceCases() {
		t.Run(tc.name, func(t *testing.T) { diffPcapgo(t, tc.file, tc.stricter, tc.laxer) })
	}
}

// A record cut short at the end of the file ends the capture with a
// *TruncatedError saying where that record starts, after the frames
// before it (tshark shows them, then says the file "appears to have been
// cut short in the middle of a packet"); a file that ends between records
// ends with io.EOF.
func TestReaderCutRecord(t *testing.T) {
	for _, tc := range sourceCases() {
		if tc.err != "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				_, err = r.Next()
				if err != nil {
					break
				}
				n++
			}
			if n != len(tc.frames) {
				t.Errorf("%d frames, want %d", n, len(tc.frames))
			}
			if tc.cut == 0 {
				if err != io.EOF {
					t.Errorf("ended with %v, want io.EOF", err)
				}
				return
			}
			var te *TruncatedError
			if !errors.As(err, &te) || !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				t.Fatalf("ended with %v (%T), want a *TruncatedError", err, err)
			}
			want := fmt.Sprintf("cut short in the middle of a packet at byte %d", tc.cut)
			if te.Offset != int64(tc.cut) || err.Error() != want {
				t.Errorf("ended with %q (offset %d), want %q", err, te.Offset, want)
			}
			// It stays at the error.
			if _, err2 := r.Next(); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("then %v, want %v again", err2, err)
			}
		})
	}
}

// Lengths claimed by a file cost memory only as far as the file has the
// bytes: reading a few hundred bytes claiming up to 128 MiB allocates
// little.
func TestSourceBoundedAllocation(t *testing.T) {
	lo := leOrder
	ngHead := cat(shb(lo), idb(lo, 1, 0))
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"pcap record", cat(pcapFile(lo, magicNano, 0xffffffff, 1), pcapRecHdr(lo, 100<<20, 100<<20), frameBytes(1, 100))},
		{"pcapng packet", cat(ngHead, epbHdr(lo, 100<<20, 100<<20-32), frameBytes(1, 100))},
		{"pcapng interface", cat(shb(lo), ngBlockLen(lo, blockIDB, 100<<20, frameBytes(1, 100)))},
		{"pcapng skipped block", cat(ngHead, ngBlockLen(lo, 5, 100<<20, frameBytes(1, 100)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtimeMem
			before.read()
			s, err := openSource(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = readFrames(s.next, 10)
			after.read()
			if !cleanEnd(err) {
				t.Errorf("ended with %v, want a clean end (a record cut short)", err)
			}
			if n := after.total - before.total; n > 1<<20 {
				t.Errorf("allocated %d bytes", n)
			}
		})
	}
}

// runtimeMem is the total of bytes allocated so far.
type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.total = ms.TotalAlloc
}
