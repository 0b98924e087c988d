#!/usr/bin/env bash
# Times `mqtap pub` against `mosquitto_pub` on the same private mosquitto:
# one message per process N times, and 100k stdin lines with -l at QoS
# 0, 1 and 2. Prints wall times and the ratio (mqtap / mosquitto; below 1
# means mqtap is faster). hyperfine is used when installed.
#
# mosquitto_pub 2.0.11 stops short of 100k lines at QoS 1 and 2 (see the
# end), so those are also timed on FULL lines, a count it sends whole.
#
#   bench/pub.sh            N=200 processes, 100000 lines, 3 rounds
#   N=500 LINES=50000 FULL=10000 ROUNDS=5 bench/pub.sh
source "$(dirname "$0")/harness.sh"

N=${N:-200}
LINES=${LINES:-100000}
FULL=${FULL:-20000}
start_broker
seq 1 "$LINES" | sed 's/^/line /' >"$WORK/lines"
head -n "$FULL" "$WORK/lines" >"$WORK/full"

many_mqtap() { for _ in $(seq "$N"); do "$MQTAP" pub -h 127.0.0.1 -p "$PORT" -t bench/one -m x; done; }
many_mosquitto() { for _ in $(seq "$N"); do mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/one -m x; done; }
lines_mqtap() { "$MQTAP" pub -h 127.0.0.1 -p "$PORT" -t bench/lines -q "$1" -l <"$WORK/lines"; }
lines_mosquitto() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/lines -q "$1" -l <"$WORK/lines"; }
full_mqtap() { "$MQTAP" pub -h 127.0.0.1 -p "$PORT" -t bench/full -q "$1" -l <"$WORK/full"; }
full_mosquitto() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/full -q "$1" -l <"$WORK/full"; }
export -f many_mqtap many_mosquitto lines_mqtap lines_mosquitto full_mqtap full_mosquitto
export MQTAP PORT N WORK

if command -v hyperfine >/dev/null; then
	hyperfine --warmup 1 --runs "$ROUNDS" -N -n "mqtap pub x$N" "bash -c many_mqtap" -n "mosquitto_pub x$N" "bash -c many_mosquitto"
	for q in 0 1 2; do
		hyperfine --runs "$ROUNDS" -n "mqtap pub -l q$q" "bash -c 'lines_mqtap $q'" -n "mosquitto_pub -l q$q" "bash -c 'lines_mosquitto $q'"
	done
	for q in 1 2; do
		hyperfine --runs "$ROUNDS" -n "mqtap pub -l q$q x$FULL" "bash -c 'full_mqtap $q'" -n "mosquitto_pub -l q$q x$FULL" "bash -c 'full_mosquitto $q'"
	done
	exit 0
fi

header
report "pub, 1 message per process x$N" "$(best_of "$ROUNDS" many_mqtap)" "$(best_of "$ROUNDS" many_mosquitto)"
for q in 0 1 2; do
	report "pub -l, $LINES lines, QoS $q" "$(best_of "$ROUNDS" lines_mqtap "$q")" "$(best_of "$ROUNDS" lines_mosquitto "$q")"
done
for q in 1 2; do
	report "pub -l, $FULL lines, QoS $q" "$(best_of "$ROUNDS" full_mqtap "$q")" "$(best_of "$ROUNDS" full_mosquitto "$q")"
done

# A run that drops lines finishes sooner: count what a subscriber received
# (mosquitto_pub 2.0.11 -l at QoS 1/2 has been seen to exit 0 after
# sending about a third of the lines), and compare time per delivered line.
echo
printf '%-38s %10s %10s %8s\n' "delivered (one run)" "mqtap" "mosquitto" "s/line ratio"
for q in 1 2; do
	t1=$(seconds lines_mqtap "$q"); d1=$(delivered bench/lines lines_mqtap "$q")
	t2=$(seconds lines_mosquitto "$q"); d2=$(delivered bench/lines lines_mosquitto "$q")
	printf '%-38s %10s %10s %8.2f\n' "pub -l, $LINES lines, QoS $q" "$d1" "$d2" "$(echo "($t1 / $d1) / ($t2 / $d2)" | bc -l)"
	d1=$(delivered bench/full full_mqtap "$q"); d2=$(delivered bench/full full_mosquitto "$q")
	printf '%-38s %10s %10s\n' "pub -l, $FULL lines, QoS $q" "$d1" "$d2"
done
