// Package proxy forwards MQTT connections to an upstream broker, byte for
// byte, and hands a copy of every byte to a tap. It never alters, reorders
// or drops bytes: each read is written to the other side before the tap
// sees it, so dissection adds no latency to the byte that was read.
package proxy
