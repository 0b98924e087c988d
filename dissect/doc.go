// Package dissect is the pipeline behind `mqtap decode`: it frames MQTT
// PDUs out of hex-dump bytes or capture files, dissects each with the
// conversation state Wireshark keeps (the version learned from CONNECT, topic
// aliases), and writes them with the output package as tshark would: the
// packet list, the -V details, the -x bytes pane, or -T json/jsonl.
package dissect
