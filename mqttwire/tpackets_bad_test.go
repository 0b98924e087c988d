package mqttwire

// badPackets break the specifications. A *MalformedError stops decoding at
// its Offset and want holds what was decoded before it; a *ProtocolError
// leaves the packet decoded in full. Several come from crafted-malformed.pcapng
// (testdata/streams/crafted-malformed.*), whose bytes tshark dissected.
var badPackets = []tpacket{
	// Fixed header and remaining length.
	{
		name: "bad/empty-input", version: V311, desc: "no bytes at all",
		raw: wire(),
		err: &MalformedError{Field: FieldFixedHeader, Length: -1, Reason: "no bytes", Incomplete: true},
		msg: "malformed RESERVED: no bytes at offset 0",
	},
	{
		name: "bad/remaining-length-cut-short", version: V311, desc: "input ends inside the remaining length",
		raw: wire(0x32, 0x80), // PUBLISH, first remaining length byte with continuation bit
		err: &MalformedError{Packet: TypePublish, Field: FieldRemainingLength, Offset: 1, Length: -1,
			Reason: "variable byte integer cut short", Incomplete: true},
		msg: "malformed PUBLISH: variable byte integer cut short at offset 1",
	},
	{
		name: "bad/remaining-length-5-bytes", version: V311, desc: "crafted-malformed.pcapng frame 4, second packet",
		raw: wire(
			0x30,                         // PUBLISH QoS 0
			0xFF, 0xFF, 0xFF, 0xFF, 0x01, // remaining length: five bytes
			0x00, 0x01, "t", // topic
			"x", // payload
		),
		err: &MalformedError{Packet: TypePublish, Field: FieldRemainingLength, Offset: 1, Length: -1,
			Reason: "variable byte integer longer than 4 bytes"},
		msg: "malformed PUBLISH: variable byte integer longer than 4 bytes at offset 1",
	},
	{
		name: "bad/remaining-length-not-shortest", version: V311, desc: "0 written in two bytes (MQTT 5.0 §1.5.5)",
		raw: wire(0xE0, 0x80, 0x00), // DISCONNECT, remaining length 0 as 0x80 0x00
		err: &MalformedError{Packet: TypeDisconnect, Field: FieldRemainingLength, Offset: 1, Length: -1,
			Reason: "variable byte integer not in its shortest form"},
		msg: "malformed DISCONNECT: variable byte integer not in its shortest form at offset 1",
	},
	{
		name: "bad/reserved-type-0", version: V311, desc: "packet type 0 is reserved",
		raw: wire(0x00, 0x00),
		err: &MalformedError{Packet: TypeReserved, Field: FieldFixedHeader, Length: -1, Reason: "reserved packet type 0"},
		msg: "malformed RESERVED: reserved packet type 0 at offset 0",
	},
	{
		name: "bad/remaining-length-over-input", version: V311, desc: "declares 100 bytes, sends 23: crafted-malformed.pcapng frame 67",
		raw: wire(
			0x30, 0x64, // PUBLISH QoS 0, remaining length 100
			0x00, 0x05, "trunc", // topic
			"only a few bytes", // payload, cut short
		),
		want: &Publish{Fixed: fixed(0x30, 100), Topic: "trunc", Payload: []byte("only a few bytes")},
		err: &MalformedError{Packet: TypePublish, Field: FieldRemainingLength, Offset: 25, Length: 100,
			Reason: "input ends before the remaining length", Incomplete: true},
		msg: "malformed PUBLISH: input ends before the remaining length at offset 25",
	},
	{
		name: "bad/pingreq-left-over", version: V311, desc: "PINGREQ with a body byte: crafted-malformed.pcapng frame 76",
		raw:  wire(0xC0, 0x01, 0x00), // PINGREQ, remaining length 1, one stray byte
		want: &Pingreq{Fixed: fixed(0xC0, 1)},
		err: &ProtocolError{Packet: TypePingreq, Field: FieldRemainingLength, Offset: 2,
			Reason: "1 bytes left over after the packet's fields", Code: CodeMalformedPacket},
		msg: "invalid PINGREQ: 1 bytes left over after the packet's fields at offset 2",
	},
	{
		name: "bad/subscribe-reserved-flags", version: V311, desc: "SUBSCRIBE with flags 0000: crafted-malformed.pcapng frame 40",
		raw: wire(
			0x80, 0x08, // SUBSCRIBE with flags 0000 instead of 0010
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", 0x01, // filter, QoS 1
		),
		want: &Subscribe{Fixed: fixed(0x80, 8), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 1}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldFixedHeader, Offset: 0,
			Reason: "reserved flags 0x0, want 0x2", Code: CodeMalformedPacket},
		msg: "invalid SUBSCRIBE: reserved flags 0x0, want 0x2 at offset 0",
	},
	{
		name: "bad/pubrel-reserved-flags", version: V311, desc: "PUBREL must have flags 0010 (MQTT 3.1.1 §3.6.1)",
		raw:  wire(0x60, 0x02, 0x00, 0x01), // PUBREL with flags 0000, packet identifier 1
		want: &Pubrel{Ack{Fixed: fixed(0x60, 2), PacketID: 1}},
		err: &ProtocolError{Packet: TypePubrel, Field: FieldFixedHeader, Offset: 0,
			Reason: "reserved flags 0x0, want 0x2", Code: CodeMalformedPacket},
		msg: "invalid PUBREL: reserved flags 0x0, want 0x2 at offset 0",
	},
	{
		name: "bad/disconnect-reserved-flags", version: V5, desc: "DISCONNECT with a flag bit",
		raw:  wire(0xE1, 0x00), // DISCONNECT with flags 0001
		want: &Disconnect{Fixed: fixed(0xE1, 0)},
		err: &ProtocolError{Packet: TypeDisconnect, Field: FieldFixedHeader, Offset: 0,
			Reason: "reserved flags 0x1, want 0x0", Code: CodeMalformedPacket},
		msg: "invalid DISCONNECT: reserved flags 0x1, want 0x0 at offset 0",
	},
	{
		name: "bad/auth-in-v311", version: V311, desc: "AUTH exists in MQTT 5.0 only",
		raw:  wire(0xF0, 0x00), // AUTH, remaining length 0
		want: &Auth{Fixed: fixed(0xF0, 0)},
		err: &ProtocolError{Packet: TypeAuth, Field: FieldFixedHeader, Offset: 0,
			Reason: "AUTH does not exist in MQTT 3.1.1", Code: CodeProtocolError},
		msg: "invalid AUTH: AUTH does not exist in MQTT 3.1.1 at offset 0",
	},

	// PUBLISH
	{
		name: "bad/publish-qos3", version: V311, desc: "QoS 3: crafted-malformed.pcapng frame 22",
		raw: wire(
			0x36, 0x07, // PUBLISH QoS 3, remaining length 7
			0x00, 0x03, "a/b", // topic
			0x00, 0x01, // packet identifier 1 (read as Wireshark does)
		),
		want: &Publish{Fixed: fixed(0x36, 7), QoS: 3, Topic: "a/b", PacketID: 1},
		err:  &ProtocolError{Packet: TypePublish, Field: FieldFixedHeader, Offset: 0, Reason: "QoS 3", Code: CodeMalformedPacket},
		msg:  "invalid PUBLISH: QoS 3 at offset 0",
	},
	{
		name: "bad/publish-dup-qos0", version: V311, desc: "DUP must be 0 for QoS 0 (MQTT 3.1.1 §3.3.1.1)",
		raw: wire(
			0x38, 0x04, // PUBLISH DUP, QoS 0, remaining length 4
			0x00, 0x01, "t", // topic
			"x", // payload
		),
		want: &Publish{Fixed: fixed(0x38, 4), Dup: true, Topic: "t", Payload: []byte("x")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldFixedHeader, Offset: 0,
			Reason: "DUP set on a QoS 0 message", Code: CodeMalformedPacket},
		msg: "invalid PUBLISH: DUP set on a QoS 0 message at offset 0",
	},
	{
		name: "bad/publish-topic-overrun", version: V311, desc: "topic length 300 in a 5-byte body: crafted-malformed.pcapng frame 13",
		raw: wire(
			0x30, 0x05, // PUBLISH QoS 0, remaining length 5
			0x01, 0x2C, // topic length 300
			"abc", // the rest of the packet
		),
		want: &Publish{Fixed: fixed(0x30, 5)},
		err: &MalformedError{Packet: TypePublish, Field: FieldTopic, Offset: 2, Length: 300,
			Reason: "topic length 300 overruns packet"},
		msg: "malformed PUBLISH: topic length 300 overruns packet at offset 2",
	},
	{
		name: "bad/publish-invalid-utf8", version: V311, desc: "topic a\\xFF\\xFE: crafted-malformed.pcapng frame 49",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x03, 0x61, 0xFF, 0xFE, // topic: not UTF-8
			"z", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "a\xFF\xFE", Payload: []byte("z")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 4,
			Reason: "topic is not valid UTF-8 or contains U+0000", Code: CodeMalformedPacket},
		msg: "invalid PUBLISH: topic is not valid UTF-8 or contains U+0000 at offset 4",
	},
	{
		name: "bad/publish-u0000", version: V311, desc: "U+0000 in a topic (MQTT 5.0 §1.5.4)",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x03, "a", 0x00, "b", // topic with U+0000
			"z", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "a\x00b", Payload: []byte("z")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 4,
			Reason: "topic is not valid UTF-8 or contains U+0000", Code: CodeMalformedPacket},
		msg: "invalid PUBLISH: topic is not valid UTF-8 or contains U+0000 at offset 4",
	},
	{
		name: "bad/publish-u0000-after-non-ascii", version: V5, desc: "U+0000 after a multi-byte character",
		raw: wire(
			0x30, 0x08, // PUBLISH QoS 0, remaining length 8
			0x00, 0x04, "é", 0x00, "b", // topic: U+00E9, U+0000, b
			0x00, // property length 0
			"z",  // payload
		),
		want: &Publish{Fixed: fixed(0x30, 8), Topic: "é\x00b", Payload: []byte("z")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 4,
			Reason: "topic is not valid UTF-8 or contains U+0000", Code: CodeMalformedPacket},
		msg: "invalid PUBLISH: topic is not valid UTF-8 or contains U+0000 at offset 4",
	},
	{
		name: "bad/publish-wildcard-plus", version: V311, desc: "wildcards are for filters only (MQTT 3.1.1 §3.3.2.1)",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x03, "a/+", // topic
			"x", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "a/+", Payload: []byte("x")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 2,
			Reason: `topic "a/+" contains a wildcard`, Code: CodeTopicNameInvalid},
		msg: `invalid PUBLISH: topic "a/+" contains a wildcard at offset 2`,
	},
	{
		name: "bad/publish-wildcard-hash", version: V5, desc: "wildcards are for filters only (MQTT 5.0 §3.3.2.1)",
		raw: wire(
			0x30, 0x04, // PUBLISH QoS 0, remaining length 4
			0x00, 0x01, "#", // topic
			0x00, // property length 0
		),
		want: &Publish{Fixed: fixed(0x30, 4), Topic: "#"},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 2,
			Reason: `topic "#" contains a wildcard`, Code: CodeTopicNameInvalid},
		msg: `invalid PUBLISH: topic "#" contains a wildcard at offset 2`,
	},
	{
		name: "bad/publish-empty-topic", version: V311, desc: "3.1.1 has no topic aliases",
		raw: wire(
			0x30, 0x03, // PUBLISH QoS 0, remaining length 3
			0x00, 0x00, // topic ""
			"x", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 3), Payload: []byte("x")},
		err:  &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 2, Reason: "empty topic", Code: CodeTopicNameInvalid},
		msg:  "invalid PUBLISH: empty topic at offset 2",
	},
	{
		name: "bad/publish-empty-topic-no-alias", version: V5, desc: "MQTT 5.0 §3.3.2.3.4: an empty topic needs a topic alias",
		raw: wire(
			0x30, 0x04, // PUBLISH QoS 0, remaining length 4
			0x00, 0x00, // topic ""
			0x00, // property length 0
			"x",  // payload
		),
		want: &Publish{Fixed: fixed(0x30, 4), Payload: []byte("x")},
		err: &ProtocolError{Packet: TypePublish, Field: FieldTopic, Offset: 2,
			Reason: "empty topic without a topic alias", Code: CodeProtocolError},
		msg: "invalid PUBLISH: empty topic without a topic alias at offset 2",
	},
	{
		name: "bad/publish-packet-id-0", version: V311, desc: "QoS 1 needs a non-zero packet identifier (MQTT 3.1.1 §2.3.1)",
		raw: wire(
			0x32, 0x07, // PUBLISH QoS 1, remaining length 7
			0x00, 0x03, "a/b", // topic
			0x00, 0x00, // packet identifier 0
		),
		want: &Publish{Fixed: fixed(0x32, 7), QoS: 1, Topic: "a/b"},
		err:  &ProtocolError{Packet: TypePublish, Field: FieldPacketID, Offset: 7, Reason: "packet identifier 0", Code: CodeProtocolError},
		msg:  "invalid PUBLISH: packet identifier 0 at offset 7",
	},
	{
		name: "bad/publish-packet-id-cut-short", version: V311, desc: "input ends inside the packet identifier",
		raw: wire(
			0x32, 0x07, // PUBLISH QoS 1, remaining length 7
			0x00, 0x03, "a/b", // topic
			0x00, // first byte of the packet identifier; the input ends
		),
		want: &Publish{Fixed: fixed(0x32, 7), QoS: 1, Topic: "a/b"},
		err: &MalformedError{Packet: TypePublish, Field: FieldPacketID, Offset: 7, Length: -1,
			Reason: "packet identifier needs 2 bytes, 1 left", Incomplete: true},
		msg: "malformed PUBLISH: packet identifier needs 2 bytes, 1 left at offset 7",
	},
	{
		name: "bad/publish-packet-id-missing", version: V311, desc: "remaining length too short for the packet identifier",
		raw: wire(
			0x32, 0x05, // PUBLISH QoS 1, remaining length 5
			0x00, 0x03, "a/b", // topic; no room for a packet identifier
		),
		want: &Publish{Fixed: fixed(0x32, 5), QoS: 1, Topic: "a/b"},
		err: &MalformedError{Packet: TypePublish, Field: FieldPacketID, Offset: 7, Length: -1,
			Reason: "packet identifier needs 2 bytes, 0 left"},
		msg: "malformed PUBLISH: packet identifier needs 2 bytes, 0 left at offset 7",
	},

	// MQTT 5.0 properties
	{
		name: "bad/publish-unknown-property-capture", version: V5,
		desc: "property 0x7F, in a packet cut one byte short: crafted-malformed.pcapng frame 58, second packet",
		raw: wire(
			0x30, 0x0E, // PUBLISH QoS 0, remaining length 14
			0x00, 0x01, "t", // topic
			0x08,                                           // property length 8
			0x7F, 0x01, 0x03, 0x00, 0x01, 0x61, 0x03, 0x78, // property 0x7F: unknown
			0x70, // payload (one byte of the two the packet declares)
		),
		want: &Publish{Fixed: fixed(0x30, 14), Topic: "t", Properties: props(8, Property{ID: 0x7F})},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 6, Length: -1,
			Reason: "unknown property identifier 0x7F"},
		msg: "malformed PUBLISH: unknown property identifier 0x7F at offset 6",
	},
	{
		name: "bad/publish-unknown-property-after-known", version: V5, desc: "properties before the unknown one are kept",
		raw: wire(
			0x30, 0x08, // PUBLISH QoS 0, remaining length 8
			0x00, 0x01, "t", // topic
			0x04,       // property length 4
			0x01, 0x01, // payload format indicator: UTF-8
			0x00, 0x00, // property 0x00: unknown
		),
		want: &Publish{Fixed: fixed(0x30, 8), Topic: "t", Properties: props(4, Property{ID: PropPayloadFormat, Int: 1}, Property{ID: 0})},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 8, Length: -1,
			Reason: "unknown property identifier 0x00"},
		msg: "malformed PUBLISH: unknown property identifier 0x00 at offset 8",
	},
	{
		name: "bad/publish-two-byte-property-id", version: V5, desc: "identifier 257 (0x81 0x02) is unknown, not 0x01",
		raw: wire(
			0x30, 0x07, // PUBLISH QoS 0, remaining length 7
			0x00, 0x01, "t", // topic
			0x03,             // property length 3
			0x81, 0x02, 0x01, // property 257 with what would be a payload format value
		),
		want: &Publish{Fixed: fixed(0x30, 7), Topic: "t", Properties: props(3)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 6, Length: -1,
			Reason: "unknown property identifier 0x101"},
		msg: "malformed PUBLISH: unknown property identifier 0x101 at offset 6",
	},
	{
		name: "bad/publish-properties-overrun", version: V5, desc: "property length 32 in an 8-byte packet",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x01, "t", // topic
			0x20,       // property length 32
			0x01, 0x01, // payload format indicator
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "t", Properties: props(32)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 5, Length: 32,
			Reason: "properties length 32 overruns packet"},
		msg: "malformed PUBLISH: properties length 32 overruns packet at offset 5",
	},
	{
		name: "bad/publish-property-string-overruns-block", version: V5, desc: "a content type running past its property block",
		raw: wire(
			0x30, 0x0A, // PUBLISH QoS 0, remaining length 10
			0x00, 0x01, "t", // topic
			0x04,             // property length 4
			0x03, 0x00, 0x05, // content type, length 5
			"a",  // the rest of the block
			"bc", // payload
		),
		want: &Publish{Fixed: fixed(0x30, 10), Topic: "t", Properties: props(4)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 7, Length: 5,
			Reason: "Content Type length 5 overruns the property block"},
		msg: "malformed PUBLISH: Content Type length 5 overruns the property block at offset 7",
	},
	{
		name: "bad/publish-property-value-cut", version: V5, desc: "a message expiry interval cut by the block's end",
		raw: wire(
			0x30, 0x07, // PUBLISH QoS 0, remaining length 7
			0x00, 0x01, "t", // topic
			0x03,             // property length 3
			0x02, 0x00, 0x00, // message expiry interval: two of its four bytes
		),
		want: &Publish{Fixed: fixed(0x30, 7), Topic: "t", Properties: props(3)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 7, Length: -1,
			Reason: "Message Expiry Interval needs 4 bytes, 2 left in the property block"},
		msg: "malformed PUBLISH: Message Expiry Interval needs 4 bytes, 2 left in the property block at offset 7",
	},
	{
		name: "bad/publish-subscription-id-5-bytes", version: V5, desc: "a variable byte integer property of five bytes",
		raw: wire(
			0x30, 0x0A, // PUBLISH QoS 0, remaining length 10
			0x00, 0x01, "t", // topic
			0x06,                               // property length 6
			0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, // subscription identifier: five bytes
		),
		want: &Publish{Fixed: fixed(0x30, 10), Topic: "t", Properties: props(6)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 7, Length: -1,
			Reason: "variable byte integer longer than 4 bytes"},
		msg: "malformed PUBLISH: variable byte integer longer than 4 bytes at offset 7",
	},
	{
		name: "bad/publish-subscription-id-cut", version: V5, desc: "a variable byte integer property cut by the block's end",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x01, "t", // topic
			0x02,       // property length 2
			0x0B, 0x80, // subscription identifier: continuation bit, then the block ends
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "t", Properties: props(2)},
		err: &MalformedError{Packet: TypePublish, Field: FieldProperties, Offset: 7, Length: -1,
			Reason: "variable byte integer cut short"},
		msg: "malformed PUBLISH: variable byte integer cut short at offset 7",
	},
	{
		name: "bad/publish-duplicate-property", version: V5, desc: "content type twice (MQTT 5.0 §3.3.2.3.9)",
		raw: wire(
			0x30, 0x12, // PUBLISH QoS 0, remaining length 18
			0x00, 0x01, "t", // topic
			0x0E,                     // property length 14
			0x03, 0x00, 0x04, "text", // content type
			0x03, 0x00, 0x04, "json", // content type again
		),
		want: &Publish{Fixed: fixed(0x30, 18), Topic: "t", Properties: props(14,
			Property{ID: PropContentType, Str: "text"}, Property{ID: PropContentType, Str: "json"})},
		err: &ProtocolError{Packet: TypePublish, Field: FieldProperties, Offset: 13,
			Reason: "property Content Type appears more than once", Code: CodeProtocolError},
		msg: "invalid PUBLISH: property Content Type appears more than once at offset 13",
	},
	{
		name: "bad/publish-property-not-allowed", version: V5, desc: "session expiry interval belongs to CONNECT, CONNACK and DISCONNECT",
		raw: wire(
			0x30, 0x09, // PUBLISH QoS 0, remaining length 9
			0x00, 0x01, "t", // topic
			0x05,                         // property length 5
			0x11, 0x00, 0x00, 0x00, 0x01, // session expiry interval 1
		),
		want: &Publish{Fixed: fixed(0x30, 9), Topic: "t", Properties: props(5, Property{ID: PropSessionExpiry, Int: 1})},
		err: &ProtocolError{Packet: TypePublish, Field: FieldProperties, Offset: 6,
			Reason: "property Session Expiry Interval not allowed in PUBLISH", Code: CodeProtocolError},
		msg: "invalid PUBLISH: property Session Expiry Interval not allowed in PUBLISH at offset 6",
	},
	{
		name: "bad/publish-subscription-id-0", version: V5, desc: "subscription identifier 0 (MQTT 5.0 §3.3.2.3.8)",
		raw: wire(
			0x30, 0x06, // PUBLISH QoS 0, remaining length 6
			0x00, 0x01, "t", // topic
			0x02,       // property length 2
			0x0B, 0x00, // subscription identifier 0
		),
		want: &Publish{Fixed: fixed(0x30, 6), Topic: "t", Properties: props(2, Property{ID: PropSubscriptionID, Int: 0})},
		err: &ProtocolError{Packet: TypePublish, Field: FieldProperties, Offset: 6,
			Reason: "property Subscription Identifier must not be 0", Code: CodeProtocolError},
		msg: "invalid PUBLISH: property Subscription Identifier must not be 0 at offset 6",
	},
	{
		name: "bad/subscribe-two-subscription-ids", version: V5, desc: "SUBSCRIBE may carry one subscription identifier (MQTT 5.0 §3.8.2.1.2)",
		raw: wire(
			0x82, 0x0B, // SUBSCRIBE, remaining length 11
			0x00, 0x01, // packet identifier 1
			0x04,       // property length 4
			0x0B, 0x01, // subscription identifier 1
			0x0B, 0x02, // subscription identifier 2
			0x00, 0x01, "a", 0x00, // filter, QoS 0
		),
		want: &Subscribe{Fixed: fixed(0x82, 11), PacketID: 1,
			Properties:    props(4, Property{ID: PropSubscriptionID, Int: 1}, Property{ID: PropSubscriptionID, Int: 2}),
			Subscriptions: []Subscription{{Filter: "a"}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldProperties, Offset: 7,
			Reason: "property Subscription Identifier appears more than once", Code: CodeProtocolError},
		msg: "invalid SUBSCRIBE: property Subscription Identifier appears more than once at offset 7",
	},
	{
		name: "bad/connack-maximum-qos-2", version: V5, desc: "maximum QoS is 0 or 1 (MQTT 5.0 §3.2.2.3.4)",
		raw: wire(
			0x20, 0x05, // CONNACK, remaining length 5
			0x00,       // acknowledge flags
			0x00,       // reason code: success
			0x02,       // property length 2
			0x24, 0x02, // maximum QoS 2
		),
		want: &Connack{Fixed: fixed(0x20, 5), Properties: props(2, Property{ID: PropMaximumQoS, Int: 2})},
		err: &ProtocolError{Packet: TypeConnack, Field: FieldProperties, Offset: 5,
			Reason: "property Maximum QoS has value 2, want 0 or 1", Code: CodeProtocolError},
		msg: "invalid CONNACK: property Maximum QoS has value 2, want 0 or 1 at offset 5",
	},
	{
		name: "bad/connect-receive-maximum-0", version: V5, desc: "receive maximum 0 (MQTT 5.0 §3.1.2.11.3)",
		raw: wire(
			0x10, 0x10, // CONNECT, remaining length 16
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x02,       // connect flags: clean start
			0x00, 0x00, // keep alive 0
			0x03,             // property length 3
			0x21, 0x00, 0x00, // receive maximum 0
			0x00, 0x00, // client id ""
		),
		want: &Connect{Fixed: fixed(0x10, 16), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x02, CleanSession: true,
			Properties: props(3, Property{ID: PropReceiveMaximum, Int: 0})},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldProperties, Offset: 13,
			Reason: "property Receive Maximum must not be 0", Code: CodeProtocolError},
		msg: "invalid CONNECT: property Receive Maximum must not be 0 at offset 13",
	},
	{
		name: "bad/connect-will-delay-in-connect", version: V5, desc: "will delay interval belongs to the will properties",
		raw: wire(
			0x10, 0x13, // CONNECT, remaining length 19
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x02,       // connect flags: clean start
			0x00, 0x00, // keep alive 0
			0x05,                         // property length 5
			0x18, 0x00, 0x00, 0x00, 0x05, // will delay interval 5
			0x00, 0x01, "c", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 19), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x02, CleanSession: true,
			Properties: props(5, Property{ID: PropWillDelay, Int: 5}), ClientID: "c"},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldProperties, Offset: 13,
			Reason: "property Will Delay Interval not allowed in CONNECT", Code: CodeProtocolError},
		msg: "invalid CONNECT: property Will Delay Interval not allowed in CONNECT at offset 13",
	},
	{
		name: "bad/connect-session-expiry-in-will", version: V5, desc: "session expiry interval is not a will property (MQTT 5.0 §3.1.3.2)",
		raw: wire(
			0x10, 0x1A, // CONNECT, remaining length 26
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x06,       // connect flags: will, clean start
			0x00, 0x00, // keep alive 0
			0x00,            // property length 0
			0x00, 0x01, "c", // client id
			0x05,                         // will property length 5
			0x11, 0x00, 0x00, 0x00, 0x0A, // session expiry interval 10
			0x00, 0x01, "w", // will topic
			0x00, 0x01, "x", // will payload
		),
		want: &Connect{Fixed: fixed(0x10, 26), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x06, CleanSession: true,
			ClientID: "c", WillFlag: true, WillProperties: props(5, Property{ID: PropSessionExpiry, Int: 10}),
			WillTopic: "w", WillPayload: []byte("x")},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldWillProperties, Offset: 17,
			Reason: "property Session Expiry Interval not allowed in Will Properties", Code: CodeProtocolError},
		msg: "invalid CONNECT: property Session Expiry Interval not allowed in Will Properties at offset 17",
	},
	{
		name: "bad/connect-truncated-in-properties", version: V5, desc: "connect/v5/capture cut after 20 bytes",
		raw: wire(
			0x10, 0x21, // CONNECT, remaining length 33
			0x00, 0x04, "MQTT", // protocol name
			0x05,       // protocol level 5
			0x02,       // connect flags: clean start
			0x00, 0x3C, // keep alive 60
			0x14,                         // property length 20
			0x11, 0x00, 0x00, 0x00, 0x1E, // session expiry interval 30
			0x26, 0x00, // the input ends inside the user property
		),
		want: &Connect{Fixed: fixed(0x10, 33), ProtocolName: "MQTT", ProtocolLevel: 5, Flags: 0x02, KeepAlive: 60,
			CleanSession: true, Properties: props(20)},
		err: &MalformedError{Packet: TypeConnect, Field: FieldProperties, Offset: 12, Length: 20,
			Reason: "properties length 20 overruns packet", Incomplete: true},
		msg: "malformed CONNECT: properties length 20 overruns packet at offset 12",
	},

	// CONNECT
	{
		name: "bad/connect-protocol-name", version: V311, desc: "protocol name MQTX: crafted-malformed.pcapng frame 31",
		raw: wire(
			0x10, 0x13, // CONNECT, remaining length 19
			0x00, 0x04, "MQTX", // protocol name
			0x04,       // protocol level 4
			0x02,       // connect flags: clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x07, "crafted", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 19), ProtocolName: "MQTX", ProtocolLevel: 4, Flags: 0x02, CleanSession: true,
			KeepAlive: 60, ClientID: "crafted"},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldProtocolName, Offset: 2,
			Reason: `protocol name "MQTX" does not match level 4`, Code: 0x84},
		msg: `invalid CONNECT: protocol name "MQTX" does not match level 4 at offset 2`,
	},
	{
		name: "bad/connect-level-6", version: V311, desc: "unknown level: decoded as 3.1.1, as Wireshark does",
		raw: wire(
			0x10, 0x0D, // CONNECT, remaining length 13
			0x00, 0x04, "MQTT", // protocol name
			0x06,       // protocol level 6
			0x02,       // connect flags: clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 13), ProtocolName: "MQTT", ProtocolLevel: 6, Flags: 0x02, CleanSession: true,
			KeepAlive: 60, ClientID: "c"},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldProtocolLevel, Offset: 8,
			Reason: "unsupported protocol level 6", Code: 0x84},
		msg: "invalid CONNECT: unsupported protocol level 6 at offset 8",
	},
	{
		name: "bad/connect-reserved-flag", version: V311, desc: "connect flag bit 0 is reserved (MQTT 3.1.1 §3.1.2.3)",
		raw: wire(
			0x10, 0x0D, // CONNECT, remaining length 13
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x03,       // connect flags: clean session, reserved
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 13), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x03, CleanSession: true,
			KeepAlive: 60, ClientID: "c"},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldConnectFlags, Offset: 9,
			Reason: "reserved connect flag set", Code: CodeMalformedPacket},
		msg: "invalid CONNECT: reserved connect flag set at offset 9",
	},
	{
		name: "bad/connect-will-qos-3", version: V311, desc: "will QoS 3 (MQTT 3.1.1 §3.1.2.6)",
		raw: wire(
			0x10, 0x13, // CONNECT, remaining length 19
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x1E,       // connect flags: will QoS 3, will, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
			0x00, 0x01, "w", // will topic
			0x00, 0x01, "x", // will message
		),
		want: &Connect{Fixed: fixed(0x10, 19), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x1E, CleanSession: true,
			KeepAlive: 60, ClientID: "c", WillFlag: true, WillQoS: 3, WillTopic: "w", WillPayload: []byte("x")},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldConnectFlags, Offset: 9, Reason: "will QoS 3", Code: CodeMalformedPacket},
		msg: "invalid CONNECT: will QoS 3 at offset 9",
	},
	{
		name: "bad/connect-will-retain-without-will", version: V311, desc: "MQTT 3.1.1 §3.1.2.7",
		raw: wire(
			0x10, 0x0D, // CONNECT, remaining length 13
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x22,       // connect flags: will retain, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
		),
		want: &Connect{Fixed: fixed(0x10, 13), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x22, CleanSession: true,
			KeepAlive: 60, ClientID: "c", WillRetain: true},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldConnectFlags, Offset: 9,
			Reason: "will QoS or retain set without the will flag", Code: CodeMalformedPacket},
		msg: "invalid CONNECT: will QoS or retain set without the will flag at offset 9",
	},
	{
		name: "bad/connect-password-without-username", version: V311, desc: "allowed in 5.0, not in 3.1.1 (§3.1.2.9)",
		raw: wire(
			0x10, 0x11, // CONNECT, remaining length 17
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x42,       // connect flags: password, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
			0x00, 0x02, "pw", // password
		),
		want: &Connect{Fixed: fixed(0x10, 17), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x42, CleanSession: true,
			KeepAlive: 60, ClientID: "c", PasswordFlag: true, Password: []byte("pw")},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldConnectFlags, Offset: 9,
			Reason: "password flag set without user name flag", Code: CodeMalformedPacket},
		msg: "invalid CONNECT: password flag set without user name flag at offset 9",
	},
	{
		name: "bad/connect-client-id-surrogate", version: V311, desc: "U+D800 encoded in UTF-8 is not a character (MQTT 5.0 §1.5.4)",
		raw: wire(
			0x10, 0x0F, // CONNECT, remaining length 15
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x02,       // connect flags: clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x03, 0xED, 0xA0, 0x80, // client id: a surrogate
		),
		want: &Connect{Fixed: fixed(0x10, 15), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x02, CleanSession: true,
			KeepAlive: 60, ClientID: "\xED\xA0\x80"},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldClientID, Offset: 14,
			Reason: "client id is not valid UTF-8 or contains U+0000", Code: CodeMalformedPacket},
		msg: "invalid CONNECT: client id is not valid UTF-8 or contains U+0000 at offset 14",
	},
	{
		name: "bad/connect-password-overrun", version: V311, desc: "password length 9 with 2 bytes left",
		raw: wire(
			0x10, 0x16, // CONNECT, remaining length 22
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0xC2,       // connect flags: user name, password, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
			0x00, 0x03, "bob", // user name
			0x00, 0x09, "pw", // password length 9, 2 bytes left
		),
		want: &Connect{Fixed: fixed(0x10, 22), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0xC2, CleanSession: true,
			KeepAlive: 60, ClientID: "c", UsernameFlag: true, Username: "bob", PasswordFlag: true},
		err: &MalformedError{Packet: TypeConnect, Field: FieldPassword, Offset: 20, Length: 9,
			Reason: "password length 9 overruns packet"},
		msg: "malformed CONNECT: password length 9 overruns packet at offset 20",
	},
	{
		name: "bad/connect-keep-alive-missing", version: V311, desc: "remaining length too short for the variable header",
		raw: wire(
			0x10, 0x08, // CONNECT, remaining length 8
			0x00, 0x04, "MQTT", // protocol name
			0x04, // protocol level 4
			0x02, // connect flags: clean session; no keep alive
		),
		want: &Connect{Fixed: fixed(0x10, 8), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x02},
		err: &MalformedError{Packet: TypeConnect, Field: FieldKeepAlive, Offset: 10, Length: -1,
			Reason: "keep alive needs 2 bytes, 0 left"},
		msg: "malformed CONNECT: keep alive needs 2 bytes, 0 left at offset 10",
	},

	// CONNACK, SUBACK
	{
		name: "bad/connack-reserved-ack-flags", version: V311, desc: "acknowledge flags bits 7-1 are reserved (MQTT 3.1.1 §3.2.2.1)",
		raw:  wire(0x20, 0x02, 0x02, 0x00), // CONNACK, remaining length 2, acknowledge flags 0x02, accepted
		want: &Connack{Fixed: fixed(0x20, 2), AckFlags: 2},
		err: &ProtocolError{Packet: TypeConnack, Field: FieldAckFlags, Offset: 2,
			Reason: "reserved acknowledge flags 0x02", Code: CodeMalformedPacket},
		msg: "invalid CONNACK: reserved acknowledge flags 0x02 at offset 2",
	},
	{
		name: "bad/suback-return-code-3", version: V311, desc: "3.1.1 return codes are 0, 1, 2 and 0x80 (§3.9.3)",
		raw:  wire(0x90, 0x04, 0x00, 0x01, 0x00, 0x03), // SUBACK, packet identifier 1, return codes 0 and 3
		want: &Suback{Fixed: fixed(0x90, 4), PacketID: 1, ReasonCodes: []ReasonCode{0, 3}},
		err: &ProtocolError{Packet: TypeSuback, Field: FieldReasonCodes, Offset: 5,
			Reason: "return code 0x03 is not a granted QoS or 0x80", Code: CodeProtocolError},
		msg: "invalid SUBACK: return code 0x03 is not a granted QoS or 0x80 at offset 5",
	},

	// Packet identifier 0
	{
		name: "bad/puback-packet-id-0", version: V311, desc: "MQTT 3.1.1 §2.3.1",
		raw:  wire(0x40, 0x02, 0x00, 0x00), // PUBACK, packet identifier 0
		want: &Puback{Ack{Fixed: fixed(0x40, 2)}},
		err:  &ProtocolError{Packet: TypePuback, Field: FieldPacketID, Offset: 2, Reason: "packet identifier 0", Code: CodeProtocolError},
		msg:  "invalid PUBACK: packet identifier 0 at offset 2",
	},
	{
		name: "bad/subscribe-packet-id-0", version: V311, desc: "MQTT 3.1.1 §2.3.1",
		raw: wire(
			0x82, 0x08, // SUBSCRIBE, remaining length 8
			0x00, 0x00, // packet identifier 0
			0x00, 0x03, "a/b", 0x00, // filter, QoS 0
		),
		want: &Subscribe{Fixed: fixed(0x82, 8), Subscriptions: []Subscription{{Filter: "a/b"}}},
		err:  &ProtocolError{Packet: TypeSubscribe, Field: FieldPacketID, Offset: 2, Reason: "packet identifier 0", Code: CodeProtocolError},
		msg:  "invalid SUBSCRIBE: packet identifier 0 at offset 2",
	},
	{
		name: "bad/unsubscribe-packet-id-0", version: V5, desc: "MQTT 5.0 §2.2.1",
		raw: wire(
			0xA2, 0x06, // UNSUBSCRIBE, remaining length 6
			0x00, 0x00, // packet identifier 0
			0x00,            // property length 0
			0x00, 0x01, "a", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 6), Filters: []string{"a"}},
		err:  &ProtocolError{Packet: TypeUnsubscribe, Field: FieldPacketID, Offset: 2, Reason: "packet identifier 0", Code: CodeProtocolError},
		msg:  "invalid UNSUBSCRIBE: packet identifier 0 at offset 2",
	},

	// SUBSCRIBE, UNSUBSCRIBE
	{
		name: "bad/subscribe-no-filters", version: V311, desc: "a SUBSCRIBE must hold a filter (MQTT 3.1.1 §3.8.3)",
		raw:  wire(0x82, 0x02, 0x00, 0x01), // SUBSCRIBE, remaining length 2, packet identifier 1
		want: &Subscribe{Fixed: fixed(0x82, 2), PacketID: 1},
		err:  &ProtocolError{Packet: TypeSubscribe, Field: FieldTopicFilter, Offset: 4, Reason: "no topic filters", Code: CodeProtocolError},
		msg:  "invalid SUBSCRIBE: no topic filters at offset 4",
	},
	{
		name: "bad/unsubscribe-no-filters", version: V5, desc: "an UNSUBSCRIBE must hold a filter (MQTT 5.0 §3.10.3)",
		raw:  wire(0xA2, 0x03, 0x00, 0x01, 0x00), // UNSUBSCRIBE, remaining length 3, packet identifier 1, property length 0
		want: &Unsubscribe{Fixed: fixed(0xA2, 3), PacketID: 1},
		err:  &ProtocolError{Packet: TypeUnsubscribe, Field: FieldTopicFilter, Offset: 5, Reason: "no topic filters", Code: CodeProtocolError},
		msg:  "invalid UNSUBSCRIBE: no topic filters at offset 5",
	},
	{
		name: "bad/suback-no-codes", version: V311, desc: "one code per requested filter, and a SUBSCRIBE has one (MQTT 3.1.1 §3.9.3)",
		raw:  wire(0x90, 0x02, 0x00, 0x01), // SUBACK, remaining length 2, packet identifier 1
		want: &Suback{Fixed: fixed(0x90, 2), PacketID: 1},
		err:  &ProtocolError{Packet: TypeSuback, Field: FieldReasonCodes, Offset: 4, Reason: "no reason codes", Code: CodeProtocolError},
		msg:  "invalid SUBACK: no reason codes at offset 4",
	},
	{
		name: "bad/unsuback-no-codes", version: V5, desc: "one code per filter of the UNSUBSCRIBE (MQTT 5.0 §3.11.3)",
		raw:  wire(0xB0, 0x03, 0x00, 0x01, 0x00), // UNSUBACK, remaining length 3, packet identifier 1, property length 0
		want: &Unsuback{Fixed: fixed(0xB0, 3), PacketID: 1},
		err:  &ProtocolError{Packet: TypeUnsuback, Field: FieldReasonCodes, Offset: 5, Reason: "no reason codes", Code: CodeProtocolError},
		msg:  "invalid UNSUBACK: no reason codes at offset 5",
	},
	{
		name: "bad/connect-will-topic-wildcard", version: V311, desc: "a will topic is a topic name: no wildcards (MQTT 3.1.1 §3.1.3.3, §4.7.1)",
		raw: wire(
			0x10, 0x15, // CONNECT, remaining length 21
			0x00, 0x04, "MQTT", // protocol name
			0x04,       // protocol level 4
			0x06,       // connect flags: will, clean session
			0x00, 0x3C, // keep alive 60
			0x00, 0x01, "c", // client id
			0x00, 0x03, "a/#", // will topic
			0x00, 0x01, "x", // will message
		),
		want: &Connect{Fixed: fixed(0x10, 21), ProtocolName: "MQTT", ProtocolLevel: 4, Flags: 0x06, CleanSession: true,
			KeepAlive: 60, ClientID: "c", WillFlag: true, WillTopic: "a/#", WillPayload: []byte("x")},
		err: &ProtocolError{Packet: TypeConnect, Field: FieldWillTopic, Offset: 15,
			Reason: `will topic "a/#" contains a wildcard`, Code: CodeTopicNameInvalid},
		msg: `invalid CONNECT: will topic "a/#" contains a wildcard at offset 15`,
	},
	{
		name: "bad/subscribe-reserved-qos-bits", version: V311, desc: "3.1.1 requested QoS byte with bit 2 set (§3.8.3.1)",
		raw: wire(
			0x82, 0x08, // SUBSCRIBE, remaining length 8
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", 0x05, // filter, requested QoS byte 0x05
		),
		want: &Subscribe{Fixed: fixed(0x82, 8), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 5}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 9,
			Reason: "reserved bits set in requested QoS byte 0x05", Code: CodeMalformedPacket},
		msg: "invalid SUBSCRIBE: reserved bits set in requested QoS byte 0x05 at offset 9",
	},
	{
		name: "bad/subscribe-qos-3", version: V311, desc: "requested QoS 3",
		raw: wire(
			0x82, 0x08, // SUBSCRIBE, remaining length 8
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", 0x03, // filter, QoS 3
		),
		want: &Subscribe{Fixed: fixed(0x82, 8), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 3}}},
		err:  &ProtocolError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 9, Reason: "requested QoS 3", Code: CodeMalformedPacket},
		msg:  "invalid SUBSCRIBE: requested QoS 3 at offset 9",
	},
	{
		name: "bad/subscribe-retain-handling-3", version: V5, desc: "retain handling 3 (MQTT 5.0 §3.8.3.1)",
		raw: wire(
			0x82, 0x09, // SUBSCRIBE, remaining length 9
			0x00, 0x01, // packet identifier 1
			0x00,                    // property length 0
			0x00, 0x03, "a/b", 0x30, // filter, options: retain handling 3
		),
		want: &Subscribe{Fixed: fixed(0x82, 9), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 0x30}}},
		err:  &ProtocolError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 10, Reason: "retain handling 3", Code: CodeProtocolError},
		msg:  "invalid SUBSCRIBE: retain handling 3 at offset 10",
	},
	{
		name: "bad/subscribe-reserved-option-bits", version: V5, desc: "options bits 6 and 7 are reserved (MQTT 5.0 §3.8.3.1)",
		raw: wire(
			0x82, 0x09, // SUBSCRIBE, remaining length 9
			0x00, 0x01, // packet identifier 1
			0x00,                    // property length 0
			0x00, 0x03, "a/b", 0x41, // filter, options: reserved bit 6, QoS 1
		),
		want: &Subscribe{Fixed: fixed(0x82, 9), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b", Options: 0x41}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 10,
			Reason: "reserved subscription option bits set (0x41)", Code: CodeMalformedPacket},
		msg: "invalid SUBSCRIBE: reserved subscription option bits set (0x41) at offset 10",
	},
	{
		name: "bad/subscribe-no-local-shared", version: V5, desc: "No Local on a shared subscription (MQTT 5.0 §3.8.3.1)",
		raw: wire(
			0x82, 0x10, // SUBSCRIBE, remaining length 16
			0x00, 0x01, // packet identifier 1
			0x00,                           // property length 0
			0x00, 0x0A, "$share/g/t", 0x04, // filter, options: no local
		),
		want: &Subscribe{Fixed: fixed(0x82, 16), PacketID: 1, Subscriptions: []Subscription{{Filter: "$share/g/t", Options: 0x04}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 17,
			Reason: "No Local on a shared subscription", Code: CodeProtocolError},
		msg: "invalid SUBSCRIBE: No Local on a shared subscription at offset 17",
	},
	{
		name: "bad/subscribe-invalid-filter", version: V311, desc: "# not last (MQTT 3.1.1 §4.7.1.2)",
		raw: wire(
			0x82, 0x0A, // SUBSCRIBE, remaining length 10
			0x00, 0x01, // packet identifier 1
			0x00, 0x05, "a/#/b", 0x00, // filter, QoS 0
		),
		want: &Subscribe{Fixed: fixed(0x82, 10), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/#/b"}}},
		err: &ProtocolError{Packet: TypeSubscribe, Field: FieldTopicFilter, Offset: 4,
			Reason: `invalid wildcard in topic filter "a/#/b"`, Code: CodeTopicFilterInvalid},
		msg: `invalid SUBSCRIBE: invalid wildcard in topic filter "a/#/b" at offset 4`,
	},
	{
		name: "bad/unsubscribe-plus-in-level", version: V311, desc: "+ must be a whole level (MQTT 3.1.1 §4.7.1.3)",
		raw: wire(
			0xA2, 0x07, // UNSUBSCRIBE, remaining length 7
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a+b", // filter
		),
		want: &Unsubscribe{Fixed: fixed(0xA2, 7), PacketID: 1, Filters: []string{"a+b"}},
		err: &ProtocolError{Packet: TypeUnsubscribe, Field: FieldTopicFilter, Offset: 4,
			Reason: `invalid wildcard in topic filter "a+b"`, Code: CodeTopicFilterInvalid},
		msg: `invalid UNSUBSCRIBE: invalid wildcard in topic filter "a+b" at offset 4`,
	},
	{
		name: "bad/unsubscribe-empty-filter", version: V311, desc: "a filter is at least one character (MQTT 3.1.1 §4.7.3)",
		raw:  wire(0xA2, 0x04, 0x00, 0x01, 0x00, 0x00), // UNSUBSCRIBE, packet identifier 1, filter ""
		want: &Unsubscribe{Fixed: fixed(0xA2, 4), PacketID: 1, Filters: []string{""}},
		err:  &ProtocolError{Packet: TypeUnsubscribe, Field: FieldTopicFilter, Offset: 4, Reason: "empty topic filter", Code: CodeTopicFilterInvalid},
		msg:  "invalid UNSUBSCRIBE: empty topic filter at offset 4",
	},
	{
		name: "bad/subscribe-options-missing", version: V311, desc: "the filter is kept so that a dissector can show it",
		raw: wire(
			0x82, 0x07, // SUBSCRIBE, remaining length 7
			0x00, 0x01, // packet identifier 1
			0x00, 0x03, "a/b", // filter; no options byte
		),
		want: &Subscribe{Fixed: fixed(0x82, 7), PacketID: 1, Subscriptions: []Subscription{{Filter: "a/b"}}},
		err: &MalformedError{Packet: TypeSubscribe, Field: FieldSubOptions, Offset: 9, Length: -1,
			Reason: "subscription options needs 1 bytes, 0 left"},
		msg: "malformed SUBSCRIBE: subscription options needs 1 bytes, 0 left at offset 9",
	},
	{
		name: "bad/subscribe-filter-overrun", version: V311, desc: "filter length 9 with 3 bytes left",
		raw: wire(
			0x82, 0x07, // SUBSCRIBE, remaining length 7
			0x00, 0x01, // packet identifier 1
			0x00, 0x09, "a/b", // filter length 9
		),
		want: &Subscribe{Fixed: fixed(0x82, 7), PacketID: 1},
		err: &MalformedError{Packet: TypeSubscribe, Field: FieldTopicFilter, Offset: 4, Length: 9,
			Reason: "topic filter length 9 overruns packet"},
		msg: "malformed SUBSCRIBE: topic filter length 9 overruns packet at offset 4",
	},
}
