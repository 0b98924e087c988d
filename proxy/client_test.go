package proxy_test

import (
	"net"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// rawClient speaks MQTT with the codec alone, one packet at a time, and
// keeps every packet's bytes in the order they crossed the wire.
type rawClient struct {
	t    testing.TB
	nc   net.Conn
	r    *mqttwire.Reader
	v    mqttwire.Version
	wire []wire
}

type wire struct {
	fromClient bool
	raw        []byte
}

func dialClient(t testing.TB, addr string, v mqttwire.Version, id string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(waitFor))
	c := &rawClient{t: t, nc: nc, r: mqttwire.NewReader(nc, 0), v: v}
	c.r.Version = v
	c.send(&mqttwire.Connect{ProtocolLevel: byte(v), ClientID: id, CleanSession: true, KeepAlive: 60})
	if ack := c.expect(mqttwire.TypeConnack).(*mqttwire.Connack); ack.ReasonCode != 0 {
		t.Fatalf("%s: CONNACK %d", id, ack.ReasonCode)
	}
	return c
}

func (c *rawClient) send(p mqttwire.Packet) {
	c.t.Helper()
	b, err := p.Append(nil, c.v)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
	c.wire = append(c.wire, wire{true, b})
}

func (c *rawClient) expect(typ mqttwire.PacketType) mqttwire.Packet {
	c.t.Helper()
	p, raw, err := c.r.Next()
	if err != nil {
		c.t.Fatalf("waiting for %v: %v", typ, err)
	}
	c.wire = append(c.wire, wire{false, raw})
	if p.Type() != typ {
		c.t.Fatalf("got %v, want %v", p.Type(), typ)
	}
	return p
}

// disconnect ends the session and waits for the broker to close.
func (c *rawClient) disconnect() {
	c.t.Helper()
	c.send(&mqttwire.Disconnect{})
	if _, _, err := c.r.Next(); err == nil {
		c.t.Fatal("broker sent more after DISCONNECT")
	}
	c.nc.Close()
}
