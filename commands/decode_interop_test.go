//go:build interop

package commands

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/internal/tsharktest"
	"github.com/mqtap/mqtap/mqttwire"
)

// tshark runs the real tshark 4.0 with a fixed time zone. The test fails,
// never skips, when tshark is missing: CI installs it.
func tshark(t *testing.T, args ...string) string {
	t.Helper()
	return string(tsharktest.Run(t, args...))
}

// The committed tshark outputs are what tshark prints today, so the
// references the other tests compare against cannot drift; and mqtap's
// output equals the live tshark's. The references were made as the
// captures' README says: NAME.V.txt with -V, NAME.list.txt with no option
// (the packet list), NAME.json with -T json, each with -d for its port;
// the hex dumps' NAME.V.txt with -V -Y "tcp.dstport==1883 && mqtt" on the
// capture of the same name (the frames the client sent).
func TestTsharkReferencesAreCurrent(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			decodeAs := "tcp.port==" + capturePort(name) + ",mqtt"
			for _, ref := range []struct {
				suffix string
				args   []string
			}{
				{".list.txt", nil},
				{".json", []string{"-T", "json"}},
			} {
				live := tshark(t, append([]string{"-r", p, "-d", decodeAs}, ref.args...)...)
				committed, err := os.ReadFile(filepath.Join(sharedData, "captures", name+ref.suffix))
				if err != nil {
					t.Fatal(err)
				}
				if d := firstDiff(string(committed), live); d != "" {
					t.Errorf("%s%s differs from live tshark %v:\n%s", name, ref.suffix, ref.args, d)
				}
			}
			hexRef := filepath.Join(sharedData, "hexdumps", name+".V.txt")
			if committed, err := os.ReadFile(hexRef); err == nil {
				live := tshark(t, "-r", p, "-V", "-Y", "tcp.dstport==1883 && mqtt")
				if d := firstDiff(string(committed), live); d != "" {
					t.Errorf("%s differs from live tshark:\n%s", hexRef, d)
				}
			}
			live := tshark(t, "-r", p, "-V", "-d", "tcp.port=="+capturePort(name)+",mqtt")
			committed, err := os.ReadFile(filepath.Join(sharedData, "captures", name+".V.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(string(committed), live); d != "" {
				t.Errorf("%s.V.txt differs from live tshark:\n%s", name, d)
			}
			// TestDecodeOnlyMQTTMatchesTshark derives -O mqtt from -V.
			if d := firstDiff(tshark(t, "-r", p, "-O", "mqtt", "-d", decodeAs), onlyMQTT(live)); d != "" {
				t.Errorf("onlyMQTT(tshark -V) is not tshark -O mqtt:\n%s", d)
			}
			out, errOut, _ := runMqtap(t, "decode", "-V", "-o", "mqtt.show_msg_as_text:FALSE", "-d", "tcp.port=="+capturePort(name)+",mqtt", p)
			if d := firstDiff(live, out); d != "" {
				t.Errorf("mqtap differs from live tshark (stderr %q):\n%s", errOut, d)
			}
		})
	}
}

// mqtap decode prints what live tshark prints, byte for byte, with -x
// alone, -V -x, -O mqtt -x, and -T json with the message as text, on
// every shared capture.
func TestDecodeModesMatchTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	// -O mqtt alone is -O mqtt -x without the bytes (TestDecodeDetailsThenHexPane).
	modes := [][]string{
		{"-x"},
		{"-V", "-x"},
		{"-o", "mqtt.show_msg_as_text:TRUE", "-O", "mqtt", "-x"},
		{"-o", "mqtt.show_msg_as_text:TRUE", "-T", "json"},
	}
	for _, p := range sharedCaptures(t) {
		name := captureName(p)
		t.Run(name, func(t *testing.T) {
			for _, mode := range modes {
				args := append([]string{"-o", "mqtt.show_msg_as_text:FALSE", "-d", "tcp.port==" + capturePort(name) + ",mqtt"}, mode...)
				live := tshark(t, append([]string{"-r", p}, args...)...)
				out, errOut, _ := runMqtap(t, append(append([]string{"decode"}, args...), p)...)
				if d := firstDiff(live, out); d != "" {
					t.Errorf("%v: mqtap differs from live tshark (stderr %q):\n%s", mode, errOut, d)
				}
			}
		})
	}
}

