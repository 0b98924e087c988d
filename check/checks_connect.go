package check

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
)

func connectChecks() []*Check {
	return []*Check{
		connectVersionCheck(mqttwire.V31),
		connectVersionCheck(mqttwire.V311),
		connectVersionCheck(mqttwire.V5),
		{Name: "connect/credentials", Category: "connect",
			Verifies: "the broker accepts the given user name and password",
			Run:      checkCredentials},
		{Name: "connect/bad-credentials", Category: "connect", Needs: []string{CapAuth},
			Verifies: "a wrong password is refused with CONNACK 0x04/0x05 (3.1.1) or 0x86/0x87 (5.0)",
			Run:      checkBadCredentials},
	}
}

// connectVersionCheck reports the probe's CONNECT at version v: accepted,
// refused as unsupported (a skip), or failed otherwise.
func connectVersionCheck(v mqttwire.Version) *Check {
	return &Check{
		Name: fmt.Sprintf("connect/v%v", v), Category: "connect",
		Verifies: fmt.Sprintf("a CONNECT at MQTT %v gets a CONNACK that accepts it", v),
		Run: func(ctx context.Context, t *T) error {
			p := t.run.probes[v]
			t.Took(p.took)
			switch {
			case p.err == nil:
				t.Notef("CONNACK in %v", p.took.Round(time.Microsecond))
				t.Metric(fmt.Sprintf("connect_v%v_ms", v), float64(p.took.Microseconds())/1000)
				return nil
			case p.unsupported():
				return skip(versionCaps[v], "%v", p.err)
			}
			return failf(fmt.Sprintf("a CONNACK accepting MQTT %v", v), "%v", p.err)
		},
	}
}

// checkCredentials: every probe already used the credentials, so this
// says which were used and that they worked.
func checkCredentials(ctx context.Context, t *T) error {
	cc := t.run.cfg.Connect
	if !cc.UsernameFlag && !cc.PasswordFlag {
		return skip("", "no credentials given (-u, -P)")
	}
	c, err := t.connect(ctx, clientOptions{})
	if err != nil {
		return failf("the broker to accept user "+cc.Username, "%v", err)
	}
	t.Notef("user %q accepted", cc.Username)
	return c.Disconnect(ctx, nil)
}

// checkBadCredentials connects with the given user name (or "mqtap") and a
// password nobody has, and wants the refusal the specification names.
func checkBadCredentials(ctx context.Context, t *T) error {
	bad := func(p *mqttwire.Connect) {
		if !p.UsernameFlag {
			p.UsernameFlag, p.Username = true, "mqtap-check"
		}
		p.PasswordFlag, p.Password = true, []byte("mqtap-wrong-"+t.run.id)
	}
	c, err := t.connect(ctx, clientOptions{edit: bad})
	if err == nil {
		c.Disconnect(ctx, nil)
		return failf("a CONNACK refusing a wrong password", "the connection accepted")
	}
	var ce *mqttwire.ConnackError
	if !errors.As(err, &ce) {
		return failf("a CONNACK refusing a wrong password", "%v", err)
	}
	want := map[mqttwire.ReasonCode]bool{0x04: true, 0x05: true}
	if t.Version() == mqttwire.V5 {
		want = map[mqttwire.ReasonCode]bool{0x86: true, 0x87: true}
	}
	if !want[ce.Code] {
		return failf("a refusal for bad credentials (bad user name or password, not authorized)", "%v", err)
	}
	t.Notef("refused: %s", mqttwire.Describe(mqttwire.TypeConnack, t.Version(), ce.Code))
	return nil
}
