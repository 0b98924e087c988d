package tap

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/output"
)

// Session is one tapped connection. Both directions share its state (the
// protocol version, topic aliases and client id), as Wireshark keeps one
// conversation per TCP connection; a mutex orders them.
type Session struct {
	tap                  *Tap
	id                   uint64
	client, server       net.Addr
	clientStr, serverStr string

	queue stageQueue // bytes staged, not yet shown

	mu       sync.Mutex // the state below; held while a chunk is shown
	emitFn   emitFunc   // s.emit, bound once
	conv     *output.Conversation
	dirs     [2]framer // from the client, from the server
	pcap     *pcapConv
	clientID string
	idKnown  bool
	label    string       // the client id as shown
	aliases  topicAliases // for --topic: what alias-only PUBLISHes stand for
	closed   bool
	d        output.Dissection // reused: one PDU is shown at a time
	// The bytes being framed: when they were seen and who sent them.
	now        time.Time
	fromClient bool
}

// ID numbers the session within its tap, from 1.
func (s *Session) ID() uint64 {
	if s == nil {
		return 0
	}
	return s.id
}

// FromClient shows bytes the client sent. The tap does not keep b.
func (s *Session) FromClient(b []byte) {
	s.Sent(s.Stage(true, b), len(b))
	s.Flush()
}

// FromServer shows bytes the server sent. The tap does not keep b.
func (s *Session) FromServer(b []byte) {
	s.Sent(s.Stage(false, b), len(b))
	s.Flush()
}

// feed frames and shows bytes seen at now.
func (s *Session) feed(fromClient bool, now time.Time, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.now, s.fromClient = now, fromClient
	s.dirs[dirIndex(fromClient)].feed(b, s.emitFn)
}

func dirIndex(fromClient bool) int {
	if fromClient {
		return 0
	}
	return 1
}

// Close shows what is staged and any PDU a stream ended inside, and
// records the end of the connection. Later bytes are ignored; Close may be
// called more than once.
func (s *Session) Close() {
	if s == nil {
		return
	}
	s.flush(true)
	s.mu.Lock()
	if !s.closed {
		s.now = time.Now()
		for _, fromClient := range []bool{true, false} {
			s.fromClient = fromClient
			s.dirs[dirIndex(fromClient)].end(s.emitFn)
		}
		s.closed = true
		s.pcap.close(s.now)
	}
	s.mu.Unlock()
	s.tap.forget(s)
}

// emit records a framed unit and shows it.
func (s *Session) emit(kind unitKind, data []byte, size int) {
	s.pcap.packet(s.now, s.fromClient, data)
	if s.tap.opt.Format == None {
		return // recording only: nothing to dissect
	}
	switch kind {
	case unitPDU, unitBroken:
		s.showPDU(data)
	case unitOversize:
		s.showOversize(data, size)
	}
}

func (s *Session) showPDU(raw []byte) {
	shown := raw
	if !s.tap.opt.ShowSecrets && s.fromClient {
		shown = output.HidePassword(raw)
	}
	d := &s.d
	s.conv.DissectInto(d, shown)
	s.learn(d.Packet)
	f := &s.tap.opt.Filter
	if !f.packetMatches(raw, d, &s.aliases) || !f.clientMatches(s.clientID, s.idKnown) {
		return
	}
	s.tap.show(s, d, len(raw), "")
}

// showOversize shows a PDU too large to buffer by its type and size.
func (s *Session) showOversize(head []byte, size int) {
	f := &s.tap.opt.Filter
	if !f.clientMatches(s.clientID, s.idKnown) || !f.packetMatches(head, nil, &s.aliases) {
		return
	}
	name := (&output.Dissection{Raw: head}).TypeName()
	note := name + " (" + strconv.Itoa(size) + " bytes: over the " + strconv.Itoa(s.tap.opt.MaxPDU) + "-byte limit, not dissected)"
	s.tap.show(s, nil, size, note)
}

// learn takes the client id from CONNECT, or from a CONNACK's Assigned
// Client Identifier when the client left it to the server (MQTT 5.0
// §3.2.2.3.7).
func (s *Session) learn(p mqttwire.Packet) {
	switch p := p.(type) {
	case *mqttwire.Connect:
		if s.fromClient {
			s.setClientID(p.ClientID)
		}
	case *mqttwire.Connack:
		if id, ok := p.Properties.String(mqttwire.PropAssignedClientID); ok && !s.fromClient && s.clientID == "" {
			s.setClientID(id)
		}
	}
}

func (s *Session) setClientID(id string) {
	s.clientID = strings.Clone(id) // decoded strings share the read buffer
	s.idKnown = true
	s.label = quoteLabel(s.clientID)
}

// quoteLabel shows an id as is unless it is empty or holds spaces or
// unprintable characters, which would break the columns.
func quoteLabel(id string) string {
	if id == "" || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' }) >= 0 {
		return strconv.Quote(id)
	}
	return id
}
