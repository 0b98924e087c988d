# extract-mqtt.awk: keeps the MQTT part of `tshark -V` output: for each frame
# with MQTT sections, a "#frame N" line, then its "MQ Telemetry Transport
# Protocol" sections and "[Malformed Packet: MQTT]" blocks, and the sections
# the payload's sub-dissectors add right after an MQTT section ("JavaScript
# Object Notation", "Line-based text data", a JSON "[Dissector bug...]"),
# lines as printed.
/^Frame [0-9]+:/ { frame = $2; sub(":", "", frame); m = 0; next }
/^MQ Telemetry Transport Protocol/ || /^\[Malformed Packet: MQTT\]/ {
	if (shown != frame) { print "#frame " frame; shown = frame }
	m = 1; print; next
}
m && (/^JavaScript Object Notation/ || /^Line-based text data/ || /^\[Dissector bug, protocol JSON/) { print; next }
/^[^ ]/ || /^$/ { m = 0; next }
m { print }
