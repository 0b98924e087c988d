package mqttwire

import "testing"

func TestPacketTypeNames(t *testing.T) {
	want := []string{"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
		"SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"}
	for i, name := range want {
		if got := PacketType(i).String(); got != name {
			t.Errorf("PacketType(%d) = %q, want %q", i, got, name)
		}
	}
	if got := PacketType(16).String(); got != "TYPE16" {
		t.Errorf("PacketType(16) = %q", got)
	}
	for typ := PacketType(0); typ < 18; typ++ {
		for _, v := range []Version{V31, V311, V5} {
			want := typ >= TypeConnect && typ <= TypeDisconnect || typ == TypeAuth && v == V5
			if typ.ExistsIn(v) != want {
				t.Errorf("%v.ExistsIn(%v) = %v", typ, v, !want)
			}
		}
	}
}

func TestVersions(t *testing.T) {
	tests := []struct {
		in   []string
		want Version
		name string
		str  string
	}{
		{[]string{"3", "31", "3.1", "mqttv31", "v31", " MQTTv31 "}, V31, "MQIsdp", "3.1"},
		{[]string{"4", "311", "3.1.1", "mqttv311", "v311", "MQTTV311"}, V311, "MQTT", "3.1.1"},
		{[]string{"5", "50", "5.0", "mqttv5", "mqttv50", "v5", "v50"}, V5, "MQTT", "5.0"},
	}
	for _, tt := range tests {
		for _, in := range tt.in {
			if v, err := ParseVersion(in); err != nil || v != tt.want {
				t.Errorf("ParseVersion(%q) = %v, %v", in, v, err)
			}
		}
		if tt.want.ProtocolName() != tt.name || tt.want.String() != tt.str || !tt.want.Valid() {
			t.Errorf("%v: name %q, string %q", byte(tt.want), tt.want.ProtocolName(), tt.want.String())
		}
	}
	for _, in := range []string{"", "6", "3.2", "mqtt"} {
		if _, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", in)
		}
	}
	if _, err := ParseVersion("6"); err.Error() != `unknown MQTT version "6" (want 3.1, 3.1.1 or 5)` {
		t.Errorf("error text %q", err)
	}
	if Version(6).String() != "level 6" || Version(6).Valid() || Version(0).Valid() {
		t.Errorf("level 6: %q", Version(6).String())
	}
	for level, want := range map[byte]Version{3: V31, 4: V311, 5: V5, 0: V311, 6: V311, 255: V311} {
		if got := VersionOf(&Connect{ProtocolLevel: level}); got != want {
			t.Errorf("VersionOf(level %d) = %v, want %v", level, got, want)
		}
	}
}

func TestReasonNames(t *testing.T) {
	tests := []struct {
		t        PacketType
		v        Version
		c        ReasonCode
		name     string
		describe string
	}{
		{TypeConnack, V311, 0, "Connection Accepted", "Connection Accepted (0)"},
		{TypeConnack, V31, 5, "Connection Refused: not authorized", "Connection Refused: not authorized (5)"},
		{TypeConnack, V311, 6, "", "unknown return code (6)"},
		{TypeConnack, V5, 0x87, "Not authorized", "Not authorized (0x87)"},
		{TypeConnack, V5, 0x00, "Success", "Success (0x00)"},
		{TypeSuback, V5, 0x00, "Granted QoS 0", "Granted QoS 0 (0x00)"},
		{TypeSuback, V311, 0x80, "Unspecified error", "Unspecified error (0x80)"},
		{TypeDisconnect, V5, 0x00, "Normal disconnection", "Normal disconnection (0x00)"},
		{TypeDisconnect, V5, 0x04, "Disconnect with Will Message", "Disconnect with Will Message (0x04)"},
		{TypePuback, V5, 0x10, "No matching subscribers", "No matching subscribers (0x10)"},
		{TypeUnsuback, V5, 0x11, "No subscription existed", "No subscription existed (0x11)"},
		{TypeAuth, V5, 0x18, "Continue authentication", "Continue authentication (0x18)"},
		{TypeAuth, V5, 0x19, "Re-authenticate", "Re-authenticate (0x19)"},
		{TypeDisconnect, V5, 0xA2, "Wildcard Subscription not supported", "Wildcard Subscription not supported (0xA2)"},
		{TypePuback, V5, 0x03, "", "unknown reason code (0x03)"},
	}
	for _, tt := range tests {
		if got := ReasonName(tt.t, tt.v, tt.c); got != tt.name {
			t.Errorf("ReasonName(%v, %v, %#x) = %q, want %q", tt.t, tt.v, tt.c, got, tt.name)
		}
		if got := Describe(tt.t, tt.v, tt.c); got != tt.describe {
			t.Errorf("Describe(%v, %v, %#x) = %q, want %q", tt.t, tt.v, tt.c, got, tt.describe)
		}
	}
	// Every code MQTT 5.0 §2.4 defines has a name.
	for _, c := range []ReasonCode{0x00, 0x01, 0x02, 0x04, 0x10, 0x11, 0x18, 0x19, 0x80, 0x81, 0x82, 0x83, 0x84,
		0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,
		0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2} {
		if ReasonName(TypeDisconnect, V5, c) == "" {
			t.Errorf("reason code %#x has no name", c)
		}
		if c.IsError() != (c >= 0x80) {
			t.Errorf("%#x.IsError() = %v", c, c.IsError())
		}
	}
}

func TestSubscriptionOptions(t *testing.T) {
	for qos := range byte(3) {
		for rh := range byte(3) {
			for _, nl := range []bool{false, true} {
				for _, rap := range []bool{false, true} {
					s := Subscription{Options: SubOptions(qos, nl, rap, rh)}
					if s.QoS() != qos || s.NoLocal() != nl || s.RetainAsPublished() != rap || s.RetainHandling() != rh {
						t.Errorf("SubOptions(%d, %v, %v, %d) = %#x reads back as %d %v %v %d",
							qos, nl, rap, rh, s.Options, s.QoS(), s.NoLocal(), s.RetainAsPublished(), s.RetainHandling())
					}
					if s.Options&SubOptReserved != 0 {
						t.Errorf("SubOptions set reserved bits: %#x", s.Options)
					}
				}
			}
		}
	}
	if o := SubOptions(2, true, true, 2); o != 0x2E {
		t.Errorf("SubOptions(2, true, true, 2) = %#x, want 0x2E (MQTT 5.0 Figure 3-21)", o)
	}
	if !ValidFilter("+/+/#") || ValidFilter("") || ValidFilter("a#") || ValidFilter("#/a") || ValidFilter("a/b+") {
		t.Errorf("ValidFilter disagrees with MQTT 5.0 §4.7.1")
	}
}

func TestConnackSessionPresent(t *testing.T) {
	if (&Connack{AckFlags: 1}).SessionPresent() != true || (&Connack{AckFlags: 2}).SessionPresent() {
		t.Errorf("SessionPresent reads the wrong bit")
	}
}
