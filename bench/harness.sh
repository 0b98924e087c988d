# The harness pub.sh and sub.sh share: build mqtap, run a private mosquitto, time
# commands. Sourced, not run.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mqtap-bench.XXXXXX")
# Every file a bench writes goes under $WORK: never let an empty one turn
# "$WORK/x" into "/x".
[[ -n $WORK && -d $WORK && $WORK != / ]] || { echo "bench: no work directory" >&2; exit 1; }
MOSQUITTO=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
ROUNDS=${ROUNDS:-3}

cleanup() {
	if [[ -n ${BROKER_PID:-} ]]; then kill "$BROKER_PID" 2>/dev/null || true; wait "$BROKER_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "bench: $1 is not installed" >&2; exit 1; }; }
need mosquitto_pub; need mosquitto_sub; [[ -x $MOSQUITTO ]] || { echo "bench: no mosquitto" >&2; exit 1; }

echo "building mqtap..." >&2
(cd "$ROOT" && go build -o "$WORK/mqtap" .)
MQTAP=$WORK/mqtap

# free_port asks the kernel for an unused port.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_broker runs mosquitto on a free port with no queue limits, so a
# slow client is never the reason a message is dropped.
start_broker() {
	PORT=$(free_port)
	cat >"$WORK/mosquitto.conf" <<CONF
user root
listener $PORT 127.0.0.1
allow_anonymous true
max_queued_messages 1000000
max_inflight_messages 20
memory_limit 0
sys_interval 1
CONF
	"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
	BROKER_PID=$!
	for _ in $(seq 100); do
		mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/ping -n 2>/dev/null && return 0
		sleep 0.05
	done
	echo "bench: mosquitto did not start" >&2; cat "$WORK/mosquitto.log" >&2; exit 1
}

# seconds CMD... runs CMD and prints its wall time in seconds.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

# best_of ROUNDS CMD... prints the fastest of ROUNDS runs: the machine's
# other load only ever adds time.
best_of() {
	local n=$1 best="" t
	shift
	for _ in $(seq "$n"); do
		t=$(seconds "$@")
		if [[ -z $best ]] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
	done
	echo "$best"
}

# report NAME MQTAP_SECONDS MOSQUITTO_SECONDS prints one table row.
report() {
	printf '%-38s %10.3f %10.3f %8.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"
}

# delivered TOPIC CMD... runs CMD once and prints how many messages on
# TOPIC reached a subscriber (mosquitto_sub at QoS 0; the broker's queue is
# unlimited, so none is dropped on the way), counted once the count has
# settled. ($SYS's received counter misses QoS 2 in mosquitto 2.0.11.)
delivered() {
	local topic=$1 sp last="" n
	shift
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -t "$topic" >"$WORK/delivered" &
	sp=$!
	sleep 0.5
	"$@" >/dev/null
	for _ in $(seq 60); do
		sleep 1
		n=$(wc -l <"$WORK/delivered")
		[[ $n == "$last" ]] && break
		last=$n
	done
	kill "$sp"; wait "$sp" 2>/dev/null || true
	echo "$n"
}

header() {
	printf '%-38s %10s %10s %8s\n' "benchmark ($ROUNDS rounds, best)" "mqtap s" "mosquitto" "ratio"
}
