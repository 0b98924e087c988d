package output

// The field registry: every MQTT field tshark 4.0 shows is declared here once,
// with its label, its display-filter name, its type, its display base, its
// bitmask and its value strings (tshark -G fields). The text tree, the JSON
// layer and the colour palette are all derived from these declarations, so
// they cannot disagree about a name or a format.

// Kind is the value type of a field (Wireshark's FT_*).
type Kind uint8

// The kinds MQTT uses.
const (
	KindNone   Kind = iota // FT_NONE: a subtree label, no value
	KindUint               // FT_UINT8..FT_UINT64
	KindBool               // FT_BOOLEAN
	KindString             // FT_STRING, FT_UINT_STRING
	KindBytes              // FT_BYTES
	// KindCString is an FT_STRING a dissector set from a C string it built
	// (proto_tree_add_string): it ends at its first NUL, may hold bad UTF-8,
	// and tshark's label shows it through format_text, not a UTF-8 fetch.
	KindCString
	// KindText is a text-only item (proto_tree_add_format_text): no field,
	// the label is the bytes shown through format_text.
	KindText
)

// Base is how an integer is displayed (Wireshark's BASE_*).
type Base uint8

// The bases MQTT uses.
const (
	BaseNone Base = iota
	BaseDec
	BaseHex
)

// Field is one registered field.
type Field struct {
	Label string // "Topic Length"
	Name  string // tshark filter name, "mqtt.topic_len"
	Kind  Kind
	Base  Base
	Bits  uint8  // width of the integer (8 for FT_UINT8), for hex digits
	Mask  uint32 // bitmask within the byte; 0 for a whole field
	Vals  *ValueStrings
	// Counted is set for an FT_UINT_STRING (a length-prefixed string read
	// in one go): tshark stops it at a NUL like the others but does not
	// flag "Trailing stray characters" after it.
	Counted bool
	// tree is Name+"_tree", the JSON key of the field's subtree, made
	// once instead of per packet.
	tree string
}

func uintField(label, name string, base Base, bits uint8, mask uint32, vals *ValueStrings) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindUint, Base: base, Bits: bits, Mask: mask, Vals: vals}
}

func boolField(label, name string, mask uint32) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindBool, Bits: 8, Mask: mask}
}

func strField(label, name string) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindString}
}

func bytesField(label, name string) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindBytes}
}

func noneField(label, name string) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindNone}
}

