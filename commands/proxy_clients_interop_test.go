//go:build interop

package commands_test

import (
	"path/filepath"
	"testing"

	"github.com/mqtap/mqtap/broker"
)

// TestProxyMosquittoClientsMatchCapture: mosquitto_sub (MQTT 5) and
// mosquitto_pub (3.1.1) through `mqtap proxy --write` to the in-process
// broker and to a real mosquitto: the message arrives (pubSubThrough
// checks), every packet is shown with its client id, and the live output
// (-v trees, and the summary) equals mqtap decode -V (resp. the list) of
// the pcap the proxy wrote.
func TestProxyMosquittoClientsMatchCapture(t *testing.T) {
	upstreams := []struct {
		name  string
		start func(t *testing.T) string
	}{
		{"mochi", func(t *testing.T) string {
			b, err := broker.Start(broker.Config{Listen: []string{"127.0.0.1:0"}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b.Listeners()[0].Addr.String()
		}},
		{"mosquitto", startTapMosquitto},
	}
	for _, up := range upstreams {
		for _, mode := range []string{"tree", "summary"} {
			t.Run(up.name+"/"+mode, func(t *testing.T) {
				upstream := up.start(t)
				pcap := filepath.Join(t.TempDir(), "proxy.pcap")
				const total = 12 // pubSubThrough's packets
				run := startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", upstream,
					"--output", mode, "--color", "never", "--write", pcap, "-c", "12", "--duration", "60s")
				pubSubThrough(t, run, run.addr(t))
				out := run.wait(t)

				serverPort := portOf(t, upstream)
				live := parseTapOutput(t, out, mode == "tree")
				if len(live) != total {
					t.Fatalf("%d packets shown, want %d:\n%s", len(live), total, out)
				}
				checkLabels(t, live, serverPort, map[string]bool{"isub": true, "ipub": true})
				decoded := decodeCapture(t, pcap, serverPort)
				if len(decoded) != total {
					t.Errorf("the capture holds %d MQTT PDUs, want %d", len(decoded), total)
				}
				compareWithCapture(t, live, decoded, serverPort, mode == "tree")
				checkWireOrder(t, live, serverPort, "proxy output")
			})
		}
	}
}
