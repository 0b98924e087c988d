#!/usr/bin/env bash
# mkcaptures.sh: copies what the tests need from ../../testdata/shared so
# the package is self-contained:
#   captures/NAME.frames  one line per TCP segment with data:
#                         frame number, tcp.stream, tcp.srcport, payload hex
#                         (tshark -T fields on the capture)
#   captures/NAME.golden  the MQTT part of the shared NAME.V.txt (extract-mqtt.awk)
#   captures/NAME.json    the shared tshark -T json output (not the 2.5 MB one)
#   hexdumps/NAME.hex, hexdumps/NAME.golden  likewise for the hex dumps
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../testdata/shared}
mkdir -p "$here/captures" "$here/hexdumps"
port_of() { case $1 in v311-will-auth|v311-bad-password|v5-bad-password) echo 1885;; crafted-*) echo 1886;; *) echo 1883;; esac; }
for p in "$shared"/captures/*.pcap*; do
  n=$(basename "${p%.pcap*}")
  tshark -r "$p" -d "tcp.port==$(port_of "$n"),mqtt" -Y 'tcp.len>0' -T fields \
    -e frame.number -e tcp.stream -e tcp.srcport -e tcp.payload 2>/dev/null > "$here/captures/$n.frames"
  awk -f "$here/extract-mqtt.awk" "$shared/captures/$n.V.txt" > "$here/captures/$n.golden"
  [[ $n == v5-big-payload ]] || cp "$shared/captures/$n.json" "$here/captures/$n.json"
  cp "$shared/captures/$n.list.txt" "$here/captures/$n.list.txt"
done
for h in "$shared"/hexdumps/*.hex; do
  n=$(basename "$h" .hex)
  cp "$h" "$here/hexdumps/$n.hex"
  awk -f "$here/extract-mqtt.awk" "$shared/hexdumps/$n.V.txt" > "$here/hexdumps/$n.golden"
done
