package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// ErrUnknownFormat is returned by NewReader when the input is neither pcap
// nor pcapng.
var ErrUnknownFormat = errors.New("capture: not a pcap or pcapng file")

// rawFrame is one record read from the file. data is owned by the file
// reader and only valid until the next read.
type rawFrame struct {
	data     []byte
	ts       time.Time
	wireLen  int
	link     layers.LinkType
	ifaceID  int
	ifaceSet bool // pcapng: interface id/name known
	ifName   string
	section  int
	digits   int // decimal places of the timestamps' resolution
}

// source hides the pcap/pcapng difference. Both gopacket readers stream from
// a bufio.Reader and reuse their packet buffer (ZeroCopyReadPacketData), so
// memory stays flat whatever the file size.
type source struct {
	pcap *pcapgo.Reader
	ng   *pcapgo.NgReader
	ifs  []ngIface // pcapng interfaces, cached by id
}

type ngIface struct {
	known  bool
	name   string
	digits int
}

// resolutionDigits is how many decimals tshark shows for timestamps of a
// resolution (wiretap's tsprec): 6 for microseconds, 9 for nanoseconds.
func resolutionDigits(r gopacket.TimestampResolution) int {
	if r.Base != 10 || r.Exponent >= 0 {
		return 9
	}
	return min(-r.Exponent, 9)
}

const (
	magicMicro    = 0xa1b2c3d4
	magicNano     = 0xa1b23c4d
	magicNgHeader = 0x0a0d0d0a
)

func openSource(r io.Reader) (*source, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(4)
	if err != nil {
		if err == io.EOF {
			return nil, ErrUnknownFormat
		}
		return nil, err
	}
	le := binary.LittleEndian.Uint32(head)
	be := binary.BigEndian.Uint32(head)
	switch {
	case le == magicNgHeader:
		opts := pcapgo.DefaultNgReaderOptions
		opts.WantMixedLinkType = true
		ng, err := pcapgo.NewNgReader(br, opts)
		if err != nil {
			return nil, err
		}
		return &source{ng: ng}, nil
	case le == magicMicro || be == magicMicro || le == magicNano || be == magicNano:
		p, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, err
		}
		return &source{pcap: p}, nil
	}
	return nil, ErrUnknownFormat
}

func (s *source) next(f *rawFrame) error {
	if s.pcap != nil {
		data, ci, err := s.pcap.ZeroCopyReadPacketData()
		if err != nil {
			return err
		}
		f.data, f.ts, f.wireLen, f.link = data, ci.Timestamp, ci.Length, s.pcap.LinkType()
		f.ifaceSet = false
		f.section = 0
		f.digits = resolutionDigits(s.pcap.Resolution())
		return nil
	}
	data, ci, err := s.ng.ZeroCopyReadPacketData()
	if err != nil {
		return err
	}
	f.data, f.ts, f.wireLen = data, ci.Timestamp, ci.Length
	f.link = s.ng.LinkType()
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			f.link = lt
		}
	}
	f.ifaceID = ci.InterfaceIndex
	f.ifaceSet = true
	f.section = 1
	for len(s.ifs) <= f.ifaceID {
		s.ifs = append(s.ifs, ngIface{})
	}
	ifc := &s.ifs[f.ifaceID]
	if !ifc.known {
		ifc.known, ifc.digits = true, 9
		if i, err := s.ng.Interface(f.ifaceID); err == nil {
			ifc.name, ifc.digits = i.Name, resolutionDigits(i.Resolution())
		}
	}
	f.ifName, f.digits = ifc.name, ifc.digits
	return nil
}
