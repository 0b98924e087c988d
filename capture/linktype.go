package capture

// LinkType is the link-layer header type of a capture (tcpdump.org's
// LINKTYPE_ values): the pcap header's network field, or a pcapng
// interface's link type.
type LinkType uint16

// The link types the package dissects. The others are rendered as
// "Unknown" encapsulation with the frame's bytes as raw data.
const (
	LinkTypeNull      LinkType = 0   // BSD loopback, family in host byte order
	LinkTypeEthernet  LinkType = 1   // Ethernet II
	LinkTypeRawDLT    LinkType = 12  // DLT_RAW's own value, found in files that did not map it to LINKTYPE_RAW
	LinkTypeRaw       LinkType = 101 // raw IPv4 or IPv6, told apart by the version nibble
	LinkTypeLoop      LinkType = 108 // OpenBSD loopback, family in network byte order
	LinkTypeLinuxSLL  LinkType = 113 // Linux cooked capture v1
	LinkTypeIPv4      LinkType = 228
	LinkTypeIPv6      LinkType = 229
	LinkTypeLinuxSLL2 LinkType = 276 // Linux cooked capture v2
)
