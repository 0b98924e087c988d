package commands_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/mqttwire"
)

// announceHook puts the Retain Available and Maximum Packet Size of
// mochi's capabilities in its CONNACK, which mochi enforces but does not
// announce (it announces only Maximum QoS).
type announceHook struct {
	mqtt.HookBase
	caps *mqtt.Capabilities
}

func (h *announceHook) ID() string           { return "test-announce-limits" }
func (h *announceHook) Provides(b byte) bool { return b == mqtt.OnPacketEncode }

func (h *announceHook) OnPacketEncode(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	if pk.FixedHeader.Type != packets.Connack || pk.ReasonCode != 0 {
		return pk
	}
	if h.caps.RetainAvailable == 0 {
		pk.Properties.RetainAvailable, pk.Properties.RetainAvailableFlag = 0, true
	}
	pk.Properties.MaximumPacketSize = h.caps.MaximumPacketSize
	return pk
}

// TestPubServerLimits checks that pub refuses, before sending, a message
// breaking a limit of an MQTT 5 CONNACK, with exit code 5 and one line
// naming the limit; that messages at the limit and 3.1.1 sessions go
// through; and that the same commands succeed against a broker without
// the limits.
func TestPubServerLimits(t *testing.T) {
	const maxPacket = 1024
	limited := startBroker(t, brokerOptions{caps: func(c *mqtt.Capabilities) {
		c.MaximumQos = 1
		c.RetainAvailable = 0
		c.MaximumPacketSize = maxPacket
	}})
	if err := limited.srv.AddHook(&announceHook{caps: limited.srv.Options.Capabilities}, nil); err != nil {
		t.Fatal(err)
	}
	plain := startBroker(t, brokerOptions{})

	dir := t.TempDir()
	// packetFile writes a payload that makes a 5.0 QoS 0 PUBLISH to topic
	// (no properties) exactly size bytes long.
	packetFile := func(name, topic string, size int) (string, int) {
		t.Helper()
		payload := size - 1 - 2 - 2 - len(topic) - 1 // header byte, 2-byte length (size < 16384), topic, property length
		p := &mqttwire.Publish{Topic: topic, Payload: make([]byte, payload)}
		raw, err := mqttwire.Encode(p, mqttwire.V5)
		if err != nil || len(raw) != size {
			t.Fatalf("PUBLISH of %d bytes, want %d (%v)", len(raw), size, err)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, p.Payload, 0o600); err != nil {
			t.Fatal(err)
		}
		return file, len(raw)
	}
	atLimit, _ := packetFile("at", "lim/size", maxPacket)
	over, overSize := packetFile("over", "lim/size", 2000)

	cases := []struct {
		name string
		args []string
		// msg is the error line against the limited broker, "" for
		// success there.
		msg string
	}{
		{"qos2", []string{"-V", "5", "-q", "2", "-t", "lim/qos", "-m", "x"},
			"QoS 2 exceeds the server's Maximum QoS 1"},
		{"retain", []string{"-V", "5", "-r", "-t", "lim/retain", "-m", "x"},
			"retained message but the server has Retain Available 0"},
		{"big-file", []string{"-V", "5", "-t", "lim/size", "-f", over},
			fmt.Sprintf("message of %d bytes exceeds the server's Maximum Packet Size %d (CONNACK)", overSize, maxPacket)},
		{"big-file-qos1", []string{"-V", "5", "-q", "1", "-t", "lim/size", "-f", over},
			fmt.Sprintf("message of %d bytes exceeds the server's Maximum Packet Size %d (CONNACK)", overSize+2, maxPacket)},
		// At the limits.
		{"qos1", []string{"-V", "5", "-q", "1", "-t", "lim/qos", "-m", "x"}, ""},
		{"file-at-limit", []string{"-V", "5", "-t", "lim/size", "-f", atLimit}, ""},
		// 3.1.1 has no CONNACK limits: nothing is refused locally (mochi
		// does not keep the message).
		{"v311-retain", []string{"-V", "311", "-q", "1", "-r", "-t", "lim/v311", "-m", "x"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mqtap(nil, append([]string{"pub", "-p", limited.port}, tc.args...)...)
			if tc.msg == "" {
				expectCode(t, r, 0)
			} else {
				expectCode(t, r, commands.ExitProtocol)
				if want := "mqtap: " + tc.msg + "\n"; r.errOut != want {
					t.Errorf("stderr %q\n  want %q", r.errOut, want)
				}
			}
			// Without the limits the same command succeeds.
			expectCode(t, mqtap(nil, append([]string{"pub", "-p", plain.port}, tc.args...)...), 0)
		})
	}
}

// TestPubTopicAliasNotOffered checks a topic alias is refused locally when
// the CONNACK has no Topic Alias Maximum (mochi announces none), which
// means 0 (MQTT 5.0 §3.2.2.3.8).
func TestPubTopicAliasNotOffered(t *testing.T) {
	b := startBroker(t, brokerOptions{})
	r := mqtap(nil, "pub", "-p", b.port, "-V", "5", "-t", "alias", "-m", "x", "--topic-alias", "1")
	expectCode(t, r, commands.ExitProtocol)
	if want := "mqtap: topic alias 1 exceeds the server's Topic Alias Maximum 0\n"; r.errOut != want {
		t.Errorf("stderr %q, want %q", r.errOut, want)
	}
	if strings.Count(r.errOut, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", r.errOut)
	}
}
