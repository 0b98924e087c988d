package commands_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
	"github.com/mqtap/mqtap/mqttwire"
)

// fakeServer accepts connections on 127.0.0.1:0 and hands each to serve.
func fakeServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { l.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(waitFor))
				serve(c)
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// readPacket reads one packet from the client.
func readPacket(c net.Conn, v mqttwire.Version) (mqttwire.Packet, error) {
	r := mqttwire.NewReader(c, 0)
	r.Version = v
	p, _, err := r.Next()
	return p, err
}

func accept(c net.Conn, v mqttwire.Version, props ...mqttwire.Property) bool {
	if _, err := readPacket(c, v); err != nil {
		return false
	}
	ack := &mqttwire.Connack{}
	ack.Properties.List = props
	b, _ := mqttwire.Encode(ack, v)
	_, err := c.Write(b)
	return err == nil
}

func TestMisbehavingServer(t *testing.T) {
	cases := []struct {
		name  string
		serve func(c net.Conn)
		args  []string
		code  int
		msg   string
	}{
		{"silent before CONNACK", func(c net.Conn) { io.Copy(io.Discard, c) },
			[]string{"connect", "--connect-timeout", "300ms"}, commands.ExitTimeout, "waiting for CONNACK"},
		{"closes at once", func(c net.Conn) {},
			[]string{"connect"}, commands.ExitProtocol, "connection closed by the server before CONNACK"},
		{"answers garbage", func(c net.Conn) { readPacket(c, mqttwire.V311); c.Write([]byte{0x20, 0x02, 0x07}) },
			[]string{"connect", "--connect-timeout", "1s"}, commands.ExitProtocol, ""},
		{"answers with a non-CONNACK", func(c net.Conn) { readPacket(c, mqttwire.V311); c.Write([]byte{0xD0, 0x00}) },
			[]string{"connect"}, commands.ExitProtocol, "expected CONNACK, got PINGRESP"},
		{"malformed length", func(c net.Conn) { readPacket(c, mqttwire.V311); c.Write([]byte{0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}) },
			[]string{"connect"}, commands.ExitProtocol, "malformed"},
		{"server DISCONNECT", func(c net.Conn) {
			accept(c, mqttwire.V5)
			b, _ := mqttwire.Encode(&mqttwire.Disconnect{ReasonCode: 0x8B}, mqttwire.V5)
			c.Write(b)
			io.Copy(io.Discard, c)
		}, []string{"sub", "-V", "5", "-t", "a", "--reconnect=false"}, commands.ExitProtocol, "Server shutting down (0x8B)"},
		{"no PINGRESP", func(c net.Conn) { accept(c, mqttwire.V311); io.Copy(io.Discard, c) },
			[]string{"sub", "-t", "a", "-k", "1", "--timeout", "200ms"}, commands.ExitTimeout, "SUBACK"},
		{"keepalive dead", func(c net.Conn) {
			accept(c, mqttwire.V311)
			p, _ := readPacket(c, mqttwire.V311)
			if s, ok := p.(*mqttwire.Subscribe); ok {
				b, _ := mqttwire.Encode(&mqttwire.Suback{PacketID: s.PacketID, ReasonCodes: []mqttwire.ReasonCode{0}}, mqttwire.V311)
				c.Write(b)
			}
			io.Copy(io.Discard, c) // never answers PINGREQ
		}, []string{"sub", "-t", "a", "-k", "1", "--reconnect=false"}, commands.ExitTimeout, "PINGRESP"},
		{"no PUBACK", func(c net.Conn) { accept(c, mqttwire.V311); io.Copy(io.Discard, c) },
			[]string{"pub", "-t", "a", "-m", "x", "-q", "1", "--count", "3", "--timeout", "300ms"}, commands.ExitTimeout, "3 of 3 messages not acknowledged"},
		{"refused", func(c net.Conn) {
			readPacket(c, mqttwire.V311)
			b, _ := mqttwire.Encode(&mqttwire.Connack{ReasonCode: 4}, mqttwire.V311)
			c.Write(b)
		}, []string{"connect", "-q"}, commands.ExitRefused, "bad user name or password (4)"},
		{"refused v5", func(c net.Conn) {
			readPacket(c, mqttwire.V5)
			ack := &mqttwire.Connack{ReasonCode: 0x87}
			ack.Properties.AddString(mqttwire.PropReasonString, "go away")
			b, _ := mqttwire.Encode(ack, mqttwire.V5)
			c.Write(b)
		}, []string{"pub", "-V", "5", "-t", "a", "-m", "x"}, commands.ExitRefused, "Not authorized (0x87): go away"},
		{"PUBACK refused v5", func(c net.Conn) {
			accept(c, mqttwire.V5)
			p, _ := readPacket(c, mqttwire.V5)
			if pub, ok := p.(*mqttwire.Publish); ok {
				b, _ := mqttwire.Encode(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: pub.PacketID, ReasonCode: 0x87}}, mqttwire.V5)
				c.Write(b)
			}
			io.Copy(io.Discard, c)
		}, []string{"pub", "-V", "5", "-t", "a", "-m", "x", "-q", "1"}, commands.ExitFailure, "1 of 1 messages refused by the broker"},
		{"-W expires", func(c net.Conn) {
			accept(c, mqttwire.V311)
			p, _ := readPacket(c, mqttwire.V311)
			if s, ok := p.(*mqttwire.Subscribe); ok {
				b, _ := mqttwire.Encode(&mqttwire.Suback{PacketID: s.PacketID, ReasonCodes: []mqttwire.ReasonCode{0}}, mqttwire.V311)
				c.Write(b)
			}
			io.Copy(io.Discard, c)
		}, []string{"sub", "-t", "a", "-W", "1"}, commands.ExitTimeout, "timed out after 1s (-W)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			port := fakeServer(t, tc.serve)
			args := append(append([]string{}, tc.args...), "-h", "127.0.0.1", "-p", port)
			res := mqtap(nil, args...)
			expectCode(t, res, tc.code)
			if !strings.Contains(res.errOut, tc.msg) || strings.Count(res.errOut, "\n") != 1 {
				t.Errorf("stderr %q, want one line containing %q", res.errOut, tc.msg)
			}
		})
	}
}

// TestUnreachable checks refused ports and unknown hosts exit 3.
func TestUnreachable(t *testing.T) {
	port := freePort(t) // nothing listens there now
	res := mqtap(nil, "pub", "-h", "127.0.0.1", "-p", port, "-t", "a", "-m", "x")
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "connect 127.0.0.1:"+port+": connection refused") {
		t.Errorf("stderr %q", res.errOut)
	}
	res = mqtap(nil, "connect", "-h", "no-such-host.invalid", "--connect-timeout", "5s")
	expectCode(t, res, commands.ExitConnect)
	if !strings.Contains(res.errOut, "resolve no-such-host.invalid:1883") {
		t.Errorf("stderr %q", res.errOut)
	}
}
