package mqttwire_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// waitFor bounds every wait in these tests.
const waitFor = 10 * time.Second

// fakeBroker is the server end of a loopback TCP connection, driven by the
// test packet by packet.
type fakeBroker struct {
	t  testing.TB
	c  net.Conn
	r  *mqttwire.Reader
	v  mqttwire.Version
	mu sync.Mutex
}

// dialPair returns a client net.Conn and the fake broker at its other end.
func dialPair(t testing.TB, v mqttwire.Version) (net.Conn, *fakeBroker) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	server.SetDeadline(time.Now().Add(waitFor))
	t.Cleanup(func() { server.Close(); client.Close() })
	r := mqttwire.NewReader(bufio.NewReader(server), 0)
	r.Version = v
	return client, &fakeBroker{t: t, c: server, r: r, v: v}
}

func (b *fakeBroker) read() mqttwire.Packet {
	b.t.Helper()
	p, _, err := b.r.Next()
	if err != nil {
		b.t.Fatalf("broker read: %v", err)
	}
	return p
}

// discard reads until the connection ends, for a goroutine that outlives
// the test's interest (it must not call t.Fatal).
func (b *fakeBroker) discard() {
	for {
		if _, err := b.r.ReadPacket(); err != nil {
			return
		}
	}
}

func (b *fakeBroker) write(p mqttwire.Packet) {
	b.t.Helper()
	raw, err := mqttwire.Encode(p, b.v)
	if err != nil {
		b.t.Fatalf("broker encode: %v", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.c.Write(raw); err != nil {
		b.t.Fatalf("broker write: %v", err)
	}
}

// connect runs the handshake with the given CONNACK.
func connect(t *testing.T, v mqttwire.Version, cfg mqttwire.ConnConfig, ack *mqttwire.Connack) (*mqttwire.Conn, *fakeBroker) {
	t.Helper()
	nc, b := dialPair(t, v)
	conn := mqttwire.NewConn(nc, cfg)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		defer cancel()
		_, err := conn.Connect(ctx, &mqttwire.Connect{ProtocolLevel: byte(v), ClientID: "c", CleanSession: true})
		done <- err
	}()
	if _, ok := b.read().(*mqttwire.Connect); !ok {
		t.Fatal("first packet is not CONNECT")
	}
	b.write(ack)
	if err := <-done; err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, b
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	t.Cleanup(cancel)
	return ctx
}

func TestConnOutgoingQoS2(t *testing.T) {
	conn, b := connect(t, mqttwire.V311, mqttwire.ConnConfig{}, &mqttwire.Connack{})
	results := make(chan mqttwire.PublishResult, 1)
	if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 2, Payload: []byte("x")}, func(r mqttwire.PublishResult) { results <- r }); err != nil {
		t.Fatal(err)
	}
	pub := b.read().(*mqttwire.Publish)
	if pub.QoS != 2 || pub.PacketID == 0 || string(pub.Payload) != "x" {
		t.Fatalf("PUBLISH %+v", pub)
	}
	b.write(&mqttwire.Pubrec{Ack: mqttwire.Ack{PacketID: pub.PacketID}})
	rel, ok := b.read().(*mqttwire.Pubrel)
	if !ok || rel.PacketID != pub.PacketID {
		t.Fatalf("want PUBREL %d, got %+v", pub.PacketID, rel)
	}
	if conn.Inflight() != 1 {
		t.Errorf("inflight %d before PUBCOMP, want 1", conn.Inflight())
	}
	b.write(&mqttwire.Pubcomp{Ack: mqttwire.Ack{PacketID: pub.PacketID}})
	select {
	case r := <-results:
		if r.Err != nil || r.PacketID != pub.PacketID || r.QoS != 2 {
			t.Errorf("result %+v", r)
		}
	case <-time.After(waitFor):
		t.Fatal("flow never completed")
	}
	if err := conn.Drain(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	go b.discard() // DISCONNECT
	if err := conn.Disconnect(ctxT(t), nil); err != nil {
		t.Fatal(err)
	}
}

