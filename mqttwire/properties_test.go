package mqttwire

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// willPlace stands for the Will Properties of CONNECT in specTable.
const willPlace PacketType = 16

// specTable is MQTT 5.0 §2.2.2.2 Table 2-4, typed out again from the
// specification rather than copied from proptable.go.
var specTable = []struct {
	id     PropID
	name   string
	typ    PropType
	places []PacketType
}{
	{0x01, "Payload Format Indicator", PropTypeByte, []PacketType{TypePublish, willPlace}},
	{0x02, "Message Expiry Interval", PropTypeUint32, []PacketType{TypePublish, willPlace}},
	{0x03, "Content Type", PropTypeString, []PacketType{TypePublish, willPlace}},
	{0x08, "Response Topic", PropTypeString, []PacketType{TypePublish, willPlace}},
	{0x09, "Correlation Data", PropTypeBinary, []PacketType{TypePublish, willPlace}},
	{0x0B, "Subscription Identifier", PropTypeVarint, []PacketType{TypePublish, TypeSubscribe}},
	{0x11, "Session Expiry Interval", PropTypeUint32, []PacketType{TypeConnect, TypeConnack, TypeDisconnect}},
	{0x12, "Assigned Client Identifier", PropTypeString, []PacketType{TypeConnack}},
	{0x13, "Server Keep Alive", PropTypeUint16, []PacketType{TypeConnack}},
	{0x15, "Authentication Method", PropTypeString, []PacketType{TypeConnect, TypeConnack, TypeAuth}},
	{0x16, "Authentication Data", PropTypeBinary, []PacketType{TypeConnect, TypeConnack, TypeAuth}},
	{0x17, "Request Problem Information", PropTypeByte, []PacketType{TypeConnect}},
	{0x18, "Will Delay Interval", PropTypeUint32, []PacketType{willPlace}},
	{0x19, "Request Response Information", PropTypeByte, []PacketType{TypeConnect}},
	{0x1A, "Response Information", PropTypeString, []PacketType{TypeConnack}},
	{0x1C, "Server Reference", PropTypeString, []PacketType{TypeConnack, TypeDisconnect}},
	{0x1F, "Reason String", PropTypeString, []PacketType{TypeConnack, TypePuback, TypePubrec, TypePubrel, TypePubcomp,
		TypeSuback, TypeUnsuback, TypeDisconnect, TypeAuth}},
	{0x21, "Receive Maximum", PropTypeUint16, []PacketType{TypeConnect, TypeConnack}},
	{0x22, "Topic Alias Maximum", PropTypeUint16, []PacketType{TypeConnect, TypeConnack}},
	{0x23, "Topic Alias", PropTypeUint16, []PacketType{TypePublish}},
	{0x24, "Maximum QoS", PropTypeByte, []PacketType{TypeConnack}},
	{0x25, "Retain Available", PropTypeByte, []PacketType{TypeConnack}},
	{0x26, "User Property", PropTypeStringPair, []PacketType{TypeConnect, TypeConnack, TypePublish, willPlace, TypePuback,
		TypePubrec, TypePubrel, TypePubcomp, TypeSubscribe, TypeSuback, TypeUnsubscribe, TypeUnsuback, TypeDisconnect, TypeAuth}},
	{0x27, "Maximum Packet Size", PropTypeUint32, []PacketType{TypeConnect, TypeConnack}},
	{0x28, "Wildcard Subscription Available", PropTypeByte, []PacketType{TypeConnack}},
	{0x29, "Subscription Identifier Available", PropTypeByte, []PacketType{TypeConnack}},
	{0x2A, "Shared Subscription Available", PropTypeByte, []PacketType{TypeConnack}},
}

// propertyPlaces are the packets with a property block, and the will.
var propertyPlaces = []PacketType{TypeConnect, TypeConnack, TypePublish, TypePuback, TypePubrec, TypePubrel,
	TypePubcomp, TypeSubscribe, TypeSuback, TypeUnsubscribe, TypeUnsuback, TypeDisconnect, TypeAuth, willPlace}