// The MQTT fields of tshark 4.0.17 (wireshark-mqtt.md, "Field registry").
var (
	fMsgLen          = uintField("Msg Len", "mqtt.len", BaseDec, 64, 0, nil)
	fHdrFlags        = uintField("Header Flags", "mqtt.hdrflags", BaseHex, 8, 0, nil)
	fMsgType         = uintField("Message Type", "mqtt.msgtype", BaseDec, 8, 0xf0, &msgTypeVals)
	fHdrReserved     = uintField("Reserved", "mqtt.hdr_reserved", BaseDec, 8, 0x0f, nil)
	fRetainReserved  = uintField("Reserved", "mqtt.retain_reserved", BaseDec, 8, 0x01, nil)
	fDupFlag         = boolField("DUP Flag", "mqtt.dupflag", 0x08)
	fQoS             = uintField("QoS Level", "mqtt.qos", BaseDec, 8, 0x06, &qosVals)
	fRetain          = boolField("Retain", "mqtt.retain", 0x01)
	fConackReserved  = boolField("Reserved", "mqtt.conack.flags.reserved", 0)
	fConackFlags     = uintField("Acknowledge Flags", "mqtt.conack.flags", BaseHex, 8, 0, nil)
	fConackFlagRes   = boolField("Reserved", "mqtt.conack.flags.reserved", 0xfe)
	fConackSP        = boolField("Session Present", "mqtt.conack.flags.sp", 0x01)
	fConackVal       = uintField("Return Code", "mqtt.conack.val", BaseDec, 8, 0, &connackVals)
	fMsgID           = uintField("Message Identifier", "mqtt.msgid", BaseDec, 16, 0, nil)
	fSubQoS          = uintField("Requested QoS", "mqtt.sub.qos", BaseDec, 8, 0, &qosVals)
	fSubackQoS       = uintField("Granted QoS", "mqtt.suback.qos", BaseDec, 8, 0, &subackQoSVals)
	fTopicLen        = uintField("Topic Length", "mqtt.topic_len", BaseDec, 16, 0, nil)
	fTopic           = strField("Topic", "mqtt.topic")
	fWillTopicLen    = uintField("Will Topic Length", "mqtt.willtopic_len", BaseDec, 16, 0, nil)
	fWillTopic       = strField("Will Topic", "mqtt.willtopic")
	fWillMsg         = bytesField("Will Message", "mqtt.willmsg")
	fWillMsgText     = strField("Will Message", "mqtt.willmsg_text")
	fWillMsgLen      = uintField("Will Message Length", "mqtt.willmsg_len", BaseDec, 16, 0, nil)
	fUsernameLen     = uintField("User Name Length", "mqtt.username_len", BaseDec, 16, 0, nil)
	fUsername        = strField("User Name", "mqtt.username")
	fPasswdLen       = uintField("Password Length", "mqtt.passwd_len", BaseDec, 16, 0, nil)
	fPasswd          = strField("Password", "mqtt.passwd")
	fMsg             = bytesField("Message", "mqtt.msg")
	fMsgText         = strField("Message", "mqtt.msg_text")
	fProtoLen        = uintField("Protocol Name Length", "mqtt.proto_len", BaseDec, 16, 0, nil)
	fProtoName       = strField("Protocol Name", "mqtt.protoname")
	fClientIDLen     = uintField("Client ID Length", "mqtt.clientid_len", BaseDec, 16, 0, nil)
	fClientID        = strField("Client ID", "mqtt.clientid")
	fVersion         = uintField("Version", "mqtt.ver", BaseDec, 8, 0, &versionVals)
	fConFlags        = uintField("Connect Flags", "mqtt.conflags", BaseHex, 8, 0, nil)
	fConUname        = boolField("User Name Flag", "mqtt.conflag.uname", 0x80)
	fConPasswd       = boolField("Password Flag", "mqtt.conflag.passwd", 0x40)
	fConRetain       = boolField("Will Retain", "mqtt.conflag.retain", 0x20)
	fConQoS          = uintField("QoS Level", "mqtt.conflag.qos", BaseDec, 8, 0x18, &qosVals)
	fConWill         = boolField("Will Flag", "mqtt.conflag.willflag", 0x04)
	fConClean        = boolField("Clean Session Flag", "mqtt.conflag.cleansess", 0x02)
	fConReserved     = boolField("(Reserved)", "mqtt.conflag.reserved", 0x01)
	fKeepAlive       = uintField("Keep Alive", "mqtt.kalive", BaseDec, 16, 0, nil)
	fSubOpts         = uintField("Subscription Options", "mqtt.subscription_options", BaseHex, 8, 0, nil)
	fSubOptQoS       = uintField("QoS", "mqtt.subscription_options_qos", BaseDec, 8, 0x03, &qosVals)
	fSubOptNL        = boolField("No Local", "mqtt.subscription_options_nl", 0x04)
	fSubOptRAP       = boolField("Retain As Published", "mqtt.subscription_options_rap", 0x08)
	fSubOptRetain    = uintField("Retain Handling", "mqtt.subscription_options_retain", BaseDec, 8, 0x30, &retainHandlingVals)
	fSubOptReserved  = uintField("Reserved", "mqtt.subscription_options_reserved", BaseHex, 8, 0xc0, nil)
	fRCConnack       = reasonField("mqtt.connack.reason_code", &rcConnackVals)
	fRCPuback        = reasonField("mqtt.puback.reason_code", &rcPubackVals)
	fRCPubrec        = reasonField("mqtt.pubrec.reason_code", &rcPubackVals)
	fRCPubrel        = reasonField("mqtt.pubrel.reason_code", &rcPubrelVals)
	fRCPubcomp       = reasonField("mqtt.pubcomp.reason_code", &rcPubrelVals)
	fRCSuback        = reasonField("mqtt.suback.reason_code", &rcSubackVals)
	fRCUnsuback      = reasonField("mqtt.unsuback.reason_code", &rcUnsubackVals)
	fRCDisconnect    = reasonField("mqtt.disconnect.reason_code", &rcDisconnectVals)
	fRCAuth          = reasonField("mqtt.auth.reason_code", &rcAuthVals)
	fProperties      = noneField("Properties", "mqtt.properties")
	fWillProperties  = noneField("Will Properties", "mqtt.will_properties")
	fPropLen         = uintField("Total Length", "mqtt.property_len", BaseDec, 64, 0, nil)
	fPropID          = uintField("ID", "mqtt.property_id", BaseHex, 8, 0, &propertyVals)
	fPropNumber      = uintField("Value", "mqtt.prop_number", BaseDec, 32, 0, nil)
	fPropContentType = &Field{Label: "Content Type", Name: "mqtt.property.content_type", tree: "mqtt.property.content_type_tree", Kind: KindString, Counted: true}
	fPropMaxQoS      = uintField("QoS", "mqtt.property.max_qos", BaseDec, 8, 0, &qosVals)
	fPropTopicAlias  = uintField("Topic Alias", "mqtt.property.topic_alias", BaseDec, 16, 0, nil)
	fPropUnknown     = strField("Unknown Property", "mqtt.prop_unknown")
	fPropStringLen   = uintField("Length", "mqtt.prop_string_len", BaseDec, 32, 0, nil)
	fPropString      = strField("Value", "mqtt.prop_string")
	fPropKeyLen      = uintField("Key Length", "mqtt.prop_key_len", BaseDec, 32, 0, nil)
	fPropKey         = strField("Key", "mqtt.prop_key")
	fPropValueLen    = uintField("Value Length", "mqtt.prop_value_len", BaseDec, 32, 0, nil)
	fPropValue       = strField("Value", "mqtt.prop_value")
)

