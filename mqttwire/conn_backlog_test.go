package mqttwire_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// TestConnBacklog checks PublishQueued runs ahead of a full window without
// blocking, and that the session sends the backlog in order as acks come.
func TestConnBacklog(t *testing.T) {
	ack := &mqttwire.Connack{}
	ack.Properties.AddInt(mqttwire.PropReceiveMaximum, 2)
	conn, b := connect(t, mqttwire.V5, mqttwire.ConnConfig{}, ack)
	var mu sync.Mutex
	var done []string
	p := &mqttwire.Publish{Topic: "q", QoS: 1}
	for i := 1; i <= 5; i++ {
		p.Payload = []byte(fmt.Sprint(i)) // reused: the backlog keeps its own copy
		err := conn.PublishQueued(ctxT(t), p, func(r mqttwire.PublishResult) {
			mu.Lock()
			done = append(done, fmt.Sprint(r.PacketID))
			mu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Flush(); err != nil {
		t.Fatal(err)
	}
	if conn.Backlog() != 3 || conn.Inflight() != 2 {
		t.Fatalf("backlog %d, inflight %d; want 3 and 2", conn.Backlog(), conn.Inflight())
	}
	for i := 1; i <= 5; i++ {
		pub := b.read().(*mqttwire.Publish)
		if string(pub.Payload) != fmt.Sprint(i) {
			t.Fatalf("message %d has payload %q: out of order", i, pub.Payload)
		}
		b.write(&mqttwire.Puback{Ack: mqttwire.Ack{PacketID: pub.PacketID}})
	}
	if err := conn.Drain(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(done) != 5 {
		t.Errorf("%d flows completed, want 5", len(done))
	}
}
