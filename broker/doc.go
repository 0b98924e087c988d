// Package broker runs an embedded MQTT broker (mochi-mqtt, MQTT 3.1.1 and
// 5.0) whose every client connection is tapped at the byte level: the
// listeners wrap each accepted net.Conn with a tap.Conn before the broker
// sees it, so what is shown is what crossed the socket, not the broker's
// parsed view of it.
package broker