func TestPropTable(t *testing.T) {
	specs := PropSpecs()
	if len(specs) != 27 || len(specTable) != 27 {
		t.Fatalf("%d properties in the codec, %d in the specification table; want 27", len(specs), len(specTable))
	}
	for i, want := range specTable {
		got := specs[i]
		if got.ID != want.id || got.Name != want.name || got.Type != want.typ {
			t.Errorf("row %d: %#02x %q type %d, want %#02x %q type %d", i, byte(got.ID), got.Name, got.Type, byte(want.id), want.name, want.typ)
		}
		s, ok := LookupProp(want.id)
		if !ok || s.ID != want.id || want.id.String() != want.name {
			t.Errorf("LookupProp(%#02x) = %v, %v", byte(want.id), s, ok)
		}
		for _, place := range propertyPlaces {
			allowed := slices.Contains(want.places, place)
			if got := s.AllowedIn(place, false); place != willPlace && got != allowed {
				t.Errorf("%s allowed in %v: %v, want %v", want.name, place, got, allowed)
			}
			if place == willPlace && s.AllowedIn(TypeConnect, true) != allowed {
				t.Errorf("%s allowed in will properties: %v, want %v", want.name, !allowed, allowed)
			}
		}
		key, ok := LookupPropKey(got.Key)
		if !ok || key.ID != want.id {
			t.Errorf("LookupPropKey(%q) = %v, %v", got.Key, key, ok)
		}
	}
	for id := range 256 {
		known := slices.ContainsFunc(specTable, func(s struct {
			id     PropID
			name   string
			typ    PropType
			places []PacketType
		}) bool {
			return s.id == PropID(id)
		})
		if _, ok := LookupProp(PropID(id)); ok != known {
			t.Errorf("LookupProp(%#02x) ok = %v", id, ok)
		}
		if !known && PropID(id).String() != "Unknown Property" {
			t.Errorf("PropID(%#02x).String() = %q", id, PropID(id).String())
		}
	}
	for _, key := range []string{"Message_Expiry_Interval", "message-expiry-interval", "MESSAGE-EXPIRY-INTERVAL"} {
		if s, ok := LookupPropKey(key); !ok || s.ID != PropMessageExpiry {
			t.Errorf("LookupPropKey(%q) = %v, %v", key, s, ok)
		}
	}
	if _, ok := LookupPropKey("no-such-property"); ok {
		t.Errorf("LookupPropKey found a property that does not exist")
	}
}

// hostPacket is a minimal valid MQTT 5.0 packet for a property place, with
// the property block to put properties in.
func hostPacket(place PacketType) (Packet, *Properties) {
	switch place {
	case TypeConnect:
		p := &Connect{ClientID: "c"}
		return p, &p.Properties
	case willPlace:
		p := &Connect{ClientID: "c", WillFlag: true, WillTopic: "w"}
		return p, &p.WillProperties
	case TypeConnack:
		p := &Connack{}
		return p, &p.Properties
	case TypePublish:
		p := &Publish{Topic: "t"}
		return p, &p.Properties
	case TypePuback:
		p := &Puback{Ack{PacketID: 1}}
		return p, &p.Properties
	case TypePubrec:
		p := &Pubrec{Ack{PacketID: 1}}
		return p, &p.Properties
	case TypePubrel:
		p := &Pubrel{Ack{PacketID: 1}}
		return p, &p.Properties
	case TypePubcomp:
		p := &Pubcomp{Ack{PacketID: 1}}
		return p, &p.Properties
	case TypeSubscribe:
		p := &Subscribe{PacketID: 1, Subscriptions: []Subscription{{Filter: "f"}}}
		return p, &p.Properties
	case TypeSuback:
		p := &Suback{PacketID: 1, ReasonCodes: []ReasonCode{0}}
		return p, &p.Properties
	case TypeUnsubscribe:
		p := &Unsubscribe{PacketID: 1, Filters: []string{"f"}}
		return p, &p.Properties
	case TypeUnsuback:
		p := &Unsuback{PacketID: 1, ReasonCodes: []ReasonCode{0}}
		return p, &p.Properties
	case TypeDisconnect:
		p := &Disconnect{}
		return p, &p.Properties
	case TypeAuth:
		p := &Auth{}
		return p, &p.Properties
	}
	panic(place)
}

// sampleProp is a property with a value its rules allow.
func sampleProp(id PropID) Property {
	s, _ := LookupProp(id)
	switch s.Type {
	case PropTypeString:
		return Property{ID: id, Str: "x"}
	case PropTypeBinary:
		return Property{ID: id, Bin: []byte{1}}
	case PropTypeStringPair:
		return Property{ID: id, Str: "k", Value: "v"}
	}
	return Property{ID: id, Int: 1}
}

