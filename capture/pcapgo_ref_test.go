package capture

import (
	"bufio"
	"encoding/binary"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// pcapgoSource is the reader mqtap used before it had its own: gopacket's
// pcapgo behind the same next method. The differential tests and the
// benchmark compare source with it.
type pcapgoSource struct {
	pcap *pcapgo.Reader
	ng   *pcapgo.NgReader
	// cache keeps each interface's name and resolution by id, as the old
	// code did. It was not cleared by a new section, so the differential
	// tests look the interface up on every frame instead.
	cache bool
	ifs   []ngIfaceRef
}

type ngIfaceRef struct {
	known  bool
	name   string
	digits int
}

func refResolutionDigits(r gopacket.TimestampResolution) int {
	if r.Base != 10 || r.Exponent >= 0 {
		return 9
	}
	// wiretap's precision for 10^e units a second: 10^4 and 10^5 show
	// milliseconds, 10^7 and 10^8 microseconds.
	switch e := -r.Exponent; {
	case e >= 9:
		return 9
	case e >= 6:
		return 6
	case e >= 3:
		return 3
	default:
		return e
	}
}

func openPcapgoSource(r io.Reader, cache bool) (*pcapgoSource, error) {
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
		return &pcapgoSource{ng: ng, cache: cache}, nil
	case le == magicMicro || be == magicMicro || le == magicNano || be == magicNano:
		p, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, err
		}
		return &pcapgoSource{pcap: p, cache: cache}, nil
	}
	return nil, ErrUnknownFormat
}

func (s *pcapgoSource) next(f *rawFrame) error {
	if s.pcap != nil {
		data, ci, err := s.pcap.ZeroCopyReadPacketData()
		if err != nil {
			return err
		}
		f.data, f.ts, f.wireLen, f.link = data, ci.Timestamp, ci.Length, LinkType(s.pcap.LinkType())
		f.ifaceSet = false
		f.section = 0
		f.digits = refResolutionDigits(s.pcap.Resolution())
		return nil
	}
	data, ci, err := s.ng.ZeroCopyReadPacketData()
	if err != nil {
		return err
	}
	f.data, f.ts, f.wireLen = data, ci.Timestamp, ci.Length
	f.link = LinkType(s.ng.LinkType())
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			f.link = LinkType(lt)
		}
	}
	f.ifaceID = ci.InterfaceIndex
	f.ifaceSet = true
	f.section = 1
	if !s.cache {
		s.ifs = s.ifs[:0]
	}
	for len(s.ifs) <= f.ifaceID {
		s.ifs = append(s.ifs, ngIfaceRef{})
	}
	ifc := &s.ifs[f.ifaceID]
	if !ifc.known {
		ifc.known, ifc.digits = true, 9
		if i, err := s.ng.Interface(f.ifaceID); err == nil {
			ifc.name, ifc.digits = i.Name, refResolutionDigits(i.Resolution())
			// gopacket converts binary resolutions and ones finer than
			// 10^-10 otherwise than wiretap, whose arithmetic this
			// package follows (TestLayoutsTshark checks it against
			// tshark): such times are not compared.
			if r := i.TimestampResolution; r.Binary() || r.Exponent() > 10 {
				ifc.digits = -1
			}
		}
	}
	f.ifName, f.digits = ifc.name, ifc.digits
	if f.digits < 0 {
		f.ts = time.Time{}
	}
	return nil
}