// The fields of the payload sub-dissectors tshark 4.0 runs on a PUBLISH
// whose Content Type it knows (packet-json.c, packet-text-media.c).
var (
	fJSONObject          = noneField("Object", "json.object")
	fJSONArray           = noneField("Array", "json.array")
	fJSONMember          = cstrField("Member", "json.member")
	fJSONKey             = cstrField("Key", "json.key")
	fJSONPath            = cstrField("Path", "json.path")
	fJSONPathWithValue   = cstrField("Path with value", "json.path_with_value")
	fJSONMemberWithValue = cstrField("Member with value", "json.member_with_value")
	fJSONString          = cstrField("String value", "json.value.string")
	fJSONNumber          = cstrField("Number value", "json.value.number")
	fJSONFalse           = noneField("False value", "json.value.false")
	fJSONNull            = noneField("Null value", "json.value.null")
	fJSONTrue            = noneField("True value", "json.value.true")
	fJSONNaN             = noneField("NaN value", "json.value.nan")
	fTextLine            = &Field{Kind: KindText} // one line of data-text-lines
)

func cstrField(label, name string) *Field {
	return &Field{Label: label, Name: name, tree: name + "_tree", Kind: KindCString}
}

func reasonField(name string, vals *ValueStrings) *Field {
	return uintField("Reason Code", name, BaseDec, 8, 0, vals)
}

// reasonFields is the reason-code field of each packet type that has one.
var reasonFields = [16]*Field{
	2: fRCConnack, 4: fRCPuback, 5: fRCPubrec, 6: fRCPubrel, 7: fRCPubcomp,
	9: fRCSuback, 11: fRCUnsuback, 14: fRCDisconnect, 15: fRCAuth,
}

// expert is an expert-info item (Wireshark's ei_*): a message with a
// severity and a group, shown under the item it is about.
type expert struct {
	Name     string // filter name, "mqtt.illegal_topic_length"
	Message  string
	Severity string // "Warning"
	Group    string // "Protocol"
}

// Severity and group numbers as tshark -T json prints them: Wireshark's
// PI_* values (epan/proto.h), keyed by the names -V shows (expert.c's
// expert_severity_vals and expert_group_vals).
var (
	severityCodes = map[string]string{
		"Comment": "1048576", // PI_COMMENT 0x00100000
		"Chat":    "2097152", // PI_CHAT 0x00200000
		"Note":    "4194304", // PI_NOTE 0x00400000
		"Warning": "6291456", // PI_WARN 0x00600000
		"Error":   "8388608", // PI_ERROR 0x00800000
	}
	groupCodes = map[string]string{
		"Checksum":   "16777216",  // PI_CHECKSUM 0x01000000
		"Sequence":   "33554432",  // PI_SEQUENCE 0x02000000
		"Response":   "50331648",  // PI_RESPONSE_CODE 0x03000000
		"Request":    "67108864",  // PI_REQUEST_CODE 0x04000000
		"Undecoded":  "83886080",  // PI_UNDECODED 0x05000000
		"Reassemble": "100663296", // PI_REASSEMBLE 0x06000000
		"Malformed":  "117440512", // PI_MALFORMED 0x07000000
		"Debug":      "134217728", // PI_DEBUG 0x08000000
		"Protocol":   "150994944", // PI_PROTOCOL 0x09000000
		"Security":   "167772160", // PI_SECURITY 0x0a000000
		"Comment":    "184549376", // PI_COMMENTS_GROUP 0x0b000000
		"Decryption": "201326592", // PI_DECRYPTION 0x0c000000
		"Assumption": "218103808", // PI_ASSUMPTION 0x0d000000
		"Deprecated": "234881024", // PI_DEPRECATED 0x0e000000
	}
)

// The expert infos tshark 4.0 adds to MQTT trees.
var (
	eiIllegalLength     = &expert{"mqtt.illegal_topic_length", "Length cannot be 0", "Warning", "Protocol"}
	eiUnknownVersion    = &expert{"mqtt.unknown_version", "Unknown version (missing the CONNECT packet?)", "Note", "Protocol"}
	eiUnknownTopicAlias = &expert{"mqtt.unknown_topic_alias", "Unknown topic alias", "Note", "Protocol"}
	eiTrailingStray     = &expert{"_ws.string.trailing_stray_characters", "Trailing stray characters", "Warning", "Undecoded"}
	eiMalformed         = &expert{"_ws.malformed.expert", "Malformed Packet (Exception occurred)", "Error", "Malformed"}
	eiUnreassembled     = &expert{"_ws.unreassembled.expert", "Unreassembled fragment (change preferences to enable reassembly)", "Note", "Reassemble"}
)
