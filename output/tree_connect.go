package output

import "github.com/mqtap/mqtap/mqttwire"

// connect follows tshark's CONNECT: protocol name, level, flags, keep
// alive, v5 properties, client id, will (v5 will properties, topic,
// message), then user name and password only while bytes remain.
func (b *builder) connect(p *mqttwire.Connect) {
	if b.failsAt(mqttwire.FieldProtocolName, fProtoLen) {
		return
	}
	b.lenStr(fProtoLen, fProtoName, p.ProtocolName)
	if b.failsAt(mqttwire.FieldProtocolLevel, nil) {
		return
	}
	b.uint(fVersion, uint64(p.ProtocolLevel))
	b.pos++
	if b.failsAt(mqttwire.FieldConnectFlags, nil) {
		return
	}
	b.bits(fConFlags, p.Flags, fConUname, fConPasswd, fConRetain, fConQoS, fConWill, fConClean, fConReserved)
	b.pos++
	if b.failsAt(mqttwire.FieldKeepAlive, nil) {
		return
	}
	b.uint(fKeepAlive, uint64(p.KeepAlive))
	b.pos += 2
	v5 := p.ProtocolLevel == byte(mqttwire.V5)
	if v5 && !b.properties(fProperties, &p.Properties, mqttwire.FieldProperties) {
		return
	}
	if b.rawTail {
		b.malformed() // not followed further (see Limitations in doc.go)
		return
	}
	if b.failsAt(mqttwire.FieldClientID, fClientIDLen) {
		return
	}
	b.lenStr(fClientIDLen, fClientID, p.ClientID)
	if p.Flags&mqttwire.ConnectFlagWill != 0 {
		if v5 && !b.properties(fWillProperties, &p.WillProperties, mqttwire.FieldWillProperties) {
			return
		}
		if b.rawTail {
			b.malformed()
			return
		}
		if b.failsAt(mqttwire.FieldWillTopic, fWillTopicLen) {
			return
		}
		b.uint(fWillTopicLen, uint64(len(p.WillTopic)))
		if len(p.WillTopic) > 0 {
			b.str(fWillTopic, p.WillTopic)
		} else {
			b.expert(eiIllegalLength)
		}
		b.pos += 2 + len(p.WillTopic)
		if b.failsAt(mqttwire.FieldWillPayload, fWillMsgLen) {
			return
		}
		b.uint(fWillMsgLen, uint64(len(p.WillPayload)))
		b.bytes(fWillMsg, p.WillPayload)
		b.pos += 2 + len(p.WillPayload)
	}
	// tshark reads the user name and password only while bytes remain.
	if p.Flags&mqttwire.ConnectFlagUsername != 0 && b.reportedLeft() > 0 {
		if b.failsAt(mqttwire.FieldUsername, fUsernameLen) {
			return
		}
		b.lenStr(fUsernameLen, fUsername, p.Username)
	}
	if p.Flags&mqttwire.ConnectFlagPassword != 0 && b.reportedLeft() > 0 {
		if b.failsAt(mqttwire.FieldPassword, fPasswdLen) {
			return
		}
		b.lenStr(fPasswdLen, fPasswd, string(p.Password))
	}
	b.bad = nil // what tshark did not read cannot make it malformed
}

// connack: 3.1 has a reserved byte where later versions have flags; 3.x
// has a return code where 5.0 (and an unknown version) has a reason code.
func (b *builder) connack(p *mqttwire.Connack) {
	if b.failsAt(mqttwire.FieldAckFlags, nil) {
		return
	}
	v := b.d.Version
	if v == mqttwire.V31 {
		b.uint(fConackReserved, uint64(p.AckFlags))
	} else {
		b.bits(fConackFlags, p.AckFlags, fConackFlagRes, fConackSP)
	}
	b.pos++
	if b.failsAt(mqttwire.FieldReasonCode, nil) {
		return
	}
	if v == mqttwire.V31 || v == mqttwire.V311 {
		b.uint(fConackVal, uint64(p.ReasonCode))
	} else {
		b.uint(fRCConnack, uint64(p.ReasonCode))
	}
	b.pos++
	if v == mqttwire.V5 {
		b.properties(fProperties, &p.Properties, mqttwire.FieldProperties)
	}
}