func placeLabel(place PacketType) string {
	if place == willPlace {
		return "Will Properties"
	}
	return place.String()
}

// decodeWithProps encodes a host packet holding props and decodes it again.
func decodeWithProps(t *testing.T, place PacketType, props ...Property) (Packet, error) {
	t.Helper()
	p, ps := hostPacket(place)
	ps.List = props
	b, err := Encode(p, V5)
	if err != nil {
		t.Fatalf("%v: %v", place, err)
	}
	q, n, err := Decode(b, V5)
	if n != len(b) {
		t.Fatalf("%v: n = %d of %d", place, n, len(b))
	}
	return q, err
}

// TestPropertyPlaces puts every property in every packet that has
// properties: it decodes where Table 2-4 allows it and is a protocol error
// elsewhere.
func TestPropertyPlaces(t *testing.T) {
	for _, row := range specTable {
		for _, place := range propertyPlaces {
			t.Run(fmt.Sprintf("%s/%s", row.name, placeLabel(place)), func(t *testing.T) {
				q, err := decodeWithProps(t, place, sampleProp(row.id))
				if slices.Contains(row.places, place) {
					if err != nil {
						t.Fatalf("allowed property: %v", err)
					}
					_, ps := hostPacketOf(q, place)
					want := []Property{sampleProp(row.id)}
					if d := valueDiff(reflect.ValueOf(ps.List), reflect.ValueOf(want), "properties", true); d != "" {
						t.Errorf("decoded: %s", d)
					}
					return
				}
				var pe *ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("err = %v, want a *ProtocolError", err)
				}
				field := FieldProperties
				if place == willPlace {
					field = FieldWillProperties
				}
				reason := fmt.Sprintf("property %s not allowed in %s", row.name, placeLabel(place))
				if pe.Field != field || pe.Reason != reason || pe.Code != CodeProtocolError {
					t.Errorf("err = %+v, want %s: %s", pe, field, reason)
				}
			})
		}
	}
}

// hostPacketOf returns the property block of a decoded host packet.
func hostPacketOf(p Packet, place PacketType) (Packet, *Properties) {
	if place == willPlace {
		return p, &p.(*Connect).WillProperties
	}
	switch p := p.(type) {
	case *Connect:
		return p, &p.Properties
	case *Connack:
		return p, &p.Properties
	case *Publish:
		return p, &p.Properties
	case *Puback:
		return p, &p.Properties
	case *Pubrec:
		return p, &p.Properties
	case *Pubrel:
		return p, &p.Properties
	case *Pubcomp:
		return p, &p.Properties
	case *Subscribe:
		return p, &p.Properties
	case *Suback:
		return p, &p.Properties
	case *Unsubscribe:
		return p, &p.Properties
	case *Unsuback:
		return p, &p.Properties
	case *Disconnect:
		return p, &p.Properties
	case *Auth:
		return p, &p.Properties
	}
	panic(p)
}

// TestPropertyRepeats: only User Property, and Subscription Identifier in
// PUBLISH, may appear more than once (MQTT 5.0 §3.1.2.11 and following).
func TestPropertyRepeats(t *testing.T) {
	for _, row := range specTable {
		for _, place := range row.places {
			_, err := decodeWithProps(t, place, sampleProp(row.id), sampleProp(row.id))
			many := row.id == PropUserProperty || row.id == PropSubscriptionID && place == TypePublish
			var pe *ProtocolError
			switch {
			case many && err != nil:
				t.Errorf("%s twice in %s: %v", row.name, placeLabel(place), err)
			case !many && (!errors.As(err, &pe) || pe.Reason != "property "+row.name+" appears more than once"):
				t.Errorf("%s twice in %s: err = %v, want a repeat error", row.name, placeLabel(place), err)
			}
		}
	}
}

