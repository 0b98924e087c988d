#!/usr/bin/env bash
# Times `mqtap sub` against `mosquitto_sub` receiving COUNT messages from
# the same private mosquitto while mosquitto_pub -l publishes them, at
# QoS 0 and QoS 1 (the subscriber acknowledges each message). Output goes
# to a file, as a pipeline would consume it, and is checked complete and
# in order. Ratio < 1: mqtap is faster.
#
#   bench/sub.sh            COUNT=100000, 3 rounds
#   COUNT=20000 bench/sub.sh
# (mosquitto 2.0.11 here cut the QoS 1 publisher off "due to out of memory"
# after about 34500 of 100000 messages whichever subscriber ran, so the
# QoS 1 row needs COUNT=20000; the subscriber's -W 300 bounds such a run.)
source "$(dirname "$0")/harness.sh"

COUNT=${COUNT:-100000}
start_broker
seq 1 "$COUNT" | sed 's/^/message /' >"$WORK/lines"

# live TOOL QOS: start the subscriber, give it time to subscribe (the same
# pause for both tools), publish, wait for it to print COUNT messages.
live() {
	local sub
	case $1 in
	mqtap) "$MQTAP" sub -h 127.0.0.1 -p "$PORT" -i live-sub -q "$2" -t bench/live -C "$COUNT" -W 300 >"$WORK/out" & ;;
	mosquitto) mosquitto_sub -h 127.0.0.1 -p "$PORT" -i live-sub -q "$2" -t bench/live -C "$COUNT" -W 300 >"$WORK/out" & ;;
	esac
	sub=$!
	sleep 0.3
	mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/live -q "$2" -l <"$WORK/lines"
	wait "$sub" || true
	if ! cmp -s "$WORK/out" "$WORK/lines"; then
		echo "bench: $1 did not print the $COUNT messages in order" >&2
		exit 1
	fi
}

header
for q in 0 1; do
	report "sub, $COUNT messages, QoS $q" "$(best_of "$ROUNDS" live mqtap "$q")" "$(best_of "$ROUNDS" live mosquitto "$q")"
done
