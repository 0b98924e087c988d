package broker

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
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
	return samePassword(pw, pk.Connect.Password) && ok
}

// samePassword compares in time that depends on neither password: both
// are hashed first, so that not even the length of the right one leaks.
func samePassword(want string, got []byte) bool {
	w, g := sha256.Sum256([]byte(want)), sha256.Sum256(got)
	return subtle.ConstantTimeCompare(w[:], g[:]) == 1
}

func (h *authHook) OnACLCheck(*mqtt.Client, string, bool) bool { return true }

// ReadUsers reads a users file: one "user:password" per line, in plain
// text. The password is everything after the first colon, colons and
// spaces included: only the line end ("\n" or "\r\n") is dropped, as
// mosquitto_passwd -U does when it reads a plain-text file, so a password
// may begin or end with a space. Blanks around the user name are dropped,
// as mosquitto does. Blank lines and lines starting with # are skipped.
func ReadUsers(r io.Reader) (map[string]string, error) {
	users := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if trimmed := strings.TrimSpace(line); trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		user, pw, ok := strings.Cut(line, ":")
		user = strings.TrimSpace(user)
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
