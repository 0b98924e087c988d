package commands

import (
	"fmt"
	"os"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/pcapout"
	"github.com/urfave/cli/v2"
)

// runOutput is where a connecting command's packet events go: -d trace
// lines on stderr, a --write capture, and (added by the command) -v
// dissections.
type runOutput struct {
	log      *packetLog
	pcap     *pcapout.Writer
	pcapFile *os.File
}

func newRunOutput(c *cli.Context, s *connSettings) (*runOutput, error) {
	r := &runOutput{log: &packetLog{clientID: s.connect.ClientID}}
	if s.debug {
		r.log.trace = newTracer(c.App.ErrWriter)
	}
	if s.pcapFile != "" {
		f, err := os.Create(s.pcapFile)
		if err != nil {
			// A path that cannot be written is a bad flag value, as in
			// broker and proxy.
			return nil, usageError("--%s %s: %v", flagWrite, s.pcapFile, pathReason(err))
		}
		w, err := pcapout.NewWriter(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("--write %s: %w", s.pcapFile, err)
		}
		r.pcap, r.pcapFile = w, f
		r.log.sinks = append(r.log.sinks, func(e mqttwire.Event) {
			// A write error surfaces when the file is closed.
			_ = w.Packet(e.Time, e.Dir == mqttwire.Out, e.Local, e.Remote, e.Raw)
		})
	}
	return r, nil
}

// close finishes the capture file.
func (r *runOutput) close() error {
	if r.pcap == nil {
		return nil
	}
	r.log.mu.Lock()
	defer r.log.mu.Unlock()
	err := r.pcap.Close(time.Now())
	if cerr := r.pcapFile.Close(); err == nil {
		err = cerr
	}
	r.pcap = nil
	return err
}
