package mqttwire

import (
	"context"
	"time"
)

// pingWait is one PINGREQ awaiting its PINGRESP. Answers come in order, so
// the waits form a queue; keepalive pings have no channel.
type pingWait struct {
	sent time.Time
	ch   chan time.Duration
}

func (c *Conn) pingTimeout() time.Duration {
	if c.cfg.PingTimeout > 0 {
		return c.cfg.PingTimeout
	}
	return c.keepAlive
}

// keepAliveLoop sends PINGREQ when nothing has been sent for the keepalive
// interval (MQTT 5.0 §3.1.2.10), or nothing received (a QoS 0 publisher
// hears nothing from the server, whose silence would otherwise look like
// death), and declares the server dead when a PINGRESP is overdue.
func (c *Conn) keepAliveLoop() {
	defer c.wg.Done()
	if c.keepAlive <= 0 {
		return
	}
	tick := max(c.keepAlive/4, 50*time.Millisecond)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case now := <-t.C:
			c.mu.Lock()
			var oldest time.Time
			if len(c.pings) > 0 {
				oldest = c.pings[0].sent
			}
			c.mu.Unlock()
			if !oldest.IsZero() {
				if now.Sub(oldest) > c.pingTimeout() {
					c.fail(&TimeoutError{Waiting: "PINGRESP", After: now.Sub(oldest)})
					return
				}
				continue
			}
			last := min(c.lastSend.Load(), c.lastRecv.Load())
			if now.Sub(time.Unix(0, last)) >= c.keepAlive {
				if err := c.ping(nil); err != nil {
					return
				}
			}
		}
	}
}

// ping queues a PINGREQ and its wait.
func (c *Conn) ping(ch chan time.Duration) error {
	c.mu.Lock()
	c.pings = append(c.pings, pingWait{sent: time.Now(), ch: ch})
	c.mu.Unlock()
	return c.send(&Pingreq{})
}

// pong matches a PINGRESP to the oldest PINGREQ.
func (c *Conn) pong() {
	c.mu.Lock()
	if len(c.pings) == 0 {
		c.mu.Unlock()
		return
	}
	w := c.pings[0]
	c.pings = c.pings[1:]
	c.mu.Unlock()
	if w.ch != nil {
		w.ch <- time.Since(w.sent)
	}
}

// Ping sends PINGREQ and returns the round-trip time to its PINGRESP.
func (c *Conn) Ping(ctx context.Context) (time.Duration, error) {
	ch := make(chan time.Duration, 1)
	start := time.Now()
	if err := c.ping(ch); err != nil {
		return 0, err
	}
	select {
	case rtt, ok := <-ch:
		if !ok {
			return 0, c.sessionErr()
		}
		return rtt, nil
	case <-c.done:
		return 0, c.sessionErr()
	case <-ctx.Done():
		return 0, &TimeoutError{Waiting: "PINGRESP", After: time.Since(start)}
	}
}
