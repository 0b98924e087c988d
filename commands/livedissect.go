package commands

import (
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// colorEnabled decides --color: always, never, or (auto) when w is a
// terminal and NO_COLOR is unset.
func colorEnabled(setting string, w io.Writer) bool {
	switch setting {
	case "always":
		return true
	case "never":
		return false
	}
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// dissector shows session events as Wireshark does: a packet-list line
// and the packet's tree, through the output package.
type dissector struct {
	w           io.Writer
	conv        *output.Conversation
	pal         *output.Palette
	prefs       output.Prefs
	start       time.Time
	n           int
	showSecrets bool
	// only, if set, picks the events shown (sub --output dissect shows
	// messages only).
	only func(mqttwire.Event) bool
}

func newDissector(w io.Writer, v mqttwire.Version, color string, showSecrets bool) *dissector {
	return &dissector{
		w: w, conv: output.NewConversation(v), pal: output.NewPalette(colorEnabled(color, w)),
		prefs: output.Prefs{AutoMsgText: true}, showSecrets: showSecrets,
	}
}

// event renders one packet. Every packet passes through the conversation
// (it learns the version and topic aliases) even when not shown.
func (d *dissector) event(e mqttwire.Event) {
	if d.start.IsZero() {
		d.start = e.Time
	}
	d.n++
	raw := e.Raw
	if !d.showSecrets && e.Dir == mqttwire.Out {
		raw = output.HidePassword(raw)
	}
	ds := d.conv.Dissect(raw)
	if d.only != nil && !d.only(e) {
		return
	}
	src, dst := e.Local, e.Remote
	if e.Dir == mqttwire.In {
		src, dst = dst, src
	}
	_ = output.WriteListLine(d.w, d.n, e.Time.Sub(d.start), addrString(src), addrString(dst), "MQTT", len(e.Raw), output.Info(ds))
	_ = output.WriteTree(d.w, ds, d.prefs, d.pal)
	fmt.Fprintln(d.w)
}

func addrString(a net.Addr) string {
	if a == nil {
		return "?"
	}
	return a.String()
}
