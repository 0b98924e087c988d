package mqttwire

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// captureStream is one direction of one TCP stream of a capture, from
// testdata/streams (see its README).
type captureStream struct {
	capture string // v5-sub-unsub
	key     string // "0 c2s": TCP stream and direction
	version Version
	data    []byte
}

func loadStreams(t testing.TB) []captureStream {
	t.Helper()
	files, err := filepath.Glob("testdata/streams/*.hex")
	if err != nil || len(files) == 0 {
		t.Fatalf("no streams: %v", err)
	}
	var out []captureStream
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := hex.DecodeString(strings.TrimSpace(string(text)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		parts := strings.Split(strings.TrimSuffix(filepath.Base(f), ".hex"), ".")
		s := captureStream{capture: parts[0], key: parts[1] + " " + parts[2], version: V311, data: data}
		switch {
		case strings.HasPrefix(s.capture, "v31-"):
			s.version = V31
		case strings.HasPrefix(s.capture, "v5-"):
			s.version = V5
		}
		out = append(out, s)
	}
	return out
}

// tsharkPDUs is what tshark read in each stream direction of a capture:
// the lists of testdata/streams/CAPTURE.tshark.tsv, joined over frames.
type tsharkPDUs struct {
	types, lens, topics, ids, props []string
}

func loadTshark(t *testing.T, capture string) map[string]*tsharkPDUs {
	t.Helper()
	f, err := os.Open("testdata/streams/" + capture + ".tshark.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]*tsharkPDUs{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		for len(cols) < 7 {
			cols = append(cols, "")
		}
		key := cols[0] + " " + cols[1]
		if out[key] == nil {
			out[key] = &tsharkPDUs{}
		}
		pd := out[key]
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, "|")
		}
		pd.types = append(pd.types, split(cols[2])...)
		pd.lens = append(pd.lens, split(cols[3])...)
		pd.topics = append(pd.topics, split(cols[4])...)
		pd.ids = append(pd.ids, split(cols[5])...)
		pd.props = append(pd.props, split(cols[6])...)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// mqttPDUs is how many MQTT PDUs tshark counted in each capture
// (shared/testdata/captures/README.md).
var mqttPDUs = map[string]int{
	"seed-v311-qos0": 4, "v31-qos1": 5, "v311-qos2-retain": 7, "v5-qos1-properties": 5,
	"v311-will-auth": 5, "v311-bad-password": 2, "v5-bad-password": 2, "v311-sub-ping": 21,
	"v5-sub-unsub": 18, "v5-request-response": 12, "v5-big-payload": 5, "v311-burst-lines": 303,
	"v311-ipv6": 4,
}

// TestCaptures reads every packet mosquitto and its clients exchanged with
// the stream Reader and checks, for each, that it decodes without error,
// re-encodes to the same bytes, and agrees with tshark's dissection.
func TestCaptures(t *testing.T) {
	streams := loadStreams(t)
	counts := map[string]int{}
	for _, s := range streams {
		if s.capture == "crafted-malformed" {
			continue
		}
		shark := loadTshark(t, s.capture)[s.key]
		if shark == nil {
			t.Fatalf("%s %s: no tshark lines", s.capture, s.key)
		}
		var got tsharkPDUs
		r := NewReader(bytes.NewReader(s.data), 0)
		r.Version = s.version // the broker's side never shows a CONNECT
		for {
			p, raw, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s %s packet %d: %v", s.capture, s.key, len(got.types), err)
			}
			counts[s.capture]++
			enc, err := Encode(p, r.Version)
			if err != nil || !bytes.Equal(enc, raw) {
				t.Errorf("%s %s packet %d: re-encoded\n%x\nwant\n%x (%v)", s.capture, s.key, len(got.types), enc, raw, err)
			}
			appendTsharkView(&got, p)
		}
		for _, c := range []struct {
			field     string
			got, want []string
		}{
			{"mqtt.msgtype", got.types, shark.types}, {"mqtt.len", got.lens, shark.lens},
			{"mqtt.topic", got.topics, shark.topics}, {"mqtt.msgid", got.ids, shark.ids},
			{"mqtt.property_id", got.props, shark.props},
		} {
			if strings.Join(c.got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%s %s %s:\n got %v\nwant %v", s.capture, s.key, c.field, c.got, c.want)
			}
		}
	}
	for capture, want := range mqttPDUs {
		if counts[capture] != want {
			t.Errorf("%s: read %d packets, tshark counted %d", capture, counts[capture], want)
		}
	}
}

// appendTsharkView lists the fields of p the way tshark's field lists do.
func appendTsharkView(v *tsharkPDUs, p Packet) {
	v.types = append(v.types, strconv.Itoa(int(p.Type())))
	v.lens = append(v.lens, strconv.Itoa(p.Header().Remaining))
	id := func(n uint16) { v.ids = append(v.ids, strconv.Itoa(int(n))) }
	ps := func(props *Properties) {
		for _, pr := range props.List {
			v.props = append(v.props, fmt.Sprintf("0x%02x", byte(pr.ID)))
		}
	}
	switch p := p.(type) {
	case *Connect:
		ps(&p.Properties)
		ps(&p.WillProperties)
	case *Connack:
		ps(&p.Properties)
	case *Publish:
		v.topics = append(v.topics, p.Topic)
		if p.QoS > 0 {
			id(p.PacketID)
		}
		ps(&p.Properties)
	case *Puback:
		id(p.PacketID)
		ps(&p.Properties)
	case *Pubrec:
		id(p.PacketID)
		ps(&p.Properties)
	case *Pubrel:
		id(p.PacketID)
		ps(&p.Properties)
	case *Pubcomp:
		id(p.PacketID)
		ps(&p.Properties)
	case *Subscribe:
		id(p.PacketID)
		ps(&p.Properties)
		for _, s := range p.Subscriptions {
			v.topics = append(v.topics, s.Filter)
		}
	case *Suback:
		id(p.PacketID)
		ps(&p.Properties)
	case *Unsubscribe:
		id(p.PacketID)
		ps(&p.Properties)
		v.topics = append(v.topics, p.Filters...)
	case *Unsuback:
		id(p.PacketID)
		ps(&p.Properties)
	case *Disconnect:
		ps(&p.Properties)
	case *Auth:
		ps(&p.Properties)
	}
}

