package mqttwire

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ConnConfig is how a Conn behaves; the zero value works.
type ConnConfig struct {
	// MaxInflight bounds the QoS 1 and 2 PUBLISH flows awaiting their
	// acknowledgement. 0 takes the broker's Receive Maximum (5.0), else 20;
	// a larger value is lowered to the broker's Receive Maximum, which a
	// client must not exceed (MQTT 5.0 §4.9).
	MaxInflight int
	// WriteTimeout bounds every write to the network (default 10s).
	WriteTimeout time.Duration
	// PingTimeout is how long a PINGRESP may take before the server is
	// declared dead (default: the keepalive interval).
	PingTimeout time.Duration
	// MaxPacket is the largest packet accepted from the server (0: the
	// protocol's limit).
	MaxPacket int
	// OnEvent, if set, sees every packet in and out. It is called from the
	// session's goroutines, one at a time per direction, and must not call
	// back into the Conn.
	OnEvent func(Event)
	// OnPublish, if set, receives every PUBLISH from the server, in order,
	// on the read goroutine. A QoS 1 or 2 message is acknowledged only
	// after it returns, so a slow handler slows the broker instead of
	// losing messages. The packet may be kept.
	OnPublish func(*Publish)
	// OnReadIdle, if set, is called on the read goroutine when no whole
	// packet is buffered, just before the session waits for the network:
	// the moment to flush output that OnPublish buffered, so that bursts
	// are written together and nothing waits on a quiet connection.
	OnReadIdle func()
	// Resumable keeps every QoS 1/2 message until it is acknowledged, so
	// that a session whose connection is lost can be resumed on a new one
	// (TakeState, ResumeFrom) without losing any. It costs a copy of each
	// message's payload.
	Resumable bool
}

// DefaultInflight is the inflight window when neither the caller nor the
// broker (Receive Maximum) sets one.
const DefaultInflight = 20

// Conn is an MQTT client session over a net.Conn: CONNECT/CONNACK,
// keepalive, packet identifiers, the inflight window, the QoS 1 and 2 flows
// in both directions, SUBSCRIBE/UNSUBSCRIBE and DISCONNECT. All methods are
// safe for concurrent use. After Connect succeeds the Conn runs three
// goroutines (reader, writer, keepalive) that end with the connection.
type Conn struct {
	nc            net.Conn
	cfg           ConnConfig
	v             Version
	local, remote net.Addr
	br            *bufio.Reader
	keepAlive     time.Duration
	// limits are the server's CONNACK limits that a PUBLISH must respect
	// before it is sent (see conn_limits.go).
	limits serverLimits

	// Outgoing bytes: producers append under wmu, the writer goroutine
	// swaps the buffer out and writes it, so packets queued while a write
	// is in flight go out together in the next one.
	wmu     sync.Mutex
	wcond   *sync.Cond
	wbuf    []byte
	wspare  []byte
	werr    error
	closing bool
	writing bool // a goroutine is writing wbuf out
	// wdeadlineSet is when the write deadline was last moved (unix
	// nanoseconds); only the goroutine writing (writing set) uses it.
	wdeadlineSet int64
	// roomWaiters counts producers waiting for the buffer to shrink.
	roomWaiters int
	// writerExited is set (under wmu) when the writer goroutine returns.
	writerExited bool
	lastSend     atomic.Int64 // unix nanoseconds of the last completed write
	lastRecv     atomic.Int64 // unix nanoseconds of the last packet read

	// Session state, under mu.
	mu      sync.Mutex
	pending map[uint16]*pendingFlow
	nextID  uint16
	inQoS2  map[uint16]bool // incoming QoS 2 ids awaiting PUBREL
	// delivering counts messages handed to OnPublish whose ack is not yet
	// queued; draining (set by Disconnect) stops new deliveries.
	delivering int
	draining   bool
	settled    chan struct{} // signalled when a delivery or QoS 2 flow ends
	pings      []pingWait
	window     chan struct{}
	idle       chan struct{} // signalled when the window empties
	// backlog holds QoS 1/2 messages waiting for the window (see
	// PublishQueued); backlogRoom wakes a publisher waiting for room.
	backlog     []backlogged
	backlogRoom chan struct{}
	promoteMu   sync.Mutex
	// ended is set when the session has ended: no new flow may start.
	ended bool
	// Resuming (conn_resume.go): flowSeq orders flows; resume is the state
	// Connect resumes, state what a lost session leaves for the next.
	flowSeq     uint64
	resume      *SessionState
	state       *SessionState
	resent      int
	aliasTopics map[uint32]string

	done     chan struct{}
	failOnce sync.Once
	err      error // why the session ended; nil after a clean Disconnect
	wg       sync.WaitGroup
}

