package check

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// clientOptions shape one connection a check opens.
type clientOptions struct {
	version mqttwire.Version // 0: the run's version
	id      string           // "": a fresh id
	// keep turns clean session (clean start) off; in 5.0 sessionExpiry
	// then says how long the broker keeps the session.
	keep          bool
	sessionExpiry uint32
	// edit changes the CONNECT last (a will, properties).
	edit func(*mqttwire.Connect)
	// filter, if set, drops the messages it refuses before they queue.
	filter      func(*mqttwire.Publish) bool
	maxInflight int
}

// client is a session of a check, with the messages it received queued.
type client struct {
	*mqttwire.Conn
	id  string
	ack *mqttwire.Connack
	in  inbox
}

var idSeq atomic.Int64

// newID is a client id unique to the run, within the 23 characters every
// broker must accept (3.1.1 §3.1.3.1).
func (r *run) newID() string {
	return fmt.Sprintf("mqtap-%s-%d", r.id, idSeq.Add(1))
}

// connect opens a session the check owns: it is closed when the check
// ends, whatever happens.
func (t *T) connect(ctx context.Context, o clientOptions) (*client, error) {
	c, err := t.connectRaw(ctx, o)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.clients = append(t.clients, c)
	t.mu.Unlock()
	return c, nil
}

// connectRaw opens a session the caller must close.
func (t *T) connectRaw(ctx context.Context, o clientOptions) (*client, error) {
	p := t.run.connectPacket(o)
	c := &client{id: p.ClientID}
	c.in.init(o.filter)
	nc, err := t.run.cfg.Dial(ctx)
	if err != nil {
		return nil, err
	}
	cfg := mqttwire.ConnConfig{MaxInflight: o.maxInflight, OnPublish: c.in.push}
	if trace := t.run.cfg.OnEvent; trace != nil {
		cfg.OnEvent = func(e mqttwire.Event) { trace(c.id, e) }
	}
	c.Conn = mqttwire.NewConn(nc, cfg)
	c.ack, err = c.Connect(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("connect as %s (MQTT %v): %w", p.ClientID, mqttwire.VersionOf(p), err)
	}
	return c, nil
}

// connectPacket builds a CONNECT from the template in the config.
func (r *run) connectPacket(o clientOptions) *mqttwire.Connect {
	p := r.cfg.Connect // a copy; the property list is copied below
	v := o.version
	if v == 0 {
		v = r.version
	}
	p.ProtocolLevel, p.ProtocolName = byte(v), ""
	p.ClientID = o.id
	if p.ClientID == "" {
		p.ClientID = r.newID()
	}
	p.CleanSession = !o.keep
	p.WillFlag, p.WillTopic, p.WillPayload, p.WillQoS, p.WillRetain = false, "", nil, 0, false
	p.WillProperties = mqttwire.Properties{}
	p.Properties = mqttwire.Properties{}
	if v == mqttwire.V5 {
		p.Properties.List = append(p.Properties.List, r.cfg.Connect.Properties.List...)
		if o.keep {
			p.Properties.AddInt(mqttwire.PropSessionExpiry, o.sessionExpiry)
		}
	} else if !p.UsernameFlag {
		p.PasswordFlag, p.Password = false, nil // 3.x needs a user name with a password
	}
	if o.edit != nil {
		o.edit(&p)
	}
	return &p
}

// publish sends p and, for QoS 1 and 2, waits for the broker to accept it.
func (c *client) publish(ctx context.Context, p *mqttwire.Publish) error {
	if p.QoS == 0 {
		return c.Publish(ctx, p, nil)
	}
	ch := make(chan error, 1)
	start := time.Now()
	// Conn.Publish runs in a goroutine of its own: when the broker ends
	// the session while a QoS 1/2 publish is being queued, Conn.Publish
	// can block for good (the inflight slot is released twice, see the
	// report), and a check must still end at its timeout.
	queued := make(chan error, 1)
	go func() { queued <- c.Publish(ctx, p, func(r mqttwire.PublishResult) { ch <- r.Err }) }()
	select {
	case err := <-queued:
		if err != nil {
			return fmt.Errorf("publish to %s: %w", p.Topic, err)
		}
	case <-ctx.Done():
		return fmt.Errorf("publish to %s: %w", p.Topic, &mqttwire.TimeoutError{Waiting: "room to send", After: time.Since(start)})
	}
	select {
	case err := <-ch:
		if err != nil {
			return fmt.Errorf("publish to %s: %w", p.Topic, err)
		}
		return nil
	case <-ctx.Done():
		ack := "PUBACK"
		if p.QoS == 2 {
			ack = "PUBREC/PUBCOMP"
		}
		return fmt.Errorf("publish to %s: %w", p.Topic, &mqttwire.TimeoutError{Waiting: ack, After: time.Since(start)})
	}
}

