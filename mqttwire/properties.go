package mqttwire

// PropID is an MQTT 5.0 property identifier (§2.2.2.2).
type PropID byte

// The 27 property identifiers of MQTT 5.0.
const (
	PropPayloadFormat           PropID = 0x01
	PropMessageExpiry           PropID = 0x02
	PropContentType             PropID = 0x03
	PropResponseTopic           PropID = 0x08
	PropCorrelationData         PropID = 0x09
	PropSubscriptionID          PropID = 0x0B
	PropSessionExpiry           PropID = 0x11
	PropAssignedClientID        PropID = 0x12
	PropServerKeepAlive         PropID = 0x13
	PropAuthMethod              PropID = 0x15
	PropAuthData                PropID = 0x16
	PropRequestProblemInfo      PropID = 0x17
	PropWillDelay               PropID = 0x18
	PropRequestResponseInfo     PropID = 0x19
	PropResponseInfo            PropID = 0x1A
	PropServerReference         PropID = 0x1C
	PropReasonString            PropID = 0x1F
	PropReceiveMaximum          PropID = 0x21
	PropTopicAliasMaximum       PropID = 0x22
	PropTopicAlias              PropID = 0x23
	PropMaximumQoS              PropID = 0x24
	PropRetainAvailable         PropID = 0x25
	PropUserProperty            PropID = 0x26
	PropMaximumPacketSize       PropID = 0x27
	PropWildcardSubAvailable    PropID = 0x28
	PropSubscriptionIDAvailable PropID = 0x29
	PropSharedSubAvailable      PropID = 0x2A
)

// Property is one property as it stood on the wire. Which value field is
// meaningful depends on the identifier's PropType: Int for the numeric
// types, Str for strings (and the key of a user property), Value for the
// value of a user property, Bin for binary data.
type Property struct {
	ID    PropID
	Int   uint32
	Str   string
	Value string
	Bin   []byte
}

// Properties is a property block: the properties in wire order, repeats and
// all, and the block length as it was sent.
type Properties struct {
	// Length is the property length as decoded; encoding recomputes it.
	Length int
	List   []Property
}

// Get returns the first property with the given id.
func (ps *Properties) Get(id PropID) (Property, bool) {
	for _, p := range ps.List {
		if p.ID == id {
			return p, true
		}
	}
	return Property{}, false
}

// Int returns the numeric value of the first property with the given id.
func (ps *Properties) Int(id PropID) (uint32, bool) {
	p, ok := ps.Get(id)
	return p.Int, ok
}

// String returns the string value of the first property with the given id.
func (ps *Properties) String(id PropID) (string, bool) {
	p, ok := ps.Get(id)
	return p.Str, ok
}

// Add appends a property and returns the block, for building packets.
func (ps *Properties) Add(p Property) *Properties {
	ps.List = append(ps.List, p)
	return ps
}

// AddInt appends a numeric property.
func (ps *Properties) AddInt(id PropID, v uint32) *Properties {
	return ps.Add(Property{ID: id, Int: v})
}

// AddString appends a string property.
func (ps *Properties) AddString(id PropID, s string) *Properties {
	return ps.Add(Property{ID: id, Str: s})
}

// AddBinary appends a binary-data property.
func (ps *Properties) AddBinary(id PropID, b []byte) *Properties {
	return ps.Add(Property{ID: id, Bin: b})
}

// AddUser appends a user property.
func (ps *Properties) AddUser(key, value string) *Properties {
	return ps.Add(Property{ID: PropUserProperty, Str: key, Value: value})
}

// UserProperties returns the user properties in wire order.
func (ps *Properties) UserProperties() [][2]string {
	var out [][2]string
	for _, p := range ps.List {
		if p.ID == PropUserProperty {
			out = append(out, [2]string{p.Str, p.Value})
		}
	}
	return out
}
