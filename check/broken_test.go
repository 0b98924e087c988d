package check_test

import (
	"encoding/binary"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mqtap/mqtap/check"
	"github.com/mqtap/mqtap/mqttwire"
)

// brokenTimeout is the per-check timeout against broken brokers: what
// they never send is waited for this long.
const brokenTimeout = 2 * time.Second

// dropQoS1 acknowledges QoS 1 messages and then drops them.
type dropQoS1 struct{ mqtt.HookBase }

func (dropQoS1) ID() string           { return "drop-qos1" }
func (dropQoS1) Provides(b byte) bool { return b == mqtt.OnPublish }
func (dropQoS1) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.FixedHeader.Qos == 1 {
		return pk, packets.CodeSuccessIgnore // PUBACK sent, message not forwarded
	}
	return pk, nil
}

// ignoreRetain takes retained messages as plain ones: nothing is stored.
type ignoreRetain struct{ mqtt.HookBase }

func (ignoreRetain) ID() string           { return "ignore-retain" }
func (ignoreRetain) Provides(b byte) bool { return b == mqtt.OnPublish }
func (ignoreRetain) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	pk.FixedHeader.Retain = false
	return pk, nil
}

// reorder holds back message 500 of the ordering check's numbered
// messages and forwards it after message 501.
type reorder struct {
	mqtt.HookBase
	srv  *mqtt.Server
	mu   sync.Mutex
	held *packets.Packet
}

func (*reorder) ID() string { return "reorder" }
func (*reorder) Provides(b byte) bool {
	return b == mqtt.OnPublish || b == mqtt.OnPublished
}

func seqIn(pk packets.Packet) int {
	if !strings.Contains(pk.TopicName, "/seq") || len(pk.Payload) != 4 {
		return -1
	}
	return int(binary.BigEndian.Uint32(pk.Payload))
}

func (h *reorder) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if seqIn(pk) == 500 && !cl.Net.Inline {
		h.mu.Lock()
		h.held = &pk
		h.mu.Unlock()
		return pk, packets.CodeSuccessIgnore
	}
	return pk, nil
}

func (h *reorder) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	if seqIn(pk) != 501 {
		return
	}
	h.mu.Lock()
	held := h.held
	h.held = nil
	h.mu.Unlock()
	if held != nil {
		h.srv.Publish(held.TopicName, held.Payload, false, 1)
	}
}

// expectFailure runs the named checks and wants check to fail with a
// reason containing every word.
func expectFailure(t *testing.T, addr, name string, words ...string) {
	t.Helper()
	expectFailureWithin(t, brokenTimeout, addr, name, words...)
}

// expectFailureWithin is expectFailure with the per-check timeout given:
// checks that must first move many messages need more than brokenTimeout on
// a loaded machine under the race detector, while a failure that shows in
// the traffic itself still ends the check at once.
func expectFailureWithin(t *testing.T, timeout time.Duration, addr, name string, words ...string) {
	t.Helper()
	cfg := configFor(addr)
	cfg.Timeout = timeout
	rep := runChecks(t, cfg, name)
	r := result(t, rep, name)
	if r.Status != check.Fail {
		t.Fatalf("%s: %s (%s), want a failure", name, r.Status, r.Detail)
	}
	for _, w := range words {
		if !strings.Contains(r.Detail, w) {
			t.Errorf("%s failed with %q, want it to mention %q", name, r.Detail, w)
		}
	}
	if !rep.Failed() {
		t.Error("report does not count the failure")
	}
}

func TestBrokenDropsQoS1(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{hooks: []mqtt.Hook{&dropQoS1{}}})
	expectFailure(t, addr, "pubsub/qos1", "expected the binary QoS 1 message", "got nothing")
}

func TestBrokenIgnoresRetain(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{hooks: []mqtt.Hook{&ignoreRetain{}}})
	expectFailure(t, addr, "retain/delivered", "retained message at a new subscriber", "got nothing")
}

func TestBrokenReorders(t *testing.T) {
	h := &reorder{}
	srv, addr := startMochi(t, mochiOptions{hooks: []mqtt.Hook{h}})
	h.srv = srv
	expectFailureWithin(t, 15*time.Second, addr, "pubsub/ordering", "message 500 next", "message 501", "out of order")
}

func TestBrokenNeverSubacks(t *testing.T) {
	addr := startNoSuback(t)
	expectFailure(t, addr, "pubsub/qos0", "SUBACK")
	// A SUBSCRIBE to $SYS/# that is never answered is the broker failing,
	// not evidence that $SYS is not offered.
	expectFailure(t, addr, "wildcard/sys", "SUBACK")
}

// startNoSuback is a raw TCP server that answers CONNECT and PINGREQ and
// ignores everything else, SUBSCRIBE included.
func startNoSuback(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { serveNoSuback(nc) })
			t.Cleanup(func() { nc.Close() })
		}
	})
	return l.Addr().String()
}