// mqtt.default_version: every spelling tshark's enum preference takes
// (name or description, any ASCII case) reads the version tshark reads.
func TestDefaultVersionSpellingsMatchTshark(t *testing.T) {
	t.Setenv("TZ", "UTC")
	dir := t.TempDir()
	// PUBACK with a reason code, PUBLISH with (v5) an empty property list:
	// no CONNECT, so the preference decides.
	txt, pcap := filepath.Join(dir, "in.txt"), filepath.Join(dir, "in.pcap")
	writeTestFile(t, txt, "000000 40 03 00 01 10\n000000 30 06 00 01 74 00 68 69\n")
	if out, err := exec.Command("text2pcap", "-q", "-T", "50000,1883", txt, pcap).CombinedOutput(); err != nil {
		t.Fatalf("text2pcap: %v: %s", err, out)
	}
	for _, v := range []string{"None", "none", "NONE", "MQTT v3.1", "v31", "mqtt V3.1", "MQTT v3.1.1", "V311",
		"MQTT v5.0", "mqtt v5.0", "v50", "V50"} {
		pref := "mqtt.default_version:" + v
		want := mqttSectionsOf(tshark(t, "-r", pcap, "-V", "-o", pref))
		out, errOut, code := runMqtap(t, "decode", "-V", "-o", "mqtt.show_msg_as_text:FALSE", "-o", pref, pcap)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", pref, code, errOut)
		}
		if got := mqttSectionsOf(out); strings.Join(got, "") != strings.Join(want, "") {
			t.Errorf("%s:\n%s", pref, firstDiff(strings.Join(want, ""), strings.Join(got, "")))
		}
	}
}

// Differential test of the dissector: random valid packets of every type
// and version, encoded by mqttwire, carried in a capture made by text2pcap,
// dissected by tshark and by mqtap: the MQTT sections must be identical.
func TestDissectorMatchesTsharkOnRandomPackets(t *testing.T) {
	t.Setenv("TZ", "UTC")
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(7))
	for _, v := range []mqttwire.Version{mqttwire.V31, mqttwire.V311, mqttwire.V5} {
		t.Run(v.String(), func(t *testing.T) {
			var dump strings.Builder
			conn := &mqttwire.Connect{CleanSession: true, KeepAlive: 30, ClientID: "diff"}
			writeSegment(t, &dump, conn, v)
			for i := 0; i < 120; i++ {
				writeSegment(t, &dump, randomPacket(rng, v), v)
			}
			txt := filepath.Join(dir, "v"+v.String()+".txt")
			pcap := filepath.Join(dir, "v"+v.String()+".pcap")
			writeTestFile(t, txt, dump.String())
			if out, err := exec.Command("text2pcap", "-q", "-T", "50000,1883", txt, pcap).CombinedOutput(); err != nil {
				t.Fatalf("text2pcap: %v: %s", err, out)
			}
			want := mqttSectionsOf(tshark(t, "-r", pcap, "-V", "-o", "mqtt.show_msg_as_text:FALSE"))
			out, errOut, code := runMqtap(t, "decode", "-V", "-o", "mqtt.show_msg_as_text:FALSE", pcap)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := mqttSectionsOf(out)
			if len(got) != len(want) {
				t.Fatalf("%d MQTT sections, tshark has %d", len(got), len(want))
			}
			for i := range want {
				if want[i] != got[i] {
					t.Errorf("section %d differs:\n%s", i+1, firstDiff(want[i], got[i]))
				}
			}
		})
	}
}

// writeSegment appends one packet as its own frame, in text2pcap's format.
func writeSegment(t *testing.T, w *strings.Builder, p mqttwire.Packet, v mqttwire.Version) {
	t.Helper()
	b, err := mqttwire.Encode(p, v)
	if err != nil {
		t.Fatalf("encode %T: %v", p, err)
	}
	for off := 0; off < len(b); off += 16 {
		fmt.Fprintf(w, "%06x", off)
		for _, c := range b[off:min(off+16, len(b))] {
			fmt.Fprintf(w, " %02x", c)
		}
		w.WriteByte('\n')
	}
}

// mqttSectionsOf cuts a -V text into its MQTT sections.
func mqttSectionsOf(s string) []string {
	var out []string
	cur := -1
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, "MQ Telemetry Transport Protocol"):
			out = append(out, line+"\n")
			cur = len(out) - 1
		case cur >= 0 && strings.HasPrefix(line, " "):
			out[cur] += line + "\n"
		default:
			cur = -1
		}
	}
	return out
}

func randomString(rng *rand.Rand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789-_ ÄéΩ"
	r := []rune(chars)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(r[rng.Intn(len(r))])
	}
	return b.String()
}

func randomTopic(rng *rand.Rand) string {
	parts := make([]string, 1+rng.Intn(4))
	for i := range parts {
		parts[i] = randomString(rng, 1+rng.Intn(8))
	}
	return strings.Join(parts, "/")
}

