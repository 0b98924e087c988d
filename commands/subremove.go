package commands

import (
	"context"
	"fmt"
	"sync"

	"github.com/mqtap/mqtap/mqttwire"
)

// retainedRemover is sub's --remove-retained: each retained message that
// is printed is cleared from the broker by an empty retained PUBLISH to
// its topic at QoS 1, as mosquitto_sub does. The session's reader hands it
// topics and must never wait, so topics queue here and one goroutine
// publishes them.
type retainedRemover struct {
	mu      sync.Mutex
	conn    *mqttwire.Conn
	topics  []string
	closed  bool
	wake    chan struct{}   // a topic was queued, or the queue closed
	stopped chan struct{}   // the goroutine has published everything queued
	err     error           // the first failure
	ctx     context.Context // ends a Publish waiting for the window
	cancel  context.CancelFunc
}

func newRetainedRemover(conn *mqttwire.Conn) *retainedRemover {
	r := &retainedRemover{conn: conn, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	go r.run()
	return r
}

// add queues a topic; called by the session's reader.
func (r *retainedRemover) add(topic string) {
	r.mu.Lock()
	if !r.closed {
		r.topics = append(r.topics, topic)
	}
	r.mu.Unlock()
	r.signal()
}

func (r *retainedRemover) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// close stops taking topics; the goroutine ends once the queue is empty.
func (r *retainedRemover) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.signal()
}

// abandon ends the goroutine without waiting for the broker (a run that
// ends in an error).
func (r *retainedRemover) abandon() {
	r.mu.Lock()
	r.topics = nil
	r.mu.Unlock()
	r.cancel()
	r.close()
}

// setConn moves the remover to the session that replaced a lost one.
func (r *retainedRemover) setConn(conn *mqttwire.Conn) {
	r.mu.Lock()
	r.conn = conn
	r.mu.Unlock()
	r.signal()
}

func (r *retainedRemover) run() {
	defer close(r.stopped)
	for range r.wake {
		for {
			r.mu.Lock()
			if len(r.topics) == 0 {
				closed := r.closed
				r.mu.Unlock()
				if closed {
					return
				}
				break
			}
			topic, conn := r.topics[0], r.conn
			r.topics = r.topics[1:]
			r.mu.Unlock()
			clear := &mqttwire.Publish{Topic: topic, QoS: 1, Retain: true}
			if err := conn.Publish(r.ctx, clear, r.done(topic)); err != nil {
				r.fail(topic, err)
			}
		}
	}
}

// done records a clearing message the broker did not accept.
func (r *retainedRemover) done(topic string) func(mqttwire.PublishResult) {
	return func(res mqttwire.PublishResult) {
		if res.Err != nil {
			r.fail(topic, res.Err)
		}
	}
}

func (r *retainedRemover) fail(topic string, err error) {
	r.mu.Lock()
	if r.err == nil {
		r.err = fmt.Errorf("--remove-retained: clearing %q: %w", topic, err)
	}
	r.mu.Unlock()
}

// finish publishes what is queued and waits, within ctx, until the broker
// has acknowledged every clearing message; it returns the first failure.
func (r *retainedRemover) finish(ctx context.Context) error {
	r.close()
	select {
	case <-r.stopped:
	case <-ctx.Done():
		r.cancel()
		return fmt.Errorf("--remove-retained: %w", ctx.Err())
	}
	r.mu.Lock()
	conn := r.conn
	r.mu.Unlock()
	err := conn.Drain(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("--remove-retained: waiting for the broker's acknowledgements: %w", err)
	}
	return r.err
}