// NewConn wraps an established network connection; call Connect next.
func NewConn(nc net.Conn, cfg ConnConfig) *Conn {
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	c := &Conn{
		nc: nc, cfg: cfg, v: V311,
		local: nc.LocalAddr(), remote: nc.RemoteAddr(),
		br:      bufio.NewReaderSize(nc, 64<<10),
		pending: make(map[uint16]*pendingFlow),
		inQoS2:  make(map[uint16]bool),
		done:    make(chan struct{}),
		idle:    make(chan struct{}, 1),
		settled: make(chan struct{}, 1),

		backlogRoom: make(chan struct{}, 1),
	}
	c.wcond = sync.NewCond(&c.wmu)
	return c
}

// Version is the protocol version of the session.
func (c *Conn) Version() Version { return c.v }

// LocalAddr and RemoteAddr are the network connection's addresses.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr is the server's address.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// Done is closed when the session has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the session ended: nil while it runs and after a clean
// Disconnect.
func (c *Conn) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

// InflightWindow is the number of QoS 1/2 PUBLISH flows allowed at once.
func (c *Conn) InflightWindow() int { return cap(c.window) }

// Connect sends CONNECT (its ProtocolLevel, or 3.1.1, chooses the version)
// and waits for CONNACK until ctx ends. A refusal is a *ConnackError, no
// answer a *TimeoutError, a closed connection a *ClosedError. On any error
// the network connection is closed.
func (c *Conn) Connect(ctx context.Context, p *Connect) (*Connack, error) {
	if v := Version(p.ProtocolLevel); v.Valid() {
		c.v = v
	}
	c.keepAlive = time.Duration(p.KeepAlive) * time.Second
	ack, err := c.handshake(ctx, p)
	if err != nil {
		c.fail(err)
		return ack, err
	}
	if c.v == V5 {
		if ka, ok := ack.Properties.Int(PropServerKeepAlive); ok {
			c.keepAlive = time.Duration(ka) * time.Second // MQTT 5.0 §3.2.2.3.14
		}
	}
	window := c.cfg.MaxInflight
	brokerMax := 0
	if c.v == V5 {
		if rm, ok := ack.Properties.Int(PropReceiveMaximum); ok {
			brokerMax = int(rm)
		}
	}
	switch {
	case window <= 0 && brokerMax > 0:
		window = brokerMax
	case window <= 0:
		window = DefaultInflight
	case brokerMax > 0 && window > brokerMax:
		window = brokerMax
	}
	if c.resume != nil {
		// Every unfinished flow is sent again, whatever the window.
		window = max(window, len(c.resume.flows))
	}
	c.window = make(chan struct{}, min(window, 65535))
	c.limits = limitsOf(ack, c.v)
	var resend []Packet
	if c.resume != nil {
		c.mu.Lock()
		resend = c.restoreLocked(ack.SessionPresent())
		c.mu.Unlock()
	}
	c.lastSend.Store(time.Now().UnixNano())
	c.lastRecv.Store(time.Now().UnixNano())
	// What is sent again is queued before the read goroutine starts: a
	// broker resuming the session sends its PUBRECs right after CONNACK,
	// and the PUBREL the reader answers with must not go out ahead of the
	// PUBLISH it releases. A broker that has released an id takes a
	// PUBLISH under it as a new message (MQTT 3.1.1 §4.3.3, 5.0 §4.3.3).
	for _, p := range resend {
		if err := c.enqueue(p, queueOnly, false); err != nil {
			// They all encoded before; should one not, the session
			// ends here and keeps its messages for the next try.
			c.fail(err)
			return ack, nil
		}
	}
	c.wg.Add(3)
	go c.writeLoop()
	go c.readLoop()
	go c.keepAliveLoop()
	if resend != nil || c.backlogLen() > 0 {
		// The session is up: if these writes fail it ends, and Done, Err
		// and TakeState report it like any later failure.
		if c.promote(hold) == nil {
			_ = c.Flush()
		}
	}
	return ack, nil
}

