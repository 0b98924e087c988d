// Package tap shows live MQTT connections as Wireshark would. It sits on
// the byte streams of a connection (a proxy's two sockets, or a broker's
// accepted net.Conn), cuts each direction into PDUs, dissects them with
// the output package, learns the client id from CONNECT, and writes a
// summary line, a tree or a JSON object per packet, serialised across all
// connections. Optionally every byte is also recorded as a pcap file.
//
// The tap only watches: the caller has already forwarded or consumed the
// bytes it is given, and nothing the tap does changes them.
package tap
