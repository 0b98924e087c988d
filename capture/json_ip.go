package capture

import (
	"encoding/binary"
	"net/netip"

	"github.com/mqtap/mqtap/output"
)

// jsonIPv4 is the "ip" layer of a header writeIPv4 accepted.
func jsonIPv4(a *output.JSONArena, d []byte) *output.JSONObject {
	o := a.Object()
	hl := int(d[0]&0xf) * 4
	tos := d[1]
	ff := binary.BigEndian.Uint16(d[6:])
	fl := uint64(ff >> 13)
	o.Add("ip.version", "4")
	o.Add("ip.hdr_len", itoa(hl))
	o.Add("ip.dsfield", hexField(uint64(tos), 2))
	ds := o.AddObject("ip.dsfield_tree")
	ds.Add("ip.dsfield.dscp", utoa(uint64(tos>>2)))
	ds.Add("ip.dsfield.ecn", utoa(uint64(tos&3)))
	o.Add("ip.len", utoa(uint64(binary.BigEndian.Uint16(d[2:]))))
	o.Add("ip.id", hexField(uint64(binary.BigEndian.Uint16(d[4:])), 4))
	o.Add("ip.flags", hexField(fl, 2))
	ft := o.AddObject("ip.flags_tree")
	ft.Add("ip.flags.rb", bit(fl&4 != 0))
	ft.Add("ip.flags.df", bit(fl&2 != 0))
	ft.Add("ip.flags.mf", bit(fl&1 != 0))
	o.Add("ip.frag_offset", utoa(uint64(ff&0x1fff)*8))
	o.Add("ip.ttl", utoa(uint64(d[8])))
	o.Add("ip.proto", utoa(uint64(d[9])))
	o.Add("ip.checksum", hexField(uint64(binary.BigEndian.Uint16(d[10:])), 4))
	o.Add("ip.checksum.status", "2") // unverified
	jsonAddrs(o, &ipv4AddrKeys, netip.AddrFrom4([4]byte(d[12:16])), netip.AddrFrom4([4]byte(d[16:20])))
	return o
}

// jsonIPv6 is the "ipv6" layer of a header writeIPv6 accepted.
func jsonIPv6(a *output.JSONArena, d []byte) *output.JSONObject {
	o := a.Object()
	w := uint64(binary.BigEndian.Uint32(d))
	tc := uint8(w >> 20)
	o.Add("ipv6.version", "6")
	o.Add("ip.version", "6")
	o.Add("ipv6.tclass", hexField(uint64(tc), 8))
	t := o.AddObject("ipv6.tclass_tree")
	t.Add("ipv6.tclass.dscp", utoa(uint64(tc>>2)))
	t.Add("ipv6.tclass.ecn", utoa(uint64(tc&3)))
	o.Add("ipv6.flow", hexField(w&0xfffff, 6))
	o.Add("ipv6.plen", utoa(uint64(binary.BigEndian.Uint16(d[4:]))))
	o.Add("ipv6.nxt", utoa(uint64(d[6])))
	o.Add("ipv6.hlim", utoa(uint64(d[7])))
	jsonAddrs(o, &ipv6AddrKeys, netip.AddrFrom16([16]byte(d[8:24])), netip.AddrFrom16([16]byte(d[24:40])))
	return o
}

// ipAddrKeys are the keys of jsonAddrs, for "ip" and "ipv6": per
// direction the address, "<proto>.addr", its host and "<proto>.host".
type ipAddrKeys [2][4]string

var (
	ipv4AddrKeys = ipAddrKeys{{"ip.src", "ip.addr", "ip.src_host", "ip.host"}, {"ip.dst", "ip.addr", "ip.dst_host", "ip.host"}}
	ipv6AddrKeys = ipAddrKeys{{"ipv6.src", "ipv6.addr", "ipv6.src_host", "ipv6.host"}, {"ipv6.dst", "ipv6.addr", "ipv6.dst_host", "ipv6.host"}}
)

// jsonAddrs adds the source and destination with the generated fields
// tshark puts after each (any-direction address, host name).
func jsonAddrs(o *output.JSONObject, k *ipAddrKeys, src, dst netip.Addr) {
	for i, a := range [2]netip.Addr{src, dst} {
		s := a.String()
		for _, key := range k[i] {
			o.Add(key, s)
		}
	}
}
