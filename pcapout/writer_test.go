package pcapout

import (
	"bytes"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// -update rewrites the golden files from the current writer. They were made
// with the gopacket-based writer this package used before building its
// frames itself, so the test proves the output did not change by a byte.
var update = flag.Bool("update", false, "rewrite testdata/*.pcap from the current writer")

// packet is one Writer.Packet call of a session.
type packet struct {
	fromClient bool
	size       int // payload bytes, filled with a pattern
}

// session is one conversation written by one Writer.
type session struct {
	name          string
	local, remote net.Addr
	packets       []packet
	close         bool
}

func tcp(ip string, port int) *net.TCPAddr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: port} }

var sessions = []session{
	// Both directions, an empty payload (a frame all the same) and one
	// large enough to be split into three segments.
	{name: "ipv4", local: tcp("192.168.1.10", 50123), remote: tcp("10.0.0.1", 1883), close: true,
		packets: []packet{{true, 14}, {false, 4}, {true, 0}, {true, 40000}, {false, 4}, {false, 0}, {true, 2}}},
	{name: "ipv6", local: tcp("2001:db8::10", 50124), remote: tcp("2001:db8::1", 8883), close: true,
		packets: []packet{{true, 30}, {false, 4}, {false, 16384}, {true, 16385}, {true, 0}, {false, 1}}},
	// One IPv4 end and one IPv6 end: both are written as IPv6.
	{name: "mixed", local: tcp("127.0.0.1", 40000), remote: tcp("::1", 1883), close: true,
		packets: []packet{{true, 5}, {false, 70000}}},
	// A 16-byte IPv4-mapped address is IPv4.
	{name: "mapped", local: &net.TCPAddr{IP: net.ParseIP("::ffff:10.1.2.3").To16(), Port: 1}, remote: tcp("10.1.2.4", 65535),
		packets: []packet{{true, 1}, {false, 59}}},
	// Addresses that are not TCP (a pipe) map to loopback ports 50000/1883.
	{name: "pipe", local: pipeAddr{}, remote: pipeAddr{}, close: true,
		packets: []packet{{false, 3}}},
	// Close without any packet writes only the file header.
	{name: "empty", close: true},
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// payload is n bytes of a pattern that exercises odd and even checksum
// words.
func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func writeSession(t *testing.T, s session) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	// Timestamps cross a second boundary and keep nanoseconds.
	ts := time.Date(2026, 11, 24, 20, 51, 55, 999_999_500, time.UTC)
	for i, p := range s.packets {
		if err := w.Packet(ts.Add(time.Duration(i)*123_457), p.fromClient, s.local, s.remote, payload(p.size)); err != nil {
			t.Fatal(err)
		}
	}
	if s.close {
		if err := w.Close(ts.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
	} else if err := w.bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestWriterGolden(t *testing.T) {
	for _, s := range sessions {
		t.Run(s.name, func(t *testing.T) {
			got := writeSession(t, s)
			path := filepath.Join("testdata", s.name+".pcap")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Fatalf("output differs from %s at byte %d (got %d bytes, want %d)", path, i, len(got), len(want))
			}
		})
	}
}

// An address without a usable IP cannot be written: an error, not a
// frame with a zero address.
func TestWriterBadAddress(t *testing.T) {
	for _, tc := range []struct {
		name          string
		local, remote net.Addr
		want          string
	}{
		{"nil source", &net.TCPAddr{Port: 1}, tcp("10.0.0.1", 2), "source"},
		{"nil destination", tcp("10.0.0.1", 2), &net.TCPAddr{IP: net.IP{1, 2, 3}, Port: 1}, "destination"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewWriter(&bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			err = w.Packet(time.Unix(1, 0), true, tc.local, tc.remote, []byte{1})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming the %s address", err, tc.want)
			}
		})
	}
}
