package dissect

import (
	"bufio"
	"io"

	"github.com/mqtap/mqtap/output"
)

// Bytes dissects a run of MQTT bytes, as from a hex dump: the PDUs one
// after another, as a client or broker sent them. A CONNECT at the start
// sets the version for the rest. A final PDU the bytes do not hold in full
// is shown as far as it goes and marked malformed.
func Bytes(w io.Writer, data []byte, opt Options) (Stats, error) {
	s := NewStream(w, opt)
	if _, err := s.Write(data); err != nil {
		return s.st, err
	}
	return s.Close()
}

// Stream is Bytes for bytes that arrive in pieces, as a hex dump is read:
// each PDU is dissected and written as soon as it is complete, so memory
// holds one PDU, not the input.
type Stream struct {
	bw   *bufio.Writer
	conv *output.Conversation
	out  packetWriter
	d    output.Dissection
	buf  []byte // the start of the next PDU
	st   Stats
	err  error
}

// NewStream starts a run of MQTT bytes written to w as Bytes writes them.
func NewStream(w io.Writer, opt Options) *Stream {
	s := &Stream{bw: bufio.NewWriterSize(w, 64<<10), conv: output.NewConversation(opt.Version)}
	s.out.init(s.bw, opt)
	return s
}

// Write takes the next bytes of the run and writes the PDUs they complete.
func (s *Stream) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	data := p
	if len(s.buf) > 0 {
		s.buf = append(s.buf, p...)
		data = s.buf
	}
	for len(data) > 0 {
		n, ok, err := pduLen(data)
		if err != nil || !ok || n > len(data) {
			break // framing needs more bytes, or ends: Close shows the rest
		}
		if s.err = s.pdu(data[:n], true); s.err != nil {
			return 0, s.err
		}
		data = data[n:]
	}
	// Keep what is left for the next Write (it may alias s.buf).
	s.buf = append(s.buf[:0], data...)
	return len(p), nil
}

// Abort ends a run whose input turned out bad part way: the PDUs
// dissected so far are written and the output is ended (JSON's array
// closed, as tshark closes it on a file cut short). The bytes of an
// incomplete PDU are dropped: the bad input cut them, not the sender.
func (s *Stream) Abort() (Stats, error) {
	if s.err != nil {
		return s.st, s.err
	}
	s.buf = nil
	if err := s.out.finish(); err != nil {
		return s.st, err
	}
	return s.st, s.bw.Flush()
}

// Close writes what is left, a PDU the bytes do not hold in full, marked
// malformed as Bytes does, and ends the output.
func (s *Stream) Close() (Stats, error) {
	if s.err != nil {
		return s.st, s.err
	}
	if len(s.buf) > 0 {
		_, ok, err := pduLen(s.buf)
		if err := s.pdu(s.buf, ok && err == nil); err != nil {
			return s.st, err
		}
		s.buf = nil
	}
	if err := s.out.finish(); err != nil {
		return s.st, err
	}
	return s.st, s.bw.Flush()
}

// pdu dissects and writes one PDU; framed says its length was read.
func (s *Stream) pdu(b []byte, framed bool) error {
	s.conv.DissectInto(&s.d, b)
	s.st.Frames++
	s.st.PDUs++
	if s.d.Malformed() || !framed {
		s.st.Malformed++
	}
	return s.out.hexPDU(&s.d, s.st.Frames)
}