func TestConnIncomingQoS(t *testing.T) {
	var mu sync.Mutex
	var got []string
	conn, b := connect(t, mqttwire.V5, mqttwire.ConnConfig{OnPublish: func(p *mqttwire.Publish) {
		mu.Lock()
		got = append(got, string(p.Payload))
		mu.Unlock()
	}}, &mqttwire.Connack{})
	b.write(&mqttwire.Publish{Topic: "t", QoS: 1, PacketID: 7, Payload: []byte("one")})
	if a, ok := b.read().(*mqttwire.Puback); !ok || a.PacketID != 7 {
		t.Fatalf("want PUBACK 7, got %+v", a)
	}
	b.write(&mqttwire.Publish{Topic: "t", QoS: 2, PacketID: 8, Payload: []byte("two")})
	if r, ok := b.read().(*mqttwire.Pubrec); !ok || r.PacketID != 8 {
		t.Fatalf("want PUBREC 8, got %+v", r)
	}
	// A retransmission before PUBREL is acknowledged but not delivered again.
	b.write(&mqttwire.Publish{Topic: "t", QoS: 2, PacketID: 8, Dup: true, Payload: []byte("two")})
	if r, ok := b.read().(*mqttwire.Pubrec); !ok || r.PacketID != 8 {
		t.Fatalf("want PUBREC 8 again, got %+v", r)
	}
	b.write(&mqttwire.Pubrel{Ack: mqttwire.Ack{PacketID: 8}})
	if c, ok := b.read().(*mqttwire.Pubcomp); !ok || c.PacketID != 8 {
		t.Fatalf("want PUBCOMP 8, got %+v", c)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Errorf("delivered %q", got)
	}
	if conn.Err() != nil {
		t.Errorf("session ended: %v", conn.Err())
	}
}

