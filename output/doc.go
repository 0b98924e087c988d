// Package output renders decoded MQTT packets the way tshark 4.0.17 shows
// them: the packet-details tree (-V), the Info column and packet-list line,
// the bytes pane (-x) and the "mqtt" layer of -T json.
//
// Every field is declared once in registry.go (label, filter name, kind,
// base, mask, value strings from values.go), as in Wireshark's dissector;
// the tree and the JSON are two walks over the same item list, built once
// per PDU by Dissect in the order tshark's dissector adds its items.
//
// Use:
//
//	conv := output.NewConversation(0) // one per TCP connection, both directions
//	d := conv.Dissect(pdu)            // one whole PDU; CONNECT teaches the version
//	output.WriteTree(w, d, output.Prefs{}, output.NewPalette(color))
//	info := output.Info(d)            // join a frame's PDUs with ", "
//	layers := output.JSONLayers(d, prefs) // "mqtt" (+ "_ws.malformed", "json", "data-text-lines")
//	proto := output.FrameProtocol(ds) // Protocol column: "MQTT" or "MQTT/JSON"
//	protos += output.ExtraProtocols(d) // after ":mqtt" in [Protocols in frame], per PDU
//	if d.EndsFrame() { ... }          // tshark shows no later PDU of this frame
//
// Payloads: when an MQTT 5.0 PUBLISH has a Content Type that tshark's
// media_type table maps to JSON (application/json and the other types in
// payload.go) or to data-text-lines (text/plain, text/html, ...), the sections
// tshark adds after the MQTT one ("JavaScript Object Notation: ...",
// "Line-based text data: ...") are built by Dissect and written by
// WriteTree/AppendTree after the MQTT section; Info, Protocol,
// ExtraProtocols and JSONLayers include them. packet-json.c's quirks are
// reproduced (payload_json.go). Content types tshark maps to other
// dissectors (XML, CBOR, data...) get no section here.
//
// Framing is the caller's: tshark shows a PDU in the frame where its last
// byte arrives, and never shows one whose remaining length is not a valid
// varint or whose bytes never all arrive (it waits for reassembly); so a
// caller matching tshark skips such a tail instead of dissecting it.
//
// Malformed packets: the codec's MalformedError says at which field it
// stopped; the tree shows what tshark shows up to there (including a
// declared length that overran) and ends with "[Malformed Packet: MQTT]".
// Inside an MQTT 5.0 property block tshark reads the identifier as one
// byte, shows an unknown property's remaining bytes as a string and reads
// values up to the packet's end rather than the block's; the rest of a
// block the codec stopped in is walked that way (properties.go).
//
// Limitations: after such a walk goes on past where the codec stopped
// (unknown property id, value crossing the block end), PUBLISH, CONNACK,
// the acks, SUBACK, UNSUBACK, DISCONNECT and AUTH continue from the raw
// bytes as tshark does; CONNECT, SUBSCRIBE and UNSUBSCRIBE end there as
// malformed. A PDU cut short by the input (not by its own lengths) is shown
// as malformed, where tshark, given a truncated capture, would say
// "[Packet size limited during capture]".
package output