func randomProps(rng *rand.Rand, t mqttwire.PacketType) mqttwire.Properties {
	var ps mqttwire.Properties
	for _, spec := range mqttwire.PropSpecs() {
		if !spec.AllowedIn(t, false) || rng.Intn(3) != 0 {
			continue
		}
		// A topic alias without its topic is a separate tshark state test.
		if spec.ID == mqttwire.PropTopicAlias {
			continue
		}
		p := mqttwire.Property{ID: spec.ID}
		switch spec.Type {
		case mqttwire.PropTypeByte:
			p.Int = uint32(rng.Intn(2))
		case mqttwire.PropTypeUint16:
			p.Int = uint32(1 + rng.Intn(65535))
		case mqttwire.PropTypeUint32:
			p.Int = rng.Uint32() | 1
		case mqttwire.PropTypeVarint:
			p.Int = uint32(1 + rng.Intn(268435455))
		case mqttwire.PropTypeString:
			p.Str = randomString(rng, rng.Intn(20))
		case mqttwire.PropTypeBinary:
			p.Bin = []byte(randomString(rng, rng.Intn(20)))
		case mqttwire.PropTypeStringPair:
			p.Str, p.Value = randomString(rng, 1+rng.Intn(6)), randomString(rng, rng.Intn(10))
		}
		ps.List = append(ps.List, p)
	}
	return ps
}

// randomPacket makes a valid packet of a random type other than CONNECT
// (one CONNECT per stream fixes the version).
func randomPacket(rng *rand.Rand, v mqttwire.Version) mqttwire.Packet {
	id := uint16(1 + rng.Intn(65535))
	props := func(t mqttwire.PacketType) mqttwire.Properties {
		if v != mqttwire.V5 {
			return mqttwire.Properties{}
		}
		return randomProps(rng, t)
	}
	reason := func(codes ...byte) mqttwire.ReasonCode {
		if v != mqttwire.V5 {
			return 0
		}
		return mqttwire.ReasonCode(codes[rng.Intn(len(codes))])
	}
	switch rng.Intn(13) {
	case 0:
		return &mqttwire.Connack{AckFlags: byte(rng.Intn(2)), ReasonCode: reason(0, 0x80, 0x86, 0x87), Properties: props(mqttwire.TypeConnack)}
	case 1, 2:
		qos := byte(rng.Intn(3))
		p := &mqttwire.Publish{QoS: qos, Retain: rng.Intn(2) == 0, Topic: randomTopic(rng),
			Payload: []byte(randomString(rng, rng.Intn(60))), Properties: props(mqttwire.TypePublish)}
		if qos > 0 {
			p.PacketID, p.Dup = id, rng.Intn(2) == 0
		}
		return p
	case 3:
		return &mqttwire.Puback{Ack: mqttwire.Ack{PacketID: id, ReasonCode: reason(0, 0x10, 0x80, 0x87), Properties: props(mqttwire.TypePuback)}}
	case 4:
		return &mqttwire.Pubrec{Ack: mqttwire.Ack{PacketID: id, ReasonCode: reason(0, 0x10, 0x91), Properties: props(mqttwire.TypePubrec)}}
	case 5:
		return &mqttwire.Pubrel{Ack: mqttwire.Ack{PacketID: id, ReasonCode: reason(0, 0x92), Properties: props(mqttwire.TypePubrel)}}
	case 6:
		return &mqttwire.Pubcomp{Ack: mqttwire.Ack{PacketID: id, ReasonCode: reason(0, 0x92), Properties: props(mqttwire.TypePubcomp)}}
	case 7:
		s := &mqttwire.Subscribe{PacketID: id, Properties: props(mqttwire.TypeSubscribe)}
		for i := 0; i <= rng.Intn(3); i++ {
			opts := byte(rng.Intn(3))
			if v == mqttwire.V5 {
				opts = mqttwire.SubOptions(byte(rng.Intn(3)), rng.Intn(2) == 0, rng.Intn(2) == 0, byte(rng.Intn(3)))
			}
			s.Subscriptions = append(s.Subscriptions, mqttwire.Subscription{Filter: randomTopic(rng) + "/+/#", Options: opts})
		}
		return s
	case 8:
		s := &mqttwire.Suback{PacketID: id, Properties: props(mqttwire.TypeSuback)}
		for i := 0; i <= rng.Intn(3); i++ {
			s.ReasonCodes = append(s.ReasonCodes, mqttwire.ReasonCode([]byte{0, 1, 2, 0x80}[rng.Intn(4)]))
		}
		return s
	case 9:
		u := &mqttwire.Unsubscribe{PacketID: id, Properties: props(mqttwire.TypeUnsubscribe)}
		for i := 0; i <= rng.Intn(3); i++ {
			u.Filters = append(u.Filters, randomTopic(rng))
		}
		return u
	case 10:
		u := &mqttwire.Unsuback{PacketID: id, Properties: props(mqttwire.TypeUnsuback)}
		if v == mqttwire.V5 {
			u.ReasonCodes = []mqttwire.ReasonCode{0, 0x11}
		}
		return u
	case 11:
		if rng.Intn(2) == 0 {
			return &mqttwire.Pingreq{}
		}
		return &mqttwire.Pingresp{}
	default:
		if v == mqttwire.V5 && rng.Intn(3) == 0 {
			return &mqttwire.Auth{ReasonCode: reason(0, 0x18, 0x19), Properties: props(mqttwire.TypeAuth)}
		}
		return &mqttwire.Disconnect{ReasonCode: reason(0, 4, 0x8b), Properties: props(mqttwire.TypeDisconnect)}
	}
}
