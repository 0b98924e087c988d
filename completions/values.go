package completions

import (
	"github.com/mqtap/mqtap/mqttwire"
)

// A ValueSet is what completes one word that follows a flag, or a
// command's arguments. The zero ValueSet completes nothing (a free value
// such as a topic or a host).
type ValueSet struct {
	// Name identifies the set inside the generated scripts; it must be a
	// valid shell identifier fragment (letters, digits, underscore).
	Name string
	// Words are offered in this order.
	Words []string
	// Files completes file paths instead of words.
	Files bool
	// ByPrevious, when set, chooses the words from the word before this one
	// (-D publish <TAB> offers only properties PUBLISH may carry).
	ByPrevious map[string][]string
}

// Value sets, each declared once.
var (
	// QoS levels (MQTT 5.0 §4.3).
	QoS = ValueSet{Name: "qos", Words: []string{"0", "1", "2"}}
	// MQTTVersions are mosquitto's -V spellings; a test checks that
	// mqttwire.ParseVersion accepts each of them.
	MQTTVersions = ValueSet{Name: "version", Words: []string{"31", "311", "5", "mqttv31", "mqttv311", "mqttv5"}}
	// MessageFormats are sub's --output modes; a test in package commands
	// checks them against the command's own constants.
	MessageFormats = ValueSet{Name: "output", Words: []string{"text", "json", "jsonl", "hex", "dissect"}}
	// TapOutputs are broker's and proxy's --output modes.
	TapOutputs = ValueSet{Name: "tap_output", Words: []string{"summary", "tree", "jsonl", "none"}}
	// DecodeFormats are decode's -T formats (tshark's -T text|json, and
	// jsonl).
	DecodeFormats = ValueSet{Name: "decode_format", Words: []string{"text", "json", "jsonl"}}
	// TLSVersions are mosquitto's --tls-version spellings; a test checks
	// that package transport accepts each.
	TLSVersions = ValueSet{Name: "tls_version", Words: []string{"tlsv1.3", "tlsv1.2", "tlsv1.1"}}
	// RetainHandling is the subscription option (MQTT 5.0 §3.8.3.1).
	RetainHandling = ValueSet{Name: "retain_handling", Words: []string{"0", "1", "2"}}
	// PayloadFormats are the Payload Format Indicator values (MQTT 5.0
	// §3.3.2.3.2): 0 unspecified bytes, 1 UTF-8.
	PayloadFormats = ValueSet{Name: "payload_format", Words: []string{"0", "1"}}
	// ColorModes follow ls/grep's --color.
	ColorModes = ValueSet{Name: "color", Words: []string{"auto", "always", "never"}}
	// Files is any path.
	Files = ValueSet{Name: "file", Files: true}
	// Shells are the shells `mqtap completion` writes scripts for.
	Shells = ValueSet{Name: "shell", Words: []string{"bash", "zsh", "fish", "powershell"}}
	// PropertyCommands and PropertyNames are the first two words of
	// mosquitto's `-D command identifier value`.
	PropertyCommands = ValueSet{Name: "prop_command", Words: propertyCommandNames()}
	PropertyNames    = ValueSet{Name: "prop_name", ByPrevious: propertyNamesByCommand()}
)

// PropertyCommand is one of mosquitto's -D command names and the packet
// whose properties it sets.
type PropertyCommand struct {
	Name   string
	Packet mqttwire.PacketType
	Will   bool // the Will Properties of CONNECT
}

// PropertyCommandTable lists mosquitto's -D commands (mosquitto_pub(1),
// "-D, --property").
var PropertyCommandTable = []PropertyCommand{
	{"connect", mqttwire.TypeConnect, false},
	{"publish", mqttwire.TypePublish, false},
	{"subscribe", mqttwire.TypeSubscribe, false},
	{"unsubscribe", mqttwire.TypeUnsubscribe, false},
	{"disconnect", mqttwire.TypeDisconnect, false},
	{"will", mqttwire.TypeConnect, true},
}

func propertyCommandNames() []string {
	names := make([]string, len(PropertyCommandTable))
	for i, c := range PropertyCommandTable {
		names[i] = c.Name
	}
	return names
}

// propertyNamesByCommand derives, from mqttwire's property table, which
// property keys each -D command accepts.
func propertyNamesByCommand() map[string][]string {
	by := make(map[string][]string, len(PropertyCommandTable))
	for _, c := range PropertyCommandTable {
		for _, p := range mqttwire.PropSpecs() {
			if p.AllowedIn(c.Packet, c.Will) {
				by[c.Name] = append(by[c.Name], p.Key)
			}
		}
	}
	return by
}
