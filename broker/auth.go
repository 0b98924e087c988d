package broker

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// authHook admits anyone (users nil) or the listed users with their
// password, and lets every client use every topic. (mochi's own auth
// hooks would pull in a YAML module for this.)
type authHook struct {
	mqtt.HookBase
	users map[string]string
}

func (h *authHook) ID() string { return "mqtap-auth" }

func (h *authHook) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (h *authHook) OnConnectAuthenticate(_ *mqtt.Client, pk packets.Packet) bool {
	if h.users == nil {
		return true
	}
	pw, ok := h.users[string(pk.Connect.Username)]
	return ok && pw == string(pk.Connect.Password)
}

func (h *authHook) OnACLCheck(*mqtt.Client, string, bool) bool { return true }

// ReadUsers reads a users file: one "user:password" per line (the
// password is everything after the first colon); blank lines and lines
// starting with # are skipped.
func ReadUsers(r io.Reader) (map[string]string, error) {
	users := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, pw, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("line %d: want user:password", n)
		}
		if strings.HasPrefix(pw, "$6$") || strings.HasPrefix(pw, "$7$") {
			return nil, fmt.Errorf("line %d: hashed passwords (mosquitto_passwd) are not supported; write user:password", n)
		}
		users[user] = pw
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("no users")
	}
	return users, nil
}
