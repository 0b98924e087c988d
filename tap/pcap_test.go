package tap_test

import (
	"bytes"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/mqtap/mqtap/dissect"
	"github.com/mqtap/mqtap/tap"
)

// TestPcapConcurrentSessions: sessions recorded at once into one pcap come
// back from `mqtap decode`'s pipeline whole: every PDU, none malformed,
// each session its own TCP stream.
func TestPcapConcurrentSessions(t *testing.T) {
	const sessions = 50
	var pcap bytes.Buffer
	tp := newTap(t, &bytes.Buffer{}, tap.Options{Format: tap.None, Pcap: &pcap})
	pkts := session5(t)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000 + i}
			s := tp.Open(client, serverAddr)
			feed(s, pkts, rand.New(rand.NewPCG(uint64(i), 1)))
			s.Close()
		}()
	}
	wg.Wait()
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	st, err := dissect.Capture(&out, bytes.NewReader(pcap.Bytes()), dissect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.PDUs != sessions*len(pkts) || st.Malformed != 0 {
		t.Fatalf("decoded %d PDUs (%d malformed), want %d:\n%s", st.PDUs, st.Malformed, sessions*len(pkts), out.String())
	}
	if n := strings.Count(out.String(), "Connect Command"); n != sessions {
		t.Errorf("%d CONNECTs, want %d", n, sessions)
	}
}

// TestPcapKeepsPassword: the pcap holds the bytes as sent, password too.
func TestPcapKeepsPassword(t *testing.T) {
	var pcap bytes.Buffer
	var shown bytes.Buffer
	tp := newTap(t, &shown, tap.Options{Format: tap.Tree, Pcap: &pcap})
	s := tp.Open(clientAddr, serverAddr)
	s.FromClient(connectWithPassword(t))
	tp.Close()
	if !bytes.Contains(pcap.Bytes(), []byte("s3cret")) || strings.Contains(shown.String(), "s3cret") {
		t.Errorf("want the password in the pcap only")
	}
}
