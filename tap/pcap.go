package tap

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"time"

	"github.com/mqtap/mqtap/pcapout"
)

// pcapout writes one TCP conversation per file; a tap records many at once
// into one file. Each session gets its own pcapout.Writer whose output goes
// to a recordSink, which drops that writer's file header and passes only
// whole records on to the shared file, so that records of concurrent
// sessions never interleave mid-record.

// pcapHeaderLen and pcapRecordHeaderLen are the sizes of the pcap file
// header and of a record header.
const (
	pcapHeaderLen       = 24
	pcapRecordHeaderLen = 16
	// pcapFlushDelay bounds how long a record waits in the buffer before it
	// reaches the file, so that a running capture can be opened.
	pcapFlushDelay = 250 * time.Millisecond
)

// pcapFile is the shared file.
type pcapFile struct {
	mu        sync.Mutex
	bw        *bufio.Writer
	err       error
	scheduled bool
	closed    bool
}

func newPcapFile(w io.Writer) (*pcapFile, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	// A writer that records nothing writes just the file header.
	hw, err := pcapout.NewWriter(bw)
	if err == nil {
		err = hw.Close(time.Time{})
	}
	if err != nil {
		return nil, err
	}
	return &pcapFile{bw: bw}, nil
}

// write appends whole records and schedules a flush.
func (f *pcapFile) write(records []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || f.err != nil {
		return
	}
	_, f.err = f.bw.Write(records)
	if !f.scheduled {
		f.scheduled = true
		time.AfterFunc(pcapFlushDelay, f.flush)
	}
}

func (f *pcapFile) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scheduled = false
	if !f.closed && f.err == nil {
		f.err = f.bw.Flush()
	}
}

// close flushes; later writes are dropped.
func (f *pcapFile) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return f.err
	}
	f.closed = true
	if f.err == nil {
		f.err = f.bw.Flush()
	}
	return f.err
}

// pcapConv records one session.
type pcapConv struct {
	w      *pcapout.Writer
	buf    *bufio.Writer // pcapout's own buffer, flushed after every packet
	sink   *recordSink
	client net.Addr
	server net.Addr
}

func (f *pcapFile) open(client, server net.Addr) *pcapConv {
	sink := &recordSink{file: f}
	// bufio.NewWriter inside pcapout returns this writer as is (it is big
	// enough), so flushing it pushes pcapout's records out promptly.
	buf := bufio.NewWriterSize(sink, 64<<10)
	w, err := pcapout.NewWriter(buf)
	if err != nil {
		return nil
	}
	return &pcapConv{w: w, buf: buf, sink: sink, client: client, server: server}
}

// packet records bytes one side sent.
func (c *pcapConv) packet(t time.Time, fromClient bool, b []byte) {
	if c == nil {
		return
	}
	if c.w.Packet(t, fromClient, c.client, c.server, b) == nil {
		c.buf.Flush()
	}
}

// close records the end of the conversation.
func (c *pcapConv) close(t time.Time) {
	if c == nil {
		return
	}
	c.w.Close(t)
}

// recordSink receives one pcapout.Writer's output: the file header, then
// records. It forwards whole records only.
type recordSink struct {
	file   *pcapFile
	buf    []byte
	header bool // the file header has been seen
	order  binary.ByteOrder
}

func (s *recordSink) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	if !s.header {
		if len(s.buf) < pcapHeaderLen {
			return len(p), nil
		}
		s.order = binary.LittleEndian
		if s.buf[0] == 0xa1 { // magic written big-endian
			s.order = binary.BigEndian
		}
		s.buf = s.buf[pcapHeaderLen:]
		s.header = true
	}
	n := 0
	for len(s.buf)-n >= pcapRecordHeaderLen {
		size := pcapRecordHeaderLen + int(s.order.Uint32(s.buf[n+8:n+12]))
		if len(s.buf)-n < size {
			break
		}
		n += size
	}
	if n > 0 {
		s.file.write(s.buf[:n])
		s.buf = append(s.buf[:0], s.buf[n:]...)
	}
	return len(p), nil
}