func serveNoSuback(nc net.Conn) {
	defer nc.Close()
	r := mqttwire.NewReader(nc, 0)
	v := mqttwire.V311
	for {
		raw, err := r.ReadPacket()
		if err != nil {
			return
		}
		p, _, err := mqttwire.Decode(raw, v)
		if err != nil && !errors.Is(err, mqttwire.ErrIncomplete) && p == nil {
			return
		}
		var out mqttwire.Packet
		switch p := p.(type) {
		case *mqttwire.Connect:
			v = mqttwire.VersionOf(p)
			r.Version = v
			out = &mqttwire.Connack{}
		case *mqttwire.Pingreq:
			out = &mqttwire.Pingresp{}
		case *mqttwire.Disconnect:
			return
		}
		if out != nil {
			b, _ := out.Append(nil, v)
			if _, err := nc.Write(b); err != nil {
				return
			}
		}
	}
}

// A capability the broker does not announce is a skip with the evidence,
// and a failure when required.
func TestMaxQoS1SkipsOrFailsQoS2(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{caps: func(c *mqtt.Capabilities) { c.MaximumQos = 1 }})
	cfg := configFor(addr)
	rep := runChecks(t, cfg, "pubsub/qos2")
	if r := result(t, rep, "pubsub/qos2"); r.Status != check.Skip || r.Detail != "CONNACK Maximum QoS 1" || r.Capability != check.CapQoS2 {
		t.Errorf("without --require: %+v, want a skip for qos2 with CONNACK Maximum QoS 1", r)
	}
	if rep.Failed() {
		t.Error("a skip counted as a failure")
	}
	cfg.Require = []string{check.CapQoS2}
	rep = runChecks(t, cfg, "pubsub/qos2")
	if r := result(t, rep, "pubsub/qos2"); r.Status != check.Fail || !strings.Contains(r.Detail, "required capability qos2") {
		t.Errorf("with --require qos2: %+v, want a failure", r)
	}
}

// With credentials and --expect-auth both credential checks run and pass;
// without credentials the broker refuses the run as a whole.
func TestAuth(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{users: map[string]string{"ci": "secret"}})
	cfg := configFor(addr)
	cfg.ExpectAuth = true
	cfg.Connect.UsernameFlag, cfg.Connect.Username = true, "ci"
	cfg.Connect.PasswordFlag, cfg.Connect.Password = true, []byte("secret")
	rep := runChecks(t, cfg, "connect")
	for _, name := range []string{"connect/credentials", "connect/bad-credentials"} {
		if r := result(t, rep, name); r.Status != check.Pass {
			t.Errorf("%s: %s %s", name, r.Status, r.Detail)
		}
	}
	_, err := check.Run(t.Context(), configFor(addr), check.Checks())
	var be *check.BrokerError
	var ce *mqttwire.ConnackError
	if !errors.As(err, &be) || !errors.As(err, &ce) {
		t.Errorf("run without credentials: %v, want a BrokerError with the CONNACK refusal", err)
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = check.Run(t.Context(), configFor(addr), check.Checks())
	var be *check.BrokerError
	var oe *net.OpError
	if !errors.As(err, &be) || !errors.As(err, &oe) || oe.Op != "dial" {
		t.Errorf("run against a closed port: %v, want a BrokerError with the dial error", err)
	}
}

// duplicateQoS2 forwards one QoS 2 message of the round-trip check twice.
type duplicateQoS2 struct {
	mqtt.HookBase
	srv *mqtt.Server
}

func (*duplicateQoS2) ID() string           { return "duplicate-qos2" }
func (*duplicateQoS2) Provides(b byte) bool { return b == mqtt.OnPublished }
func (h *duplicateQoS2) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	if !cl.Net.Inline && strings.Contains(pk.TopicName, "pubsub/qos2/") && len(pk.Payload) == 4 &&
		binary.BigEndian.Uint32(pk.Payload) == 7 {
		h.srv.Publish(pk.TopicName, pk.Payload, false, 2)
	}
}

func TestBrokenDuplicatesQoS2(t *testing.T) {
	h := &duplicateQoS2{}
	srv, addr := startMochi(t, mochiOptions{hooks: []mqtt.Hook{h}})
	h.srv = srv
	expectFailure(t, addr, "pubsub/qos2", "exactly once", "message 7 2 times")
}

// A broker with a packet size limit: the payload search finds it.
func TestPayloadLimitFound(t *testing.T) {
	_, addr := startMochi(t, mochiOptions{caps: func(c *mqtt.Capabilities) { c.MaximumPacketSize = 4096 }})
	rep := runChecks(t, configFor(addr), "limits/payload")
	r := result(t, rep, "limits/payload")
	n, _ := r.Metrics["max_payload_bytes"].(int)
	// The packet holds the fixed header, the topic and the properties too.
	if r.Status != check.Pass || n >= 4096 || n < 3900 {
		t.Errorf("%s %q, max payload %d, want just under 4096", r.Status, r.Detail, n)
	}
}
