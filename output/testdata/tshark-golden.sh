#!/usr/bin/env bash
# tshark-golden.sh CASE... : writes CASE's .golden next to it, made by real
# tshark 4.0.17 (the oracle for what the shared captures do not cover).
#
# A case file holds one TCP segment (one frame) per line: "I <hex>" client
# to broker, "O <hex>" broker to client. Lines starting with # are comments;
# "#text" runs tshark with -o mqtt.show_msg_as_text:TRUE, and
# "#default_version v311" with -o mqtt.default_version:v311, and "#json"
# also writes CASE's .json (tshark -T json, only the frame, mqtt, json,
# data-text-lines and _ws.malformed layers: -J) and .list.txt (the list),
# for the payload sub-dissector cases (Protocol, Info, "json" layers).
# The golden keeps only the MQTT part of `tshark -V` (extract-mqtt.awk).
# The commands it runs:
#   text2pcap -q -D -T 50000,1883 CASE.txt CASE.pcap
#   TZ=UTC tshark -r CASE.pcap -V [-o ...] | awk -f extract-mqtt.awk
# The case files themselves are written by mkcases.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for c in "$@"; do
  tmp=$(mktemp -d)
  awk '/^[IO] /{printf "%s 0000", $1; hex=$2; for(i=1;i<=length(hex);i+=2) printf " %s", substr(hex,i,2); printf "\n"}' "$c" > "$tmp/in.txt"
  text2pcap -q -D -T 50000,1883 "$tmp/in.txt" "$tmp/f.pcap" 2>/dev/null
  opts=()
  grep -q '^#text' "$c" && opts+=(-o mqtt.show_msg_as_text:TRUE)
  v=$(sed -n 's/^#default_version \(.*\)/\1/p' "$c"); [[ -n $v ]] && opts+=(-o "mqtt.default_version:$v")
  TZ=UTC tshark -r "$tmp/f.pcap" -V "${opts[@]}" 2>/dev/null | awk -f "$here/extract-mqtt.awk" > "${c%.case}.golden"
  if grep -q '^#json' "$c"; then
    TZ=UTC tshark -r "$tmp/f.pcap" -T json -J "frame mqtt json data-text-lines _ws.malformed" "${opts[@]}" 2>/dev/null > "${c%.case}.json"
    TZ=UTC tshark -r "$tmp/f.pcap" "${opts[@]}" 2>/dev/null > "${c%.case}.list.txt"
  fi
  rm -rf "$tmp"
done
