// Command mqtap is a command-line tool for MQTT: publish and subscribe like
// mosquitto_pub/mosquitto_sub, decode packets and captures as Wireshark
// shows them, and smoke-test brokers in CI.
package main

import (
	"os"

	"github.com/mqtap/mqtap/commands"
)

// Set by the release build (-ldflags "-X main.version=...").
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	build := commands.BuildInfo{Version: version, Commit: commit, Date: date}
	os.Exit(commands.Run(os.Args, commands.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, build))
}
