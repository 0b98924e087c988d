package mqttwire_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// The session's errors are what the commands print after "mqtap: ": each
// case drives a real session over loopback TCP into one error path and
// checks the error's type, its fields and its words.
func TestConnErrorPaths(t *testing.T) {
	short := func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}
	for _, tc := range []struct {
		name string
		v    mqttwire.Version
		run  func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error
		// check inspects the error beyond its text.
		check func(t *testing.T, err error)
		words []string
	}{
		{
			name: "SUBACK never comes", v: mqttwire.V311,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				_, err := conn.Subscribe(short(t), &mqttwire.Subscribe{Subscriptions: []mqttwire.Subscription{{Filter: "a"}}})
				return err
			},
			check: func(t *testing.T, err error) {
				var to interface{ Timeout() bool } // as net.Error and os.IsTimeout see it
				var te *mqttwire.TimeoutError
				if !errors.As(err, &te) || te.Waiting != "SUBACK" || te.After <= 0 || !errors.As(err, &to) || !to.Timeout() {
					t.Errorf("%#v, want a timeout waiting for SUBACK", err)
				}
			},
			words: []string{"timed out after", "waiting for SUBACK"},
		},
		{
			name: "UNSUBACK cancelled", v: mqttwire.V311,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				ctx, cancel := context.WithCancel(context.Background())
				go func() { b.read(); cancel() }()
				_, err := conn.Unsubscribe(ctx, &mqttwire.Unsubscribe{Filters: []string{"a"}})
				return err
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%v, want context.Canceled", err)
				}
			},
			words: []string{"canceled"},
		},
		{
			name: "server closes while a SUBSCRIBE waits", v: mqttwire.V311,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				go func() { b.read(); b.c.Close() }()
				_, err := conn.Subscribe(ctxT(t), &mqttwire.Subscribe{Subscriptions: []mqttwire.Subscription{{Filter: "a"}}})
				return err
			},
			check: func(t *testing.T, err error) {
				var ce *mqttwire.ClosedError
				if !errors.As(err, &ce) || !errors.Is(err, io.EOF) {
					t.Errorf("%#v, want a ClosedError wrapping io.EOF", err)
				}
			},
			words: []string{"connection closed by the server", "EOF"},
		},
		{
			name: "server DISCONNECT with a reason string", v: mqttwire.V5,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				d := &mqttwire.Disconnect{ReasonCode: 0x89}
				d.Properties.AddString(mqttwire.PropReasonString, "busy")
				b.write(d)
				<-conn.Done()
				// A session that has ended refuses new work with its error.
				return conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, nil)
			},
			check: func(t *testing.T, err error) {
				var de *mqttwire.DisconnectError
				if !errors.As(err, &de) || de.Code != 0x89 || de.Packet == nil {
					t.Errorf("%#v, want the DisconnectError", err)
				}
			},
			words: []string{"server sent DISCONNECT", "Server busy", "busy"},
		},
		{
			name: "PUBACK refusal", v: mqttwire.V5,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				res := make(chan mqttwire.PublishResult, 1)
				if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, func(r mqttwire.PublishResult) { res <- r }); err != nil {
					return err
				}
				p := b.read().(*mqttwire.Publish)
				ack := &mqttwire.Puback{Ack: mqttwire.Ack{PacketID: p.PacketID, ReasonCode: 0x87}}
				ack.Properties.AddString(mqttwire.PropReasonString, "acl")
				b.write(ack)
				return (<-res).Err
			},
			check: func(t *testing.T, err error) {
				var ae *mqttwire.AckError
				if !errors.As(err, &ae) || ae.Packet != mqttwire.TypePuback || ae.Code != 0x87 || ae.PacketID == 0 {
					t.Errorf("%#v, want an AckError for the PUBACK", err)
				}
			},
			words: []string{"PUBACK for packet 1", "Not authorized", "acl"},
		},
		{
			name: "acknowledgements never come", v: mqttwire.V311,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 2}, nil); err != nil {
					return err
				}
				return conn.Drain(short(t))
			},
			check: func(t *testing.T, err error) {
				var te *mqttwire.TimeoutError
				if !errors.As(err, &te) || te.Waiting != "acknowledgements" {
					t.Errorf("%#v, want a timeout waiting for acknowledgements", err)
				}
			},
			words: []string{"waiting for acknowledgements"},
		},
		{
			name: "drain ends with the session", v: mqttwire.V311,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				res := make(chan mqttwire.PublishResult, 1)
				if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, func(r mqttwire.PublishResult) { res <- r }); err != nil {
					return err
				}
				go func() { b.read(); b.c.Close() }()
				// Drain returns once the lost session has failed the flow;
				// the flow's result says why.
				if err := conn.Drain(ctxT(t)); err != nil {
					var ce *mqttwire.ClosedError
					if !errors.As(err, &ce) {
						t.Errorf("Drain: %v", err)
					}
				}
				return (<-res).Err
			},
			check: func(t *testing.T, err error) {
				var ce *mqttwire.ClosedError
				if !errors.As(err, &ce) {
					t.Errorf("%#v, want a ClosedError", err)
				}
			},
			words: []string{"connection closed by the server"},
		},
		{
			name: "a full window and the session ends", v: mqttwire.V5,
			run: func(t *testing.T, conn *mqttwire.Conn, b *fakeBroker) error {
				if err := conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, nil); err != nil {
					return err
				}
				go func() { b.read(); b.write(&mqttwire.Disconnect{ReasonCode: 0x8B}) }()
				// The window is 1 (Receive Maximum): this waits for room
				// until the session ends.
				return conn.Publish(ctxT(t), &mqttwire.Publish{Topic: "a", QoS: 1}, nil)
			},
			check: func(t *testing.T, err error) {
				var de *mqttwire.DisconnectError
				if !errors.As(err, &de) || de.Code != 0x8B {
					t.Errorf("%#v, want the DisconnectError", err)
				}
			},
			words: []string{"Server shutting down"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ack := &mqttwire.Connack{}
			if tc.v == mqttwire.V5 {
				ack.Properties.AddInt(mqttwire.PropReceiveMaximum, 1)
			}
			conn, b := connect(t, tc.v, mqttwire.ConnConfig{}, ack)
			err := tc.run(t, conn, b)
			if err == nil {
				t.Fatal("no error")
			}
			tc.check(t, err)
			for _, w := range tc.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

// A refused CONNECT says the broker's words: the reason code's name and the
// 5.0 Reason String.
func TestConnackErrorText(t *testing.T) {
	for _, tc := range []struct {
		v      mqttwire.Version
		code   mqttwire.ReasonCode
		reason string
		want   string
	}{
		{mqttwire.V311, 5, "", "broker refused the connection: Connection Refused: not authorized (5)"},
		{mqttwire.V5, 0x86, "bad password", "broker refused the connection: Bad User Name or Password (0x86): bad password"},
	} {
		nc, b := dialPair(t, tc.v)
		conn := mqttwire.NewConn(nc, mqttwire.ConnConfig{})
		go func() {
			b.read()
			ack := &mqttwire.Connack{ReasonCode: tc.code}
			if tc.reason != "" {
				ack.Properties.AddString(mqttwire.PropReasonString, tc.reason)
			}
			b.write(ack)
		}()
		_, err := conn.Connect(ctxT(t), &mqttwire.Connect{ProtocolLevel: byte(tc.v), ClientID: "r", CleanSession: true})
		var ce *mqttwire.ConnackError
		if !errors.As(err, &ce) || ce.Connack == nil || ce.Reason != tc.reason {
			t.Fatalf("%v: %#v, want a ConnackError", tc.v, err)
		}
		if err.Error() != tc.want {
			t.Errorf("%v: %q, want %q", tc.v, err, tc.want)
		}
		conn.Close()
	}
}

// The accessors report the connection the session runs on.
func TestConnAccessors(t *testing.T) {
	conn, b := connect(t, mqttwire.V5, mqttwire.ConnConfig{}, &mqttwire.Connack{})
	if conn.Version() != mqttwire.V5 {
		t.Errorf("Version %v", conn.Version())
	}
	if conn.LocalAddr().String() != b.c.RemoteAddr().String() || conn.RemoteAddr().String() != b.c.LocalAddr().String() {
		t.Errorf("addresses %v → %v, broker sees %v → %v", conn.LocalAddr(), conn.RemoteAddr(), b.c.RemoteAddr(), b.c.LocalAddr())
	}
	if mqttwire.In.String() != "in" || mqttwire.Out.String() != "out" {
		t.Errorf("directions %q %q", mqttwire.In, mqttwire.Out)
	}
}
