//go:build interop

package commands_test

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMosquittoUnixSocketAndRemoveRetained runs mqtap pub and sub over
// mosquitto's Unix socket listener, and checks with mosquitto_sub that
// sub --remove-retained cleared the broker's retained message.
func TestMosquittoUnixSocketAndRemoveRetained(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "m.sock")
	m := startMosquitto(t, "allow_anonymous true", "listener 0 "+sock)
	mosquittoSub := lookTool(t, "mosquitto_sub", "/usr/bin/mosquitto_sub")

	expectCode(t, mqtap(nil, "pub", "--unix", sock, "-t", "ux/r", "-m", "kept", "-r", "-q", "1"), 0)
	res := mqtap(nil, "sub", "--unix", sock, "-t", "ux/#", "-C", "1", "-v", "--remove-retained")
	expectCode(t, res, 0)
	if res.out != "ux/r kept\n" {
		t.Fatalf("sub --unix: %q", res.out)
	}
	// mosquitto_sub exits 27 (its timeout) when -W passes with nothing.
	out, _ := exec.Command(mosquittoSub, "-h", "127.0.0.1", "-p", m.port, "-t", "ux/#", "--retained-only", "-W", "1", "-v").Output()
	if len(out) != 0 {
		t.Errorf("retained message still on mosquitto after --remove-retained: %q", out)
	}
}
