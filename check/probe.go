package check

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

// versionProbe is one CONNECT at a protocol version, made before the
// checks to learn what the broker speaks.
type versionProbe struct {
	took time.Duration
	ack  *mqttwire.Connack
	err  error
}

// unsupported reports a refusal of the protocol version itself (3.1.1
// §3.2.2.3 return code 1, MQTT 5.0 §3.2.2.2 reason 0x84), or a broker
// that did not understand the CONNECT at all: the version is not offered,
// which is a skip, not a failure.
func (p versionProbe) unsupported() bool {
	var ce *mqttwire.ConnackError
	if errors.As(p.err, &ce) {
		return ce.Code == 0x01 || ce.Code == 0x84
	}
	var me *mqttwire.MalformedError
	var pe *mqttwire.ProtocolError
	var closed *mqttwire.ClosedError
	return errors.As(p.err, &me) || errors.As(p.err, &pe) || errors.As(p.err, &closed)
}

// probeVersions connects once with each protocol version, at once.
func (r *run) probeVersions(ctx context.Context) map[mqttwire.Version]versionProbe {
	t := &T{run: r, check: &Check{Name: "probe"}}
	out := map[mqttwire.Version]versionProbe{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for v := range versionCaps {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
			defer cancel()
			start := time.Now()
			c, err := t.connectRaw(cctx, clientOptions{version: v})
			p := versionProbe{took: time.Since(start), err: err}
			if err == nil {
				p.ack = c.ack
				c.Disconnect(cctx, nil)
			}
			mu.Lock()
			out[v] = p
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// learn sets the run's version and capabilities from the probes, or
// returns the error that makes the broker unusable: unreachable, refusing
// us, or silent.
func (r *run) learn(probes map[mqttwire.Version]versionProbe) error {
	main := r.cfg.Version
	if main == 0 {
		main = mqttwire.V5
		if probes[mqttwire.V5].err != nil {
			main = mqttwire.V311
		}
	}
	if err := probes[main].err; err != nil {
		return err
	}
	r.version = main
	why5 := ""
	if p := probes[mqttwire.V5]; p.err == nil {
		r.ack5 = p.ack
	} else {
		why5 = p.err.Error()
	}
	r.caps = capsFromConnack(r.ack5, why5)
	for v, name := range versionCaps {
		p := probes[v]
		evidence := fmt.Sprintf("CONNACK accepted MQTT %v", v)
		if p.err != nil {
			evidence = p.err.Error()
		}
		r.caps[name] = Capability{Name: name, Available: p.err == nil, Evidence: evidence}
	}
	auth := Capability{Name: CapAuth, Evidence: "--expect-auth not given"}
	if r.cfg.ExpectAuth {
		auth = Capability{Name: CapAuth, Available: true, Evidence: "--expect-auth given"}
	}
	r.caps[CapAuth] = auth
	// Whether the broker publishes $SYS topics is only learnt by looking.
	r.caps[CapSys] = Capability{Name: CapSys, Available: true, Evidence: "not announced; checked by subscribing"}
	return nil
}
