package mqttwire

import (
	"bufio"
	"bytes"
	"io"
	"testing"
)

// A typical sensor reading: a 58-byte topic and an 80-byte JSON payload.
const benchJSON = `{"temperature":21.5,"humidity":40.25,"ts":"2017-06-14T17:52:25.428Z","ok":false}`

func init() {
	if len(benchJSON) != 80 || len(resTopic) != 58 {
		panic("benchmark payload or topic changed size")
	}
}

func benchPublishV311() *Publish {
	return &Publish{QoS: 1, Topic: resTopic, PacketID: 1, Payload: []byte(benchJSON)}
}

func benchPublishV5() *Publish {
	p := benchPublishV311()
	p.Properties.AddString(PropContentType, "application/json").AddInt(PropMessageExpiry, 600).
		AddUser("unit", "celsius").AddInt(PropPayloadFormat, 1)
	return p
}

func benchConnectV311() *Connect {
	return tpacketNamed("connect/v311/will-auth-capture").want.(*Connect)
}

func benchConnectV5() *Connect {
	return tpacketNamed("connect/v5/spec-will").want.(*Connect)
}

func mustEncode(b *testing.B, p Packet, v Version) []byte {
	b.Helper()
	raw, err := Encode(p, v)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

func benchDecodeInto(b *testing.B, p Packet, v Version) {
	raw := mustEncode(b, p, v)
	into := New(p.Type())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeInto(into, raw, v); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, p Packet, v Version) {
	raw := mustEncode(b, p, v)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(raw, v); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAppend(b *testing.B, p Packet, v Version) {
	buf := mustEncode(b, p, v)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = p.Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEncode(b *testing.B, p Packet, v Version) {
	raw := mustEncode(b, p, v)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(p, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeIntoPublishV311(b *testing.B) { benchDecodeInto(b, benchPublishV311(), V311) }
func BenchmarkDecodeIntoPublishV5(b *testing.B)   { benchDecodeInto(b, benchPublishV5(), V5) }
func BenchmarkDecodePublishV311(b *testing.B)     { benchDecode(b, benchPublishV311(), V311) }
func BenchmarkDecodePublishV5(b *testing.B)       { benchDecode(b, benchPublishV5(), V5) }
func BenchmarkAppendPublishV311(b *testing.B)     { benchAppend(b, benchPublishV311(), V311) }
func BenchmarkAppendPublishV5(b *testing.B)       { benchAppend(b, benchPublishV5(), V5) }
func BenchmarkEncodePublishV311(b *testing.B)     { benchEncode(b, benchPublishV311(), V311) }
func BenchmarkEncodePublishV5(b *testing.B)       { benchEncode(b, benchPublishV5(), V5) }
func BenchmarkDecodeIntoConnectV311(b *testing.B) { benchDecodeInto(b, benchConnectV311(), V311) }
func BenchmarkDecodeIntoConnectV5(b *testing.B)   { benchDecodeInto(b, benchConnectV5(), V5) }
func BenchmarkDecodeConnectV5(b *testing.B)       { benchDecode(b, benchConnectV5(), V5) }
func BenchmarkAppendConnectV311(b *testing.B)     { benchAppend(b, benchConnectV311(), V311) }
func BenchmarkAppendConnectV5(b *testing.B)       { benchAppend(b, benchConnectV5(), V5) }

// BenchmarkReaderPublishV311 reads PUBLISH packets from a buffered stream.
func BenchmarkReaderPublishV311(b *testing.B) {
	raw := mustEncode(b, benchPublishV311(), V311)
	stream := bytes.Repeat(raw, 1000)
	src := bytes.NewReader(stream)
	br := bufio.NewReader(src)
	r := NewReader(br, 0)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ReadPacket(); err == io.EOF {
			src.Reset(stream)
			br.Reset(src)
		} else if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplitV311 frames a buffer of the v311-burst-lines capture's
// 300-odd small packets.
func BenchmarkSplitV311(b *testing.B) {
	var data []byte
	for _, s := range loadStreams(b) {
		if s.capture == "v311-burst-lines" && s.key == "0 c2s" {
			data = s.data
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, rest, err := Split(data); err != nil || len(rest) != 0 {
			b.Fatal(err)
		}
	}
}
