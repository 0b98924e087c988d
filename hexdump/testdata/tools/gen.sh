#!/usr/bin/env bash
# Regenerates the real-tool dumps in this directory. Each NAME.TOOL file is
# the output of TOOL on NAME.bin (tool dumps) or on a capture from
# ../../../../shared/testdata/captures (tcpdump, tshark); the tests check that
# Parse gives back NAME.bin, or for captures NAME.payload (tshark's
# tcp.payload of each frame, one hex line per segment) and NAME.frames
# (tshark's frame_raw, one hex line per frame).
# Needs xxd, hexdump, od, base64, python3, tcpdump and tshark.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../../shared/testdata/captures

python3 - <<'PY'
# repeats.bin: runs of equal 16-byte lines, which hexdump -C, od and xxd -a
# print as '*'.
head = bytes.fromhex("102500064d51497364700302003c0017")
open("repeats.bin", "wb").write(head + bytes(64) + b"A" * 48 + bytes.fromhex("300500016162"))
# hexascii.bin: a PUBLISH whose topic and payload are hex digits, so the
# ASCII column of every dump looks like hex; it ends on a short line.
topic, payload = b"cafe/beef", b"deadbeef 0123456789abcdef ABCDEF 00 ff c0ffee abcd"
body = len(topic).to_bytes(2, "big") + topic + payload
open("hexascii.bin", "wb").write(bytes([0x30, len(body)]) + body)
PY

for f in repeats hexascii; do
  xxd $f.bin > $f.xxd
  xxd -g1 $f.bin > $f.xxd-g1
  xxd -c32 $f.bin > $f.xxd-c32
  xxd -u $f.bin > $f.xxd-u
  xxd -a $f.bin > $f.xxd-a
  xxd -p $f.bin > $f.xxd-p
  xxd -i $f.bin > $f.xxd-i
  hexdump -C $f.bin > $f.hexdump-C
  od -Ax -tx1 $f.bin > $f.od-Ax
  od -tx1 $f.bin > $f.od
  od -Ad -tx1 $f.bin > $f.od-Ad
  od -Ax -tx1z $f.bin > $f.od-z
  base64 $f.bin > $f.base64
  python3 -c 'import sys; print(repr(open(sys.argv[1], "rb").read()))' $f.bin > $f.py-repr
  python3 -c 'import sys; print([hex(b) for b in open(sys.argv[1], "rb").read()])' $f.bin > $f.py-hex
  python3 -c 'import sys, base64; print(base64.urlsafe_b64encode(open(sys.argv[1], "rb").read()).decode().rstrip("="))' $f.bin > $f.base64url
done
# Errors: 16-bit words in host byte order.
od -x repeats.bin > repeats.od-x
hexdump repeats.bin > repeats.hexdump

for c in v31-qos1 v311-ipv6; do
  src=$(ls $captures/$c.pcap* | head -1)
  tcpdump -nn -r "$src" -X 2>/dev/null > $c.tcpdump-X
  tcpdump -nn -r "$src" -XX 2>/dev/null > $c.tcpdump-XX
  tcpdump -nn -r "$src" -x 2>/dev/null > $c.tcpdump-x
  tcpdump -nn -r "$src" -xx 2>/dev/null > $c.tcpdump-xx
  # -v wraps headers over two lines; keep the "reading from file" notice.
  tcpdump -nn -v -r "$src" -XX > $c.tcpdump-vXX 2>&1
  tshark -r "$src" -x 2>/dev/null > $c.tshark-x
  tshark -r "$src" -T fields -e tcp.payload 2>/dev/null | grep . > $c.payload
  tshark -r "$src" -T json -x 2>/dev/null |
    python3 -c 'import json, sys; [print(p["_source"]["layers"]["frame_raw"][0]) for p in json.load(sys.stdin)]' > $c.frames
done