func TestConnInflightWindow(t *testing.T) {
	ack := &mqttwire.Connack{}
	ack.Properties.AddInt(mqttwire.PropReceiveMaximum, 2)
	conn, b := connect(t, mqttwire.V5, mqttwire.ConnConfig{MaxInflight: 100}, ack)
	if conn.InflightWindow() != 2 {
		t.Fatalf("window %d, want the broker's Receive Maximum 2", conn.InflightWindow())
	}
	var acked sync.WaitGroup
	acked.Add(3)
	done := func(r mqttwire.PublishResult) { acked.Done() }
	for i := 0; i < 2; i++ {
		if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "w", QoS: 1}, done); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var te *mqttwire.TimeoutError
	if err := conn.Publish(short, &mqttwire.Publish{Topic: "w", QoS: 1}, done); !errors.As(err, &te) {
		t.Fatalf("third publish with a full window: %v, want a TimeoutError", err)
	}
	first := b.read().(*mqttwire.Publish)
	second := b.read().(*mqttwire.Publish)
	if first.PacketID == second.PacketID {
		t.Fatal("two flows share a packet id")
	}
	b.write(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: first.PacketID}})
	if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "w", QoS: 1}, done); err != nil {
		t.Fatalf("publish after an ack freed the window: %v", err)
	}
	third := b.read().(*mqttwire.Publish)
	b.write(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: second.PacketID}})
	b.write(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: third.PacketID, ReasonCode: 0x87}})
	waitGroup(t, &acked)
	if err := conn.Drain(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestConnSubscribePing(t *testing.T) {
	conn, b := connect(t, mqttwire.V311, mqttwire.ConnConfig{}, &mqttwire.Connack{})
	go func() {
		s := b.read().(*mqttwire.Subscribe)
		b.write(&mqttwire.Suback{PacketID: s.PacketID, ReasonCodes: []mqttwire.ReasonCode{1, 0x80}})
		u := b.read().(*mqttwire.Unsubscribe)
		b.write(&mqttwire.Unsuback{PacketID: u.PacketID})
		b.read() // PINGREQ
		b.write(&mqttwire.Pingresp{})
	}()
	ack, err := conn.Subscribe(ctxT(t), &mqttwire.Subscribe{Subscriptions: []mqttwire.Subscription{{Filter: "a/#", Options: 1}, {Filter: "b", Options: 2}}})
	if err != nil || len(ack.ReasonCodes) != 2 || ack.ReasonCodes[1] != 0x80 {
		t.Fatalf("SUBACK %+v, %v", ack, err)
	}
	if _, err := conn.Unsubscribe(ctxT(t), &mqttwire.Unsubscribe{Filters: []string{"a/#"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Ping(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestConnServerDisconnect(t *testing.T) {
	conn, b := connect(t, mqttwire.V5, mqttwire.ConnConfig{}, &mqttwire.Connack{})
	results := make(chan mqttwire.PublishResult, 1)
	conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, func(r mqttwire.PublishResult) { results <- r })
	b.read()
	d := &mqttwire.Disconnect{ReasonCode: 0x8B}
	d.Properties.AddString(mqttwire.PropReasonString, "maintenance")
	b.write(d)
	select {
	case <-conn.Done():
	case <-time.After(waitFor):
		t.Fatal("session did not end")
	}
	var de *mqttwire.DisconnectError
	if err := conn.Err(); !errors.As(err, &de) || de.Code != 0x8B || de.Reason != "maintenance" {
		t.Fatalf("Err() = %v", conn.Err())
	}
	// The pending flow ends with the session's error.
	if r := <-results; !errors.As(r.Err, &de) {
		t.Errorf("pending flow ended with %v", r.Err)
	}
}

func TestConnKeepAlivePings(t *testing.T) {
	nc, b2 := dialPair(t, mqttwire.V311)
	c2 := mqttwire.NewConn(nc, mqttwire.ConnConfig{})
	go func() {
		b2.read()
		b2.write(&mqttwire.Connack{})
	}()
	if _, err := c2.Connect(ctxT(t), &mqttwire.Connect{ProtocolLevel: 4, ClientID: "k", CleanSession: true, KeepAlive: 1}); err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	// The idle session pings on its own within the keepalive.
	if _, ok := b2.read().(*mqttwire.Pingreq); !ok {
		t.Fatal("want PINGREQ")
	}
	b2.write(&mqttwire.Pingresp{})
	if _, ok := b2.read().(*mqttwire.Pingreq); !ok {
		t.Fatal("want a second PINGREQ")
	}
}

func TestConnRefused(t *testing.T) {
	for _, v := range []mqttwire.Version{mqttwire.V311, mqttwire.V5} {
		nc, b := dialPair(t, v)
		conn := mqttwire.NewConn(nc, mqttwire.ConnConfig{})
		go func() {
			b.read()
			code := mqttwire.ReasonCode(5)
			if v == mqttwire.V5 {
				code = 0x87
			}
			b.write(&mqttwire.Connack{ReasonCode: code})
		}()
		_, err := conn.Connect(ctxT(t), &mqttwire.Connect{ProtocolLevel: byte(v), ClientID: "r", CleanSession: true})
		var ce *mqttwire.ConnackError
		if !errors.As(err, &ce) {
			t.Fatalf("%v: %v, want a ConnackError", v, err)
		}
		conn.Close() // after a failed Connect Close is safe
	}
}

// TestConnNoLeaks checks every session goroutine ends after Disconnect,
// Close and a server drop.
func TestConnNoLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		func() {
			conn, b := connect(t, mqttwire.V311, mqttwire.ConnConfig{}, &mqttwire.Connack{})
			switch i {
			case 0:
				go b.discard()
				conn.Disconnect(ctxT(t), nil)
			case 1:
				conn.Close()
			case 2:
				b.c.Close()
				<-conn.Done()
				conn.Close()
			}
		}()
	}
	deadline := time.Now().Add(waitFor)
	for runtime.NumGoroutine() > before+1 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConnEvents(t *testing.T) {
	var mu sync.Mutex
	var events []mqttwire.Event
	conn, b := connect(t, mqttwire.V311, mqttwire.ConnConfig{OnEvent: func(e mqttwire.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}}, &mqttwire.Connack{})
	conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "e", QoS: 1, Payload: []byte("p")}, nil)
	pub := b.read().(*mqttwire.Publish)
	b.write(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: pub.PacketID}})
	if err := conn.Drain(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []struct {
		dir mqttwire.Direction
		typ mqttwire.PacketType
	}{{mqttwire.Out, mqttwire.TypeConnect}, {mqttwire.In, mqttwire.TypeConnack}, {mqttwire.Out, mqttwire.TypePublish}, {mqttwire.In, mqttwire.TypePuback}}
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d", len(events), len(want))
	}
	for i, w := range want {
		e := events[i]
		if e.Dir != w.dir || e.Packet.Type() != w.typ || e.Local == nil || e.Remote == nil || e.Time.IsZero() {
			t.Errorf("event %d: %v %v, want %v %v", i, e.Dir, e.Packet.Type(), w.dir, w.typ)
		}
		if p, _, err := mqttwire.Decode(e.Raw, mqttwire.V311); err != nil || p.Type() != w.typ {
			t.Errorf("event %d raw bytes decode to %v, %v", i, p, err)
		}
	}
}

func waitGroup(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("flows did not complete")
	}
}
