package tap

import (
	"io"
	"net"
	"sync"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// Format is how packets are shown.
type Format int

// The formats.
const (
	// Summary is one line per packet, as tshark's packet list, with the
	// client id in the protocol column.
	Summary Format = iota
	// Tree is the summary line followed by the packet's Wireshark tree.
	Tree
	// JSONL is one JSON object per packet per line, with the mqtt layer as
	// tshark -T json shows it.
	JSONL
	// None shows nothing (for recording to a pcap only).
	None
)

// DefaultMaxPDU is the largest PDU buffered for dissection by default;
// bigger ones are forwarded and recorded but shown by their header alone,
// so that a connection's memory stays bounded.
const DefaultMaxPDU = 16 << 20

// Options say what a tap shows and records.
type Options struct {
	Format  Format
	Palette *output.Palette
	Prefs   output.Prefs
	Filter  Filter
	// Version decodes connections whose CONNECT was not seen (0: unknown,
	// as tshark's mqtt.default_version None).
	Version mqttwire.Version
	// ShowSecrets shows CONNECT passwords; by default the shown packet
	// carries "<hidden>" instead (the pcap keeps the real bytes).
	ShowSecrets bool
	// MaxPDU bounds a buffered PDU (0: DefaultMaxPDU).
	MaxPDU int
	// Pcap, if set, receives every byte of every session as a pcap file.
	Pcap io.Writer
	// Count, if positive, stops showing after that many packets and
	// closes Done (tshark -c); recording goes on.
	Count int
}

// Tap shows the packets of any number of concurrent sessions on one
// writer. Its methods are safe for concurrent use.
type Tap struct {
	opt  Options
	pcap *pcapFile

	mu       sync.Mutex // serialises output, numbering and the session set
	w        io.Writer
	start    time.Time // of the first packet shown: times are relative to it
	shown    int
	nextConn uint64
	open     map[*Session]struct{}
	werr     error
	out      []byte // shown, not yet written (render.go: flushSize)
	// flushTimer writes out within flushDelay; nil when nothing waits.
	flushTimer *time.Timer
	done       chan struct{} // closed when Count packets were shown
}

// New starts a tap writing to w. With Options.Pcap it writes the pcap file
// header at once.
func New(w io.Writer, opt Options) (*Tap, error) {
	if opt.MaxPDU <= 0 {
		opt.MaxPDU = DefaultMaxPDU
	}
	t := &Tap{opt: opt, w: w, open: make(map[*Session]struct{}), done: make(chan struct{})}
	if opt.Pcap != nil {
		f, err := newPcapFile(opt.Pcap)
		if err != nil {
			return nil, err
		}
		t.pcap = f
	}
	return t, nil
}

// Done is closed once Options.Count packets have been shown.
func (t *Tap) Done() <-chan struct{} { return t.done }

// Shown is the number of packets shown so far.
func (t *Tap) Shown() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shown
}

// Open starts a session between a client and a server. A nil Tap returns
// a nil Session, whose methods do nothing.
func (t *Tap) Open(client, server net.Addr) *Session {
	if t == nil {
		return nil
	}
	s := &Session{
		tap: t, client: client, server: server,
		clientStr: addrString(client), serverStr: addrString(server),
		conv: output.NewConversation(t.opt.Version),
	}
	s.queue.cond = sync.NewCond(&s.queue.mu)
	s.emitFn = s.emit
	for i := range s.dirs {
		s.dirs[i].max = t.opt.MaxPDU
	}
	if t.pcap != nil {
		s.pcap = t.pcap.open(client, server)
	}
	t.mu.Lock()
	t.nextConn++
	s.id = t.nextConn
	t.open[s] = struct{}{}
	t.mu.Unlock()
	return s
}

// Close ends the sessions still open and flushes the pcap file. It returns
// the first error writing the output or the pcap.
func (t *Tap) Close() error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	open := make([]*Session, 0, len(t.open))
	for s := range t.open {
		open = append(open, s)
	}
	t.mu.Unlock()
	for _, s := range open {
		s.Close()
	}
	var err error
	if t.pcap != nil {
		err = t.pcap.close()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushLocked()
	if t.werr != nil {
		return t.werr
	}
	return err
}

func (t *Tap) forget(s *Session) {
	t.mu.Lock()
	delete(t.open, s)
	t.mu.Unlock()
}

func addrString(a net.Addr) string {
	if a == nil {
		return "?"
	}
	return a.String()
}