// handshake writes CONNECT and reads CONNACK with deadlines from ctx.
func (c *Conn) handshake(ctx context.Context, p *Connect) (*Connack, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	start := time.Now()
	// Cancelling ctx interrupts a blocked read or write.
	stop := context.AfterFunc(ctx, func() { c.nc.SetDeadline(time.Now()) })
	defer stop()
	raw, err := p.Append(nil, c.v)
	if err != nil {
		return nil, err
	}
	c.emit(Event{Dir: Out, Raw: raw, Packet: p})
	c.nc.SetDeadline(deadline)
	defer c.nc.SetDeadline(time.Time{})
	if _, err := c.nc.Write(raw); err != nil {
		return nil, c.handshakeErr(ctx, err, start)
	}
	c.lastSend.Store(time.Now().UnixNano())
	r := NewReader(c.br, c.cfg.MaxPacket)
	r.Version = c.v
	pkt, raw, err := r.Next()
	if raw != nil {
		c.emit(Event{Dir: In, Raw: raw, Packet: pkt, Err: err})
	}
	if err != nil {
		if raw == nil {
			return nil, c.handshakeErr(ctx, err, start)
		}
		return nil, err
	}
	ack, ok := pkt.(*Connack)
	if !ok {
		return nil, &ProtocolError{Packet: pkt.Type(), Field: FieldFixedHeader, Code: CodeProtocolError,
			Reason: "expected CONNACK, got " + pkt.Type().String()}
	}
	refused := ack.ReasonCode != 0
	if c.v == V5 {
		refused = ack.ReasonCode.IsError()
	}
	if refused {
		reason, _ := ack.Properties.String(PropReasonString)
		return ack, &ConnackError{Version: c.v, Code: ack.ReasonCode, Reason: reason, Connack: ack}
	}
	return ack, nil
}

func (c *Conn) handshakeErr(ctx context.Context, err error, start time.Time) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != context.Canceled:
		return &TimeoutError{Waiting: "CONNACK", After: time.Since(start)}
	case ctx.Err() == context.Canceled:
		return ctx.Err()
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err):
		return &ClosedError{While: "before CONNACK", Err: err}
	}
	return err
}

// isReset reports a connection torn down by the peer while we wrote or read.
func isReset(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && (oe.Op == "read" || oe.Op == "write")
}

func (c *Conn) emit(e Event) {
	if c.cfg.OnEvent == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Local, e.Remote = c.local, c.remote
	c.cfg.OnEvent(e)
}

// fail ends the session with err (the first reason wins; nil for an end
// we asked for), closing the network connection and completing every
// waiting flow.
func (c *Conn) fail(err error) {
	c.failOnce.Do(func() {
		c.err = err
		c.wmu.Lock()
		if c.werr == nil {
			c.werr = errSessionEnded
		}
		c.wcond.Broadcast()
		c.wmu.Unlock()
		c.nc.Close()
		close(c.done)
		if err == nil {
			err = net.ErrClosed
		}
		c.abortFlows(err)
	})
}

var errSessionEnded = errors.New("session ended")

// sessionErr is the error to give callers once the session has ended.
func (c *Conn) sessionErr() error {
	<-c.done
	if c.err != nil {
		return c.err
	}
	return net.ErrClosed
}

// Disconnect ends the session cleanly: it stops delivering new messages,
// lets the flows of messages already delivered finish (their acks queued,
// QoS 2 PUBRELs answered) so the broker does not send them again, sends
// DISCONNECT (d may be nil for a plain one), waits until every queued byte
// is written, and closes the connection. ctx bounds all of it.
func (c *Conn) Disconnect(ctx context.Context, d *Disconnect) error {
	if d == nil {
		d = &Disconnect{}
	}
	c.settle(ctx)
	if err := c.enqueue(d, writeNow, true); err != nil {
		return err
	}
	// The writer ends once the buffer is empty (or its write fails).
	writerDone := make(chan struct{})
	go func() {
		c.wmu.Lock()
		for !c.writerExited {
			c.wcond.Wait()
		}
		c.wmu.Unlock()
		close(writerDone)
	}()
	var err error
	select {
	case <-writerDone:
	case <-ctx.Done():
		err = &TimeoutError{Waiting: "DISCONNECT to be written"}
	}
	c.fail(nil)
	c.wg.Wait()
	<-writerDone
	if err == nil {
		err = c.err
	}
	return err
}

// Close ends the session without DISCONNECT (the broker then publishes
// the will) and waits for its goroutines.
func (c *Conn) Close() error {
	c.fail(nil)
	c.wg.Wait()
	return nil
}

// settle stops deliveries and waits for the flows of delivered messages.
func (c *Conn) settle(ctx context.Context) {
	c.mu.Lock()
	c.draining = true
	c.mu.Unlock()
	for {
		c.mu.Lock()
		busy := c.delivering > 0 || len(c.inQoS2) > 0
		c.mu.Unlock()
		if !busy {
			return
		}
		select {
		case <-c.settled:
		case <-c.done:
			return
		case <-ctx.Done():
			return
		}
	}
}

// signalSettled wakes settle; a stale signal only makes it look again.
func (c *Conn) signalSettled() {
	select {
	case c.settled <- struct{}{}:
	default:
	}
}
