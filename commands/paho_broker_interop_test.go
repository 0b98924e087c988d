//go:build interop

package commands_test

import (
	"strings"
	"testing"

	"github.com/mqtap/mqtap/internal/tsharktest"
)

// TestPahoBrokerPcapTshark: the pcap `mqtap broker --write` recorded of
// the Eclipse Paho session dissects in the real tshark without a
// malformed packet or an error, with every MQTT PDU exchanged.
func TestPahoBrokerPcapTshark(t *testing.T) {
	s := runPahoSession(t)
	details := string(tsharktest.RunClean(t, "-r", s.pcap, "-d", "tcp.port=="+s.port+",mqtt", "-V"))
	for _, l := range strings.Split(details, "\n") {
		if strings.Contains(l, "Malformed") || strings.Contains(l, "[Expert Info (Error") {
			t.Errorf("tshark: %s", strings.TrimSpace(l))
		}
	}
	if n := strings.Count(details, "\nMQ Telemetry Transport Protocol, "); n != pahoPackets {
		t.Errorf("tshark shows %d MQTT PDUs, want %d:\n%s", n, pahoPackets, details)
	}
}
