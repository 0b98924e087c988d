#!/usr/bin/env bash
# Regenerates the dumps of whole network frames in this directory from the
# captures in ../../../../shared/testdata/captures and one made here.
#
# NAME.CASE.tshark-x is tshark 4.0's -x output with the case's display
# filter; .wireshark-copy is the same in the layout of Wireshark's Copy as
# Hex Dump (three spaces after the offset); .text2pcap is `od -Ax -tx1 -v`
# of each frame, the input text2pcap reads; .ip-od the same from the IP
# header on. NAME.CASE.payload is what the dump must decode to: the TCP
# payload of each frame with one, one hex line each, in frame order
# (tshark's tcp.payload) - for the cases whose display filter leaves frames
# out, the payloads of all the frames of the stream, which the reassembled
# panes stand in for. Large dumps are gzipped.
#
# Needs tshark, od and python3.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../../shared/testdata/captures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

payload() { # capture filter
  tshark -r "$1" -Y "$2" -T fields -e tcp.payload 2>/dev/null | grep . || true
}

# frames capture filter: the raw bytes of each frame, one hex line each.
frames() {
  tshark -r "$1" -Y "$2" -T json -x 2>/dev/null |
    python3 -c 'import json, sys; [print(p["_source"]["layers"]["frame_raw"][0]) for p in json.load(sys.stdin)]'
}

# od_frames SKIP: od -Ax -tx1 -v of each frame on stdin, from byte SKIP on.
od_frames() {
  local i=0
  while read -r f; do
    printf '%s' "${f:$((2 * $1))}" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' > "$tmp/f$i"
    od -Ax -tx1 -v "$tmp/f$i"
    i=$((i + 1))
  done
}

dst='tcp.dstport==1883 && tcp.len>0'
for c in v311-qos2-retain v5-qos1-properties v311-ipv6; do
  src=$(ls $captures/$c.pcap* | head -1)
  tshark -r "$src" -x -Y "$dst" 2>/dev/null > $c.dst.tshark-x
  payload "$src" "$dst" > $c.dst.payload
done
# Port 1885, and every frame: handshakes, both directions.
src=$captures/v311-will-auth.pcapng
tshark -r "$src" -x -Y 'tcp.dstport==1885 && tcp.len>0' 2>/dev/null > v311-will-auth.dst.tshark-x
payload "$src" 'tcp.dstport==1885 && tcp.len>0' > v311-will-auth.dst.payload
src=$captures/v311-sub-ping.pcapng
tshark -r "$src" -x 2>/dev/null > v311-sub-ping.all.tshark-x
payload "$src" 'tcp' > v311-sub-ping.all.payload

# Wireshark's layout, text2pcap's input, and dumps from the IP header.
src=$captures/v5-qos1-properties.pcapng
sed -E 's/^([0-9a-f]{4})  /\1   /' v5-qos1-properties.dst.tshark-x > v5-qos1-properties.dst.wireshark-copy
frames "$src" "$dst" | od_frames 0 > v5-qos1-properties.dst.text2pcap
frames "$src" "$dst" | od_frames 14 > v5-qos1-properties.dst.ip-od

# A PUBLISH reassembled from three segments: with -Y mqtt the middle one is
# left out and the "Reassembled TCP" pane stands in for it.
src=$captures/v5-big-payload.pcapng
tshark -r "$src" -x -Y 'mqtt && tcp.dstport==1883' 2>/dev/null | gzip -9n > v5-big-payload.mqtt.tshark-x.gz
payload "$src" "$dst" > v5-big-payload.mqtt.payload

# crafted-reassembly: a CONNECT and the first 10 bytes of a 300-byte
# PUBLISH in one segment, 200 bytes in the next, the rest and a PINGREQ in
# a third; the broker answers after. With -Y mqtt the reassembled PUBLISH
# starts inside a frame the dump has; from frame 6 on, in none.
python3 - "$tmp/crafted.pcap" <<'PY'
import struct, sys
def csum(b):
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def frame(sport, dport, seq, ack, flags, data=b""):
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65000, 0, 0)
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(data), 1, 0x4000, 64, 6, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])))
    ip[10:12] = struct.pack(">H", csum(bytes(ip)))
    return bytes(12) + b"\x08\x00" + bytes(ip) + tcp + data
connect = bytes.fromhex("101000044d5154540402003c000463726166")
topic = b"crafted/reassembly"
body = struct.pack(">H", len(topic)) + topic + bytes((i * 7) & 0xff for i in range(300 - 3 - 2 - len(topic)))
publish = b"\x30" + bytes([(len(body) & 0x7f) | 0x80, len(body) >> 7]) + body
assert len(publish) == 300
c, s = 1000, 5000
segs = [connect + publish[:10], publish[10:210], publish[210:] + b"\xc0\x00"]
pk = [frame(40000, 1883, c, 0, 0x02), frame(1883, 40000, s, c + 1, 0x12), frame(40000, 1883, c + 1, s + 1, 0x10)]
seq = c + 1
for d in segs:
    pk.append(frame(40000, 1883, seq, s + 1, 0x18, d))
    seq += len(d)
pk.append(frame(1883, 40000, s + 1, seq, 0x18, b"\x20\x02\x00\x00"))
pk.append(frame(1883, 40000, s + 5, seq, 0x18, b"\xd0\x00"))
out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pk):
    out += struct.pack("<IIII", 1700000000, i, len(p), len(p)) + p
open(sys.argv[1], "wb").write(out)
PY
src=$tmp/crafted.pcap
tshark -r "$src" -x 2>/dev/null > crafted-reassembly.all.tshark-x
payload "$src" tcp > crafted-reassembly.all.payload
tshark -r "$src" -x -Y mqtt 2>/dev/null > crafted-reassembly.mqtt.tshark-x
cp crafted-reassembly.all.payload crafted-reassembly.mqtt.payload
tshark -r "$src" -x -Y 'mqtt && frame.number >= 6' 2>/dev/null > crafted-reassembly.late.tshark-x
# The reassembled PUBLISH, the PINGREQ after it in frame 6, the answers.
{
  tshark -r "$src" -Y 'frame.number == 6' -T fields -e tcp.reassembled.data 2>/dev/null
  echo c000
  payload "$src" 'tcp && frame.number >= 7'
} > crafted-reassembly.late.payload
