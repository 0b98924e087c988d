package commands_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/mqtap/mqtap/mqttwire"
)

// TestWritePcap checks --write records both directions as TCP payload
// that reassembles into the session's MQTT packets.
func TestWritePcap(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	file := t.TempDir() + "/s.pcap"
	expectCode(t, mqtap(nil, "pub", "-h", "127.0.0.1", "-p", b.port, "-t", "cap", "-m", "captured", "-q", "2", "--write", file), 0)
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var toServer, toClient bytes.Buffer
	var syn, fin int
	src := gopacket.NewPacketSource(r, r.LinkType())
	for pkt := range src.Packets() {
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil {
			t.Fatal("frame without TCP")
		}
		if tcp.SYN {
			syn++
		}
		if tcp.FIN {
			fin++
		}
		if tcp.DstPort.String() == b.port || int(tcp.DstPort) == atoi(b.port) {
			toServer.Write(tcp.Payload)
		} else {
			toClient.Write(tcp.Payload)
		}
	}
	if syn != 2 || fin != 2 {
		t.Errorf("%d SYN and %d FIN segments, want 2 each", syn, fin)
	}
	types := func(b []byte) (out []mqttwire.PacketType) {
		pkts, rest, err := mqttwire.Split(b)
		if err != nil || len(rest) > 0 {
			t.Fatalf("split: %v, %d bytes left", err, len(rest))
		}
		for _, p := range pkts {
			out = append(out, mqttwire.PacketType(p[0]>>4))
		}
		return out
	}
	wantOut := []mqttwire.PacketType{mqttwire.TypeConnect, mqttwire.TypePublish, mqttwire.TypePubrel, mqttwire.TypeDisconnect}
	wantIn := []mqttwire.PacketType{mqttwire.TypeConnack, mqttwire.TypePubrec, mqttwire.TypePubcomp}
	if got := types(toServer.Bytes()); !equalTypes(got, wantOut) {
		t.Errorf("client to server: %v, want %v", got, wantOut)
	}
	if got := types(toClient.Bytes()); !equalTypes(got, wantIn) {
		t.Errorf("server to client: %v, want %v", got, wantIn)
	}
}

func equalTypes(a, b []mqttwire.PacketType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
