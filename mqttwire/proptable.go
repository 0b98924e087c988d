package mqttwire

import "strings"

// PropType is the data type of a property value (MQTT 5.0 §1.5).
type PropType byte

// The seven data types a property can carry.
const (
	PropTypeUnknown PropType = iota
	PropTypeByte
	PropTypeUint16
	PropTypeUint32
	PropTypeVarint
	PropTypeString
	PropTypeBinary
	PropTypeStringPair
)

// PropSpec is what the specification says about one property identifier.
type PropSpec struct {
	ID   PropID
	Name string   // as in MQTT 5.0 §2.2.2.2
	Key  string   // mosquitto's -D spelling (message-expiry-interval)
	Type PropType //
	// In lists where the property may appear; willProps stands for the
	// Will Properties of CONNECT.
	In []PacketType
	// Many is set for properties that may appear more than once.
	Many bool
	// Bool is set for byte properties whose value must be 0 or 1.
	Bool bool
	// NonZero is set for properties whose value 0 is a protocol error.
	NonZero bool
}

// willProps marks the Will Properties of CONNECT in PropSpec.In.
const willProps PacketType = 16

var (
	inWill      = []PacketType{TypePublish, willProps}
	reasonHosts = []PacketType{TypeConnack, TypePuback, TypePubrec, TypePubrel, TypePubcomp, TypeSuback, TypeUnsuback, TypeDisconnect, TypeAuth}
	allHosts    = []PacketType{TypeConnect, TypeConnack, TypePublish, willProps, TypePuback, TypePubrec, TypePubrel, TypePubcomp, TypeSubscribe, TypeSuback, TypeUnsubscribe, TypeUnsuback, TypeDisconnect, TypeAuth}
)

// propSpecs is the single table of MQTT 5.0 properties.
var propSpecs = []PropSpec{
	{PropPayloadFormat, "Payload Format Indicator", "payload-format-indicator", PropTypeByte, inWill, false, true, false},
	{PropMessageExpiry, "Message Expiry Interval", "message-expiry-interval", PropTypeUint32, inWill, false, false, false},
	{PropContentType, "Content Type", "content-type", PropTypeString, inWill, false, false, false},
	{PropResponseTopic, "Response Topic", "response-topic", PropTypeString, inWill, false, false, false},
	{PropCorrelationData, "Correlation Data", "correlation-data", PropTypeBinary, inWill, false, false, false},
	{PropSubscriptionID, "Subscription Identifier", "subscription-identifier", PropTypeVarint, []PacketType{TypePublish, TypeSubscribe}, true, false, true},
	{PropSessionExpiry, "Session Expiry Interval", "session-expiry-interval", PropTypeUint32, []PacketType{TypeConnect, TypeConnack, TypeDisconnect}, false, false, false},
	{PropAssignedClientID, "Assigned Client Identifier", "assigned-client-identifier", PropTypeString, []PacketType{TypeConnack}, false, false, false},
	{PropServerKeepAlive, "Server Keep Alive", "server-keep-alive", PropTypeUint16, []PacketType{TypeConnack}, false, false, false},
	{PropAuthMethod, "Authentication Method", "authentication-method", PropTypeString, []PacketType{TypeConnect, TypeConnack, TypeAuth}, false, false, false},
	{PropAuthData, "Authentication Data", "authentication-data", PropTypeBinary, []PacketType{TypeConnect, TypeConnack, TypeAuth}, false, false, false},
	{PropRequestProblemInfo, "Request Problem Information", "request-problem-information", PropTypeByte, []PacketType{TypeConnect}, false, true, false},
	{PropWillDelay, "Will Delay Interval", "will-delay-interval", PropTypeUint32, []PacketType{willProps}, false, false, false},
	{PropRequestResponseInfo, "Request Response Information", "request-response-information", PropTypeByte, []PacketType{TypeConnect}, false, true, false},
	{PropResponseInfo, "Response Information", "response-information", PropTypeString, []PacketType{TypeConnack}, false, false, false},
	{PropServerReference, "Server Reference", "server-reference", PropTypeString, []PacketType{TypeConnack, TypeDisconnect}, false, false, false},
	{PropReasonString, "Reason String", "reason-string", PropTypeString, reasonHosts, false, false, false},
	{PropReceiveMaximum, "Receive Maximum", "receive-maximum", PropTypeUint16, []PacketType{TypeConnect, TypeConnack}, false, false, true},
	{PropTopicAliasMaximum, "Topic Alias Maximum", "topic-alias-maximum", PropTypeUint16, []PacketType{TypeConnect, TypeConnack}, false, false, false},
	{PropTopicAlias, "Topic Alias", "topic-alias", PropTypeUint16, []PacketType{TypePublish}, false, false, true},
	{PropMaximumQoS, "Maximum QoS", "maximum-qos", PropTypeByte, []PacketType{TypeConnack}, false, true, false},
	{PropRetainAvailable, "Retain Available", "retain-available", PropTypeByte, []PacketType{TypeConnack}, false, true, false},
	{PropUserProperty, "User Property", "user-property", PropTypeStringPair, allHosts, true, false, false},
	{PropMaximumPacketSize, "Maximum Packet Size", "maximum-packet-size", PropTypeUint32, []PacketType{TypeConnect, TypeConnack}, false, false, true},
	{PropWildcardSubAvailable, "Wildcard Subscription Available", "wildcard-subscription-available", PropTypeByte, []PacketType{TypeConnack}, false, true, false},
	{PropSubscriptionIDAvailable, "Subscription Identifier Available", "subscription-identifier-available", PropTypeByte, []PacketType{TypeConnack}, false, true, false},
	{PropSharedSubAvailable, "Shared Subscription Available", "shared-subscription-available", PropTypeByte, []PacketType{TypeConnack}, false, true, false},
}

// propIndex maps an identifier to its row in propSpecs (0 = unknown).
var propIndex = func() (ix [64]int8) {
	for i, s := range propSpecs {
		ix[s.ID] = int8(i + 1)
	}
	return ix
}()

// LookupProp returns the specification of a property identifier.
func LookupProp(id PropID) (*PropSpec, bool) {
	if int(id) < len(propIndex) && propIndex[id] != 0 {
		return &propSpecs[propIndex[id]-1], true
	}
	return nil, false
}

// PropSpecs lists every property, in identifier order.
func PropSpecs() []PropSpec { return propSpecs }

// LookupPropKey finds a property by its mosquitto -D name
// (message-expiry-interval), also accepting underscores and any case.
func LookupPropKey(key string) (*PropSpec, bool) {
	k := strings.ReplaceAll(strings.ToLower(key), "_", "-")
	for i := range propSpecs {
		if propSpecs[i].Key == k {
			return &propSpecs[i], true
		}
	}
	return nil, false
}

// AllowedIn reports whether the property may appear in packets of type t
// (will selects the Will Properties of CONNECT).
func (s *PropSpec) AllowedIn(t PacketType, will bool) bool {
	if will {
		t = willProps
	}
	for _, h := range s.In {
		if h == t {
			return true
		}
	}
	return false
}

func (id PropID) String() string {
	if s, ok := LookupProp(id); ok {
		return s.Name
	}
	return "Unknown Property"
}