// TestPropertyValues checks the properties whose values are restricted.
func TestPropertyValues(t *testing.T) {
	tests := []struct {
		id    PropID
		place PacketType
		value uint32
		want  string
	}{
		{PropPayloadFormat, TypePublish, 2, "property Payload Format Indicator has value 2, want 0 or 1"},
		{PropRequestProblemInfo, TypeConnect, 2, "property Request Problem Information has value 2, want 0 or 1"},
		{PropRequestResponseInfo, TypeConnect, 255, "property Request Response Information has value 255, want 0 or 1"},
		{PropMaximumQoS, TypeConnack, 2, "property Maximum QoS has value 2, want 0 or 1"},
		{PropRetainAvailable, TypeConnack, 2, "property Retain Available has value 2, want 0 or 1"},
		{PropWildcardSubAvailable, TypeConnack, 2, "property Wildcard Subscription Available has value 2, want 0 or 1"},
		{PropSubscriptionIDAvailable, TypeConnack, 2, "property Subscription Identifier Available has value 2, want 0 or 1"},
		{PropSharedSubAvailable, TypeConnack, 2, "property Shared Subscription Available has value 2, want 0 or 1"},
		{PropSubscriptionID, TypeSubscribe, 0, "property Subscription Identifier must not be 0"},
		{PropReceiveMaximum, TypeConnack, 0, "property Receive Maximum must not be 0"},
		{PropTopicAlias, TypePublish, 0, "property Topic Alias must not be 0"},
		{PropMaximumPacketSize, TypeConnect, 0, "property Maximum Packet Size must not be 0"},
		// The limits themselves are fine.
		{PropPayloadFormat, TypePublish, 0, ""},
		{PropMaximumQoS, TypeConnack, 0, ""},
		{PropSubscriptionID, TypeSubscribe, MaxRemaining, ""},
		{PropTopicAlias, TypePublish, 0xFFFF, ""},
		{PropMaximumPacketSize, TypeConnack, 0xFFFFFFFF, ""},
		{PropSessionExpiry, TypeDisconnect, 0, ""},
		{PropTopicAliasMaximum, TypeConnect, 0, ""},
	}
	for _, tt := range tests {
		_, err := decodeWithProps(t, tt.place, Property{ID: tt.id, Int: tt.value})
		var pe *ProtocolError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v = %d: %v", tt.id, tt.value, err)
		case tt.want != "" && (!errors.As(err, &pe) || pe.Reason != tt.want || pe.Code != CodeProtocolError):
			t.Errorf("%v = %d: err = %v, want %q", tt.id, tt.value, err, tt.want)
		}
	}
}

func TestPropertiesAccessors(t *testing.T) {
	var ps Properties
	ps.AddInt(PropMessageExpiry, 60).AddString(PropContentType, "text/plain").
		AddBinary(PropCorrelationData, []byte{1}).AddUser("a", "1").AddUser("b", "2").
		Add(Property{ID: PropContentType, Str: "second"})
	if v, ok := ps.Int(PropMessageExpiry); !ok || v != 60 {
		t.Errorf("Int = %d, %v", v, ok)
	}
	if s, ok := ps.String(PropContentType); !ok || s != "text/plain" {
		t.Errorf("String = %q, %v: want the first", s, ok)
	}
	if p, ok := ps.Get(PropCorrelationData); !ok || string(p.Bin) != "\x01" {
		t.Errorf("Get = %+v, %v", p, ok)
	}
	if _, ok := ps.Get(PropTopicAlias); ok {
		t.Errorf("Get of an absent property succeeded")
	}
	if v, ok := ps.Int(PropTopicAlias); ok || v != 0 {
		t.Errorf("Int of an absent property = %d, %v", v, ok)
	}
	if got := ps.UserProperties(); !slices.Equal(got, [][2]string{{"a", "1"}, {"b", "2"}}) {
		t.Errorf("UserProperties = %v", got)
	}
	if got := (&Properties{}).UserProperties(); got != nil {
		t.Errorf("UserProperties of none = %v", got)
	}
	// The encoded size matches what the encoder writes.
	b, err := appendProps(nil, &ps, TypePublish)
	if err != nil || len(b) != ps.wireSize() || int(b[0]) != ps.size() {
		t.Errorf("appendProps wrote %d bytes, wireSize %d, size %d: %v", len(b), ps.wireSize(), ps.size(), err)
	}
	// An unknown identifier counts one byte and cannot be written.
	unknown := Properties{List: []Property{{ID: 0x7F}}}
	if unknown.size() != 1 {
		t.Errorf("size of an unknown property = %d", unknown.size())
	}
}
