package check

import (
	"fmt"

	"github.com/mqtap/mqtap/mqttwire"
)

// Capability names: what a check Needs and what --require names.
const (
	CapV31        = "v31"
	CapV311       = "v311"
	CapV5         = "v5"
	CapQoS1       = "qos1"
	CapQoS2       = "qos2"
	CapRetain     = "retain"
	CapWildcard   = "wildcard"
	CapShared     = "shared"
	CapSubID      = "subid"
	CapTopicAlias = "topicalias"
	CapAuth       = "auth"
	CapSys        = "sys"
	// CapTakeover is a 5.0 broker telling a taken-over client why, with a
	// DISCONNECT 0x8E: recommended, not required, and seen only by trying
	// (mqtt5/session-takeover), so it has no entry in the report.
	CapTakeover = "takeover"
)

// CapabilityNames lists every capability, for --require's help and
// validation.
var CapabilityNames = []string{CapV31, CapV311, CapV5, CapQoS1, CapQoS2, CapRetain, CapWildcard,
	CapShared, CapSubID, CapTopicAlias, CapAuth, CapSys, CapTakeover}

// Capability is whether the broker offers something, and why we think so.
type Capability struct {
	Name      string `json:"name"`
	Available bool   `json:"available"`
	Evidence  string `json:"evidence"`
}

// versionCaps names the capability of speaking each protocol version.
var versionCaps = map[mqttwire.Version]string{mqttwire.V31: CapV31, mqttwire.V311: CapV311, mqttwire.V5: CapV5}

// connackFlag is a 5.0 CONNACK property that switches a capability off
// when 0 and leaves it on when absent (MQTT 5.0 §3.2.2.3).
type connackFlag struct {
	cap  string
	prop mqttwire.PropID
	name string
}

var connackFlags = []connackFlag{
	{CapRetain, mqttwire.PropRetainAvailable, "Retain Available"},
	{CapWildcard, mqttwire.PropWildcardSubAvailable, "Wildcard Subscription Available"},
	{CapShared, mqttwire.PropSharedSubAvailable, "Shared Subscription Available"},
	{CapSubID, mqttwire.PropSubscriptionIDAvailable, "Subscription Identifier Available"},
}

// capsFromConnack derives what a 5.0 CONNACK announces; ack is nil when
// the broker does not speak 5.0 (why5 says why), and then the 3.x
// defaults apply: QoS 2, retain and wildcards are part of every 3.1.1
// broker, the rest needs 5.0.
func capsFromConnack(ack *mqttwire.Connack, why5 string) map[string]Capability {
	caps := map[string]Capability{}
	set := func(name string, ok bool, format string, args ...any) {
		caps[name] = Capability{Name: name, Available: ok, Evidence: fmt.Sprintf(format, args...)}
	}
	if ack == nil {
		for _, c := range []string{CapQoS1, CapQoS2, CapRetain, CapWildcard} {
			set(c, true, "required of every MQTT 3.1.1 broker (no MQTT 5 CONNACK: %s)", why5)
		}
		for _, c := range []string{CapShared, CapSubID, CapTopicAlias} {
			set(c, false, "needs MQTT 5: %s", why5)
		}
		return caps
	}
	maxQoS, ok := ack.Properties.Int(mqttwire.PropMaximumQoS)
	if !ok {
		set(CapQoS1, true, "CONNACK has no Maximum QoS (means 2)")
		set(CapQoS2, true, "CONNACK has no Maximum QoS (means 2)")
	} else {
		set(CapQoS1, maxQoS >= 1, "CONNACK Maximum QoS %d", maxQoS)
		set(CapQoS2, maxQoS >= 2, "CONNACK Maximum QoS %d", maxQoS)
	}
	for _, f := range connackFlags {
		v, ok := ack.Properties.Int(f.prop)
		if !ok {
			set(f.cap, true, "CONNACK has no %s (means 1)", f.name)
		} else {
			set(f.cap, v != 0, "CONNACK %s %d", f.name, v)
		}
	}
	if v, ok := ack.Properties.Int(mqttwire.PropTopicAliasMaximum); ok {
		set(CapTopicAlias, v > 0, "CONNACK Topic Alias Maximum %d", v)
	} else {
		set(CapTopicAlias, false, "CONNACK has no Topic Alias Maximum (means 0)")
	}
	return caps
}

// connackReport lists a 5.0 CONNACK's properties by name, for the JSON
// report.
func connackReport(ack *mqttwire.Connack) map[string]any {
	if ack == nil {
		return nil
	}
	out := map[string]any{}
	for _, p := range ack.Properties.List {
		spec, ok := mqttwire.LookupProp(p.ID)
		if !ok {
			continue
		}
		switch spec.Type {
		case mqttwire.PropTypeString:
			out[spec.Name] = p.Str
		case mqttwire.PropTypeBinary:
			out[spec.Name] = fmt.Sprintf("%d bytes", len(p.Bin))
		case mqttwire.PropTypeStringPair:
			out[spec.Name] = p.Str + "=" + p.Value
		default:
			out[spec.Name] = p.Int
		}
	}
	return out
}
