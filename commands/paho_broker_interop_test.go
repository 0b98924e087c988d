//go:build interop

package commands_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPahoBrokerPcapTshark: the pcap `mqtap broker --write` recorded of
// the Eclipse Paho session dissects in the real tshark without a
// malformed packet or an error, with every MQTT PDU exchanged.
func TestPahoBrokerPcapTshark(t *testing.T) {
	bin := tapTool(t, "tshark", "/usr/bin/tshark")
	s := runPahoSession(t)
	cmd := exec.Command(bin, "-r", s.pcap, "-d", "tcp.port=="+s.port+",mqtt", "-V")
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark: %v: %s", err, errOut.String())
	}
	for _, l := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
		// The warning about running as root says nothing of the capture.
		if l != "" && !strings.HasPrefix(l, "Running as user") {
			t.Errorf("tshark complained: %s", l)
		}
	}
	details := out.String()
	for _, l := range strings.Split(details, "\n") {
		if strings.Contains(l, "Malformed") || strings.Contains(l, "[Expert Info (Error") {
			t.Errorf("tshark: %s", strings.TrimSpace(l))
		}
	}
	if n := strings.Count(details, "\nMQ Telemetry Transport Protocol, "); n != pahoPackets {
		t.Errorf("tshark shows %d MQTT PDUs, want %d:\n%s", n, pahoPackets, details)
	}
}
