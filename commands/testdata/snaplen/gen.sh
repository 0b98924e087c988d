#!/usr/bin/env bash
# gen.sh: the snap-length references. Cuts shared captures with editcap -s
# (as tcpdump -s N would have captured them) and writes tshark 4.0's -V and
# -T json for every capture here. The crafted-*.pcap files are small raw
# IPv4 captures (link type 228) written with a snap length: a PDU cut in
# its segment, a cut between two PDUs, a PDU that runs past its cut segment.
# The packet list (.list.txt) differs where the cut falls in a bitmask:
# tshark's list pass builds no tree, and proto_tree_add_bitmask then reads
# nothing.
# Run from this directory: bash gen.sh
set -euo pipefail
shared=../../../testdata/shared/captures
for spec in 80:v311-bad-password.pcapng 80:v311-will-auth.pcapng 96:v5-qos1-properties.pcapng 80:v311-sub-ping.pcapng 96:v5-request-response.pcapng; do
  editcap -s "${spec%%:*}" "$shared/${spec#*:}" "cut${spec%%:*}-${spec#*:}"
done
for f in *.pcap *.pcapng; do
  port=1883
  case $f in *will-auth* | *bad-password*) port=1885 ;; esac
  TZ=UTC tshark -r "$f" -V -d "tcp.port==$port,mqtt" -o mqtt.show_msg_as_text:FALSE >"${f%.*}.V.txt"
  TZ=UTC tshark -r "$f" -T json -d "tcp.port==$port,mqtt" >"${f%.*}.json"
  TZ=UTC tshark -r "$f" -d "tcp.port==$port,mqtt" >"${f%.*}.list.txt"
done