// TestCapturesSplit frames every stream with Split as well: the same
// packets as the Reader, nothing left over.
func TestCapturesSplit(t *testing.T) {
	for _, s := range loadStreams(t) {
		if s.capture == "crafted-malformed" {
			continue
		}
		packets, rest, err := Split(s.data)
		if err != nil || len(rest) != 0 {
			t.Errorf("%s %s: rest %d bytes, err %v", s.capture, s.key, len(rest), err)
		}
		r := NewReader(bytes.NewReader(s.data), 0)
		for i, want := range packets {
			got, err := r.ReadPacket()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s %s packet %d: Reader and Split disagree (%v)", s.capture, s.key, i, err)
			}
		}
		if _, err := r.ReadPacket(); err != io.EOF {
			t.Errorf("%s %s: after the last packet err = %v, want io.EOF", s.capture, s.key, err)
		}
	}
}

// TestFixturesComeFromCaptures: every fixture that names a capture holds
// bytes that are in that capture's streams.
func TestFixturesComeFromCaptures(t *testing.T) {
	streams := loadStreams(t)
	n := 0
	for _, tp := range tpackets {
		i := strings.Index(tp.desc, ".pcap")
		if i < 0 {
			continue
		}
		capture := tp.desc[strings.LastIndex(tp.desc[:i], " ")+1 : i]
		found := false
		for _, s := range streams {
			if s.capture == capture && bytes.Contains(s.data, tp.raw) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: bytes not found in capture %s", tp.name, capture)
		}
		n++
	}
	if n < 40 {
		t.Errorf("only %d fixtures come from captures", n)
	}
}

// TestCraftedMalformed reads the hand-made broken packets of
// crafted-malformed.pcapng as a stream decoder would: a valid CONNECT, then
// the bad packet with the error its fixture states.
func TestCraftedMalformed(t *testing.T) {
	bad := map[string]string{
		"0 c2s": "bad/remaining-length-5-bytes",
		"1 c2s": "bad/publish-topic-overrun",
		"2 c2s": "bad/publish-qos3",
		"4 c2s": "bad/subscribe-reserved-flags",
		"5 c2s": "bad/publish-invalid-utf8",
		"6 c2s": "bad/publish-unknown-property-capture",
		"7 c2s": "bad/remaining-length-over-input",
		"8 c2s": "bad/pingreq-left-over",
	}
	seen := 0
	for _, s := range loadStreams(t) {
		if s.capture != "crafted-malformed" {
			continue
		}
		seen++
		r := NewReader(bytes.NewReader(s.data), 0)
		p, _, err := r.Next()
		c, ok := p.(*Connect)
		if s.key == "3 c2s" { // the CONNECT itself is the bad packet
			tp := tpacketNamed("bad/connect-protocol-name")
			checkError(t, err, tp.err, tp.msg)
			continue
		}
		if err != nil || !ok || c.ClientID != "crafted" {
			t.Fatalf("%s: first packet %#v, %v", s.key, p, err)
		}
		tp := tpacketNamed(bad[s.key])
		if r.Version != VersionOf(c) {
			t.Errorf("%s: reader version %v after a level %d CONNECT", s.key, r.Version, c.ProtocolLevel)
		}
		p, raw, err := r.Next()
		switch {
		case tp.name == "bad/remaining-length-5-bytes":
			// The Reader stops at the fifth length byte, before reading it.
			var me *MalformedError
			if !errors.As(err, &me) || me.Reason != "variable byte integer longer than 4 bytes" || p != nil {
				t.Errorf("%s: %v", s.key, err)
			}
		case tp.name == "bad/remaining-length-over-input" || tp.name == "bad/publish-unknown-property-capture":
			// The capture ends inside the packet.
			if err != io.ErrUnexpectedEOF {
				t.Errorf("%s: err = %v, want io.ErrUnexpectedEOF", s.key, err)
			}
		default:
			checkError(t, err, tp.err, tp.msg)
			if !bytes.Equal(raw, tp.raw) {
				t.Errorf("%s: raw %x, want %x", s.key, raw, tp.raw)
			}
			if d := packetDiff(p, tp.want, true); d != "" {
				t.Errorf("%s: %s", s.key, d)
			}
			if tp.name == "bad/pingreq-left-over" { // a DISCONNECT follows
				if p, _, err := r.Next(); err != nil || p.Type() != TypeDisconnect {
					t.Errorf("%s: after PINGREQ: %v %v", s.key, p, err)
				}
			}
		}
	}
	if seen != 9 {
		t.Errorf("%d crafted streams, want 9", seen)
	}
}
