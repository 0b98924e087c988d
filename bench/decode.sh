#!/usr/bin/env bash
# bench/decode.sh: `mqtap decode -V` against `tshark -V` on one large capture
# (or -T json against -T json with -m json).
#
# usage: bench/decode.sh [-n RUNS] [-s SIZE] [-m V|json] [CAPTURE]
#
# Builds mqtap, makes a synthetic capture of SIZE (default 20M; reused when
# it exists) unless CAPTURE is given, then runs both tools RUNS times
# (default 3), alternately so that load from other processes hits both
# alike, writing their output to files. It checks that the MQTT sections are
# identical (the shared mqttdiff.py) and says whether the whole outputs are,
# then prints the median wall time, CPU time (user+sys), peak RSS and the
# tshark/mqtap ratios. CPU time is the fair measure on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 size=20M mode=V
while getopts n:s:m: opt; do
  case $opt in
  n) runs=$OPTARG ;;
  s) size=$OPTARG ;;
  m) mode=$OPTARG ;;
  *) echo "usage: $0 [-n RUNS] [-s SIZE] [-m V|json] [CAPTURE]" >&2; exit 2 ;;
  esac
done
case $mode in
V) modeflags=(-V) ;;
json) modeflags=(-T json) ;;
*) echo "decode.sh: -m V or -m json" >&2; exit 2 ;;
esac
shift $((OPTIND - 1))
work=${BENCH_DIR:-/tmp/mqtap-bench}
mkdir -p "$work"
tools=$(cd ../shared/tools 2>/dev/null && pwd || true)
for c in tshark python3 /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "decode.sh: $c is needed" >&2; exit 2; }
done

go build ${GOFLAGS_BUILD:-} -o "$work/mqtap" .
cap=${1:-$work/synth-$size.pcapng}
if [[ ! -f $cap ]]; then
  go run ./bench/synthcap -size "$size" -o "$cap"
fi
# The same decode-as and message preference for both (without -o, mqtap
# shows printable payloads as text where tshark shows hex); references are
# made in UTC.
flags=(-d tcp.port==1883,mqtt -o mqtt.show_msg_as_text:FALSE)
export TZ=UTC

# run NAME CMD...: one timed run, output to $work/NAME.$mode.txt, a line
# "NAME wall user sys maxrss_kb" appended to $work/times.
run() {
  local name=$1
  shift
  /usr/bin/time -f "$name %e %U %S %M" -a -o "$work/times" "$@" >"$work/$name.$mode.txt" 2>"$work/$name.stderr"
}
: >"$work/times"
printf 'capture: %s (%s bytes)\n' "$cap" "$(stat -c %s "$cap")"
for i in $(seq "$runs"); do
  run mqtap "$work/mqtap" decode "${modeflags[@]}" "${flags[@]}" "$cap"
  run tshark tshark -r "$cap" "${modeflags[@]}" "${flags[@]}"
  printf 'run %d/%d done\n' "$i" "$runs"
done

if [[ $mode != V ]]; then
  : # mqttdiff.py reads -V text; the whole outputs are compared below
elif [[ -n $tools && -f $tools/mqttdiff.py ]]; then
  echo "MQTT sections (tshark reference vs mqtap):"
  python3 "$tools/mqttdiff.py" "$work/tshark.V.txt" "$work/mqtap.V.txt" | tail -n 1
else
  echo "mqttdiff.py not found (../shared/tools): comparing whole outputs only"
fi
if cmp -s "$work/tshark.$mode.txt" "$work/mqtap.$mode.txt"; then
  echo "whole $mode outputs: identical ($(wc -l <"$work/mqtap.$mode.txt") lines)"
else
  echo "whole $mode outputs: differ (first difference below)"
  cmp "$work/tshark.$mode.txt" "$work/mqtap.$mode.txt" || true
fi

python3 - "$work/times" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_), float(user), float(sys_), int(rss)))
med = {n: [statistics.median(r[i] for r in rs) for i in range(5)] for n, rs in rows.items()}
print(f"{'':8} {'wall s':>8} {'cpu s':>8} {'user s':>8} {'sys s':>8} {'max RSS':>10}   (median of {len(rows['mqtap'])} runs)")
for n in ("tshark", "mqtap"):
    w, c, u, s, r = med[n]
    print(f"{n:8} {w:8.2f} {c:8.2f} {u:8.2f} {s:8.2f} {r/1024:7.1f} MB")
t, m = med["tshark"], med["mqtap"]
print(f"{'ratio':8} {t[0]/m[0]:7.1f}x {t[1]/m[1]:7.1f}x {t[2]/m[2]:7.1f}x {'':8} {t[4]/m[4]:7.1f}x   (tshark / mqtap)")
PY
