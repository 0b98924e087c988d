package tap

import (
	"strconv"
	"time"

	"github.com/mqtap/mqtap/output"
)

// show writes one packet in the tap's format. d is nil for a PDU shown by
// its note alone. The tree and JSON layers are built before taking the
// output lock, so that connections wait on each other only for the write.
func (t *Tap) show(s *Session, d *output.Dissection, length int, note string) {
	info := note
	var tree []byte
	var layers []output.JSONMember
	if d != nil {
		info = output.Info(d)
		switch t.opt.Format {
		case Tree:
			tree = output.AppendTree(nil, d, t.opt.Prefs, t.opt.Palette)
		case JSONL:
			layers = output.JSONLayers(d, t.opt.Prefs)
		}
	}
	src, dst := s.clientStr, s.serverStr
	if !s.fromClient {
		src, dst = dst, src
	}
	label := s.label
	if !s.idKnown {
		label = "-"
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.werr != nil || t.opt.Count > 0 && t.shown >= t.opt.Count {
		return // the output is gone (a closed pipe) or done; forwarding goes on
	}
	if t.start.IsZero() {
		t.start = s.now
	}
	t.shown++
	b := t.out
	if t.opt.Format == JSONL {
		b = t.appendJSON(b, s, length, info, layers)
	} else {
		b = output.AppendListLine(b, t.shown, s.now.Sub(t.start), 6, src, dst, label, length, info)
		if t.opt.Format == Tree {
			b = append(b, tree...)
			b = append(b, '\n')
		}
	}
	t.out = b
	switch {
	case len(t.out) >= flushSize || t.shown == t.opt.Count:
		t.flushLocked()
	case t.flushTimer == nil:
		t.flushTimer = time.AfterFunc(flushDelay, t.flushLater)
	}
	if t.shown == t.opt.Count {
		close(t.done)
	}
}

// Packets are shown in batches: one write per packet costs a system call
// each, which capped a proxy's throughput at a fiftieth of a direct
// connection's when its output went to a pipe or a file. A packet waits at
// most flushDelay, too short for a person to notice, or until flushSize
// bytes are waiting.
const (
	flushDelay = 10 * time.Millisecond
	flushSize  = 64 << 10
)

// flushLocked writes what is waiting; t.mu is held.
func (t *Tap) flushLocked() {
	if t.flushTimer != nil {
		t.flushTimer.Stop()
		t.flushTimer = nil
	}
	if len(t.out) > 0 && t.werr == nil {
		_, t.werr = t.w.Write(t.out)
	}
	t.out = t.out[:0]
	if cap(t.out) > 4*flushSize { // one huge tree must not pin its buffer
		t.out = nil
	}
}

// flushLater is the timer's flush.
func (t *Tap) flushLater() {
	t.mu.Lock()
	t.flushLocked()
	t.mu.Unlock()
}

// appendJSON writes the packet as one line of JSON: frame number, time,
// connection, endpoints, client id, sender, length, Info, and the layers
// of tshark -T json.
func (t *Tap) appendJSON(b []byte, s *Session, length int, info string, layers []output.JSONMember) []byte {
	o := &output.JSONObject{}
	o.AddRaw("frame", strconv.Itoa(t.shown))
	o.Add("time", s.now.UTC().Format(time.RFC3339Nano))
	o.AddRaw("conn", strconv.FormatUint(s.id, 10))
	o.Add("client", s.clientStr)
	o.Add("server", s.serverStr)
	if s.idKnown {
		o.Add("client_id", s.clientID)
	} else {
		o.AddRaw("client_id", "null")
	}
	from := "server"
	if s.fromClient {
		from = "client"
	}
	o.Add("from", from)
	o.AddRaw("length", strconv.Itoa(length))
	o.Add("info", info)
	if layers != nil {
		l := o.AddObject("layers")
		l.Members = layers
	} else {
		o.AddRaw("dissected", "false")
	}
	b = o.AppendCompact(b)
	return append(b, '\n')
}