// subscribe subscribes to one filter and returns the SUBACK's code; a
// refusal is a failure.
func (c *client) subscribe(ctx context.Context, filter string, options byte, props ...mqttwire.Property) (mqttwire.ReasonCode, error) {
	p := &mqttwire.Subscribe{Subscriptions: []mqttwire.Subscription{{Filter: filter, Options: options}}}
	p.Properties.List = props
	ack, err := c.Subscribe(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("subscribe to %s: %w", filter, err)
	}
	if len(ack.ReasonCodes) != 1 {
		return 0, failf("a SUBACK with 1 reason code", "%d", len(ack.ReasonCodes))
	}
	code := ack.ReasonCodes[0]
	if code >= 0x80 {
		return code, failf(fmt.Sprintf("SUBACK accepting %s", filter), "%s",
			mqttwire.Describe(mqttwire.TypeSuback, c.Version(), code))
	}
	return code, nil
}

// expect waits for the next message; what says what it should be, for
// the failure.
func (c *client) expect(ctx context.Context, what string) (*mqttwire.Publish, error) {
	p, err := c.in.next(ctx, c.Done())
	if err == nil {
		return p, nil
	}
	if ctx.Err() != nil {
		return nil, failf(what, "nothing before the check's %v timeout", waitedFor(ctx))
	}
	return nil, failf(what, "the connection closed: %v", c.Err())
}

// waitedFor is how long a context allowed, for messages.
func waitedFor(ctx context.Context) string {
	if d, ok := ctx.Value(timeoutKey{}).(time.Duration); ok {
		return d.String()
	}
	return "per-check"
}

type timeoutKey struct{}

var barrierSeq atomic.Int64

// until publishes a marker on topic from pub at QoS 1 and returns every
// message c receives before the marker. A broker forwards one publisher's
// messages on a topic and QoS in order (MQTT 5.0 §4.6), so when the
// marker arrives, anything that was going to arrive before it has:
// "nothing else came" is decided without guessing a delay.
func (c *client) until(ctx context.Context, pub *client, topic string) ([]*mqttwire.Publish, error) {
	return c.untilQoS(ctx, pub, topic, 1)
}

// untilQoS is until with the marker at qos: the order promise holds only
// between messages of the same QoS.
func (c *client) untilQoS(ctx context.Context, pub *client, topic string, qos byte) ([]*mqttwire.Publish, error) {
	mark := fmt.Sprintf("mqtap-barrier-%d", barrierSeq.Add(1))
	if err := pub.publish(ctx, &mqttwire.Publish{Topic: topic, QoS: qos, Payload: []byte(mark)}); err != nil {
		return nil, err
	}
	var got []*mqttwire.Publish
	for {
		p, err := c.expect(ctx, "the marker message on "+topic)
		if err != nil {
			return got, err
		}
		if p.Topic == topic && string(p.Payload) == mark {
			return got, nil
		}
		got = append(got, p)
	}
}

// topics lists the topics of messages, for failures.
func topics(ps []*mqttwire.Publish) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Topic)
	}
	return strings.Join(s, ", ")
}

// inbox queues received messages without bounds, so that the session's
// read loop never waits on a check.
type inbox struct {
	mu     sync.Mutex
	msgs   []*mqttwire.Publish
	signal chan struct{}
	filter func(*mqttwire.Publish) bool
}

func (b *inbox) init(filter func(*mqttwire.Publish) bool) {
	b.signal = make(chan struct{}, 1)
	b.filter = filter
}

func (b *inbox) push(p *mqttwire.Publish) {
	if b.filter != nil && !b.filter(p) {
		return
	}
	b.mu.Lock()
	b.msgs = append(b.msgs, p)
	b.mu.Unlock()
	select {
	case b.signal <- struct{}{}:
	default:
	}
}

func (b *inbox) pop() *mqttwire.Publish {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.msgs) == 0 {
		return nil
	}
	p := b.msgs[0]
	b.msgs[0] = nil
	b.msgs = b.msgs[1:]
	return p
}

// next returns the oldest queued message, waiting for one until ctx ends
// or the session does.
func (b *inbox) next(ctx context.Context, done <-chan struct{}) (*mqttwire.Publish, error) {
	for {
		if p := b.pop(); p != nil {
			return p, nil
		}
		select {
		case <-b.signal:
		case <-done:
			if p := b.pop(); p != nil {
				return p, nil
			}
			return nil, fmt.Errorf("session ended")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
