package output

import "github.com/mqtap/mqtap/mqttwire"

// HiddenPassword stands for a password in what mqtap shows unless the user
// asks for secrets: terminals, logs and CI output should not keep it.
const HiddenPassword = "<hidden>"

// HidePassword returns a CONNECT re-encoded with its password replaced by
// HiddenPassword, for display only (the wire and pcaps keep the real
// bytes). Anything else, or a CONNECT that does not decode cleanly, is
// returned as it is.
func HidePassword(raw []byte) []byte {
	if len(raw) == 0 || mqttwire.PacketType(raw[0]>>4) != mqttwire.TypeConnect {
		return raw
	}
	p, _, err := mqttwire.Decode(raw, mqttwire.V311)
	c, ok := p.(*mqttwire.Connect)
	if err != nil || !ok || !c.PasswordFlag {
		return raw
	}
	masked := *c
	masked.Password = []byte(HiddenPassword)
	b, err := masked.Append(nil, mqttwire.VersionOf(c))
	if err != nil {
		return raw
	}
	return b
}
