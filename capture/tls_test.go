package capture

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
)

// tlsListCase is a TLS capture on port 8883 and the Protocol and Info
// columns tshark 4.0 shows for its frames that carry TLS records.
type tlsListCase struct {
	file string
	want []tlsListLine
}

type tlsListLine struct {
	frame       int
	proto, info string
}

func tlsListCases() []tlsListCase {
	return []tlsListCase{
		{"testdata/tls/tls12-8883.pcapng", []tlsListLine{
			{4, "TLSv1", "Client Hello"},
			{6, "TLSv1.2", "Server Hello, Certificate, Server Key Exchange, Server Hello Done"},
			{8, "TLSv1.2", "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message"},
			{9, "TLSv1.2", "New Session Ticket, Change Cipher Spec, Encrypted Handshake Message"},
			{10, "TLSv1.2", "Encrypted Alert"},
			{12, "TLSv1.2", "Encrypted Alert"},
		}},
		{"testdata/tls/tls12-alert-8883.pcapng", []tlsListLine{
			{4, "TLSv1", "Client Hello"},
			{6, "TLSv1.2", "Server Hello, Certificate, Server Key Exchange, Server Hello Done"},
			{8, "TLSv1.2", "Alert (Level: Fatal, Description: Unknown CA)"},
		}},
		{"testdata/tls/tls13-8883.pcapng", []tlsListLine{
			{4, "TLSv1", "Client Hello"},
			{6, "TLSv1.3", "Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data"},
			{8, "TLSv1.3", "Change Cipher Spec, Application Data"},
			{9, "TLSv1.3", "Application Data"},
			{10, "TLSv1.3", "Application Data"},
			{11, "TLSv1.3", "Application Data"},
			{12, "TLSv1.3", "Application Data"},
			{15, "TLSv1.3", "Application Data"},
		}},
	}
}

// TestTLSList checks the packet list of MQTT over TLS: the records named
// and the TLS version in the Protocol column, as tshark shows them; the
// other frames keep the TCP summary.
func TestTLSList(t *testing.T) {
	for _, tc := range tlsListCases() {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			pkts := readAll(t, data, Options{PDULen: mqttLen, Heuristic: func([]byte) bool { return true }})
			want := map[int]tlsListLine{}
			for _, l := range tc.want {
				want[l.frame] = l
			}
			for _, p := range pkts {
				w, ok := want[p.Number]
				if !ok {
					w = tlsListLine{p.Number, "TCP", p.tcpInfo()}
				}
				if p.Protocol != w.proto || p.TCPInfo() != w.info || len(p.PDUs) != 0 {
					t.Errorf("frame %d: %s %q (%d PDUs), want %s %q", p.Number, p.Protocol, p.TCPInfo(), len(p.PDUs), w.proto, w.info)
				}
			}
		})
	}
}

// resegment rewrites a capture of Ethernet/IPv4/TCP frames as a pcap
// whose TCP payloads are cut into segments of at most n bytes.
func resegment(t testing.TB, file []byte, n int) []byte {
	s, err := openSource(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(65535, 1); err != nil {
		t.Fatal(err)
	}
	var f rawFrame
	for i := 0; ; i++ {
		if err := s.next(&f); err != nil {
			break
		}
		d := f.data
		ip := d[14:]
		ihl := int(ip[0]&15) * 4
		th := int(ip[ihl+12]>>4) * 4
		payload := ip[ihl+th:]
		seq := binary.BigEndian.Uint32(ip[ihl+4:])
		for off := 0; off == 0 || off < len(payload); off += n {
			piece := payload[off:min(off+n, len(payload))]
			frame := append(append([]byte(nil), d[:14+ihl+th]...), piece...)
			binary.BigEndian.PutUint16(frame[14+2:], uint16(ihl+th+len(piece)))
			binary.BigEndian.PutUint32(frame[14+ihl+4:], seq+uint32(off))
			ts := f.ts.Add(time.Duration(off) * time.Nanosecond)
			ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(frame), Length: len(frame)}
			if err := w.WritePacket(ci, frame); err != nil {
				t.Fatal(err)
			}
			if len(payload) == 0 {
				break
			}
		}
	}
	return buf.Bytes()
}

// TestTLSListResegmented: records split over segments show
// "[TCP segment of a reassembled PDU]" until the segment that completes
// them, which names them all.
func TestTLSListResegmented(t *testing.T) {
	data, err := os.ReadFile("testdata/tls/tls12-alert-8883.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	pkts := readAll(t, resegment(t, data, 100), Options{PDULen: mqttLen})
	var got []string
	for _, p := range pkts {
		if p.Protocol != "TCP" || p.meta.tcp.startedMSP {
			got = append(got, p.Protocol+" "+p.TCPInfo())
		}
	}
	want := []string{
		"TCP [TCP segment of a reassembled PDU]", // the Client Hello's first 100 bytes
		"TLSv1 Client Hello",
		"TLSv1.2 Server Hello", // and the start of the Certificate record
		"TLSv1.2 Certificate",
		"TLSv1.2 Server Key Exchange, Server Hello Done",
		"TLSv1.2 Alert (Level: Fatal, Description: Unknown CA)",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d named frames %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %q, want %q", i, got[i], want[i])
		}
	}
}
