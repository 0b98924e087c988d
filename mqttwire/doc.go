// Package mqttwire is mqtap's own MQTT codec for MQTT 3.1, 3.1.1 and 5.0:
// one Go type per control packet, each with its encoder and decoder, the
// MQTT 5.0 property and reason-code tables, a stream reader, and the client
// session (Conn) over any net.Conn.
//
// Decoding keeps the wire facts a dissector must show (the fixed-header
// byte, the remaining length as sent, property block lengths, properties in
// wire order including repeats and unknown ids). It never panics: on bad
// input it returns what it decoded so far together with a *MalformedError
// (the structure cannot be followed further) or a *ProtocolError (the
// structure is sound but breaks a rule of the specification; decoding went
// on to the end, as Wireshark shows such packets in full).
//
// Decoded strings and byte slices alias the input buffer: callers that reuse
// the buffer must copy what they keep. This is what makes decoding a PUBLISH
// into a reused value allocation-free.
//
// The protocol version is always an explicit input, because it changes the
// layout of most packets; VersionOf learns it from a CONNECT.
package mqttwire
