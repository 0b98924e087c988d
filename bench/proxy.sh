#!/usr/bin/env bash
# Measures what `mqtap proxy` costs on loopback.
#
# 1. The Go benchmarks of the forwarding core (proxy/bench_test.go): the
#    round trip of a 64-byte PUBLISH echoed by the upstream, direct vs
#    through the proxy vs through the proxy with a tap printing summary
#    lines (p50/p99 in µs), and one-way throughput of 1 KiB PUBLISHes.
# 2. Whole commands: `mqtap pub -q 1 -M 1` against a private mosquitto,
#    directly, through a bare relay (io.Copy both ways, built here: the
#    floor for any user-space proxy, since each hop wakes another process)
#    and through `mqtap proxy` (summary lines to /dev/null); the PUBACK
#    latency percentiles that pub --summary prints, and the time for COUNT
#    messages at QoS 0 with -l.
#
#   bench/proxy.sh                 COUNT=5000, BENCHTIME=3s
#   COUNT=20000 BENCHTIME=5s bench/proxy.sh
source "$(dirname "$0")/lib.sh"

COUNT=${COUNT:-5000}
BENCHTIME=${BENCHTIME:-3s}

echo "== forwarding core (go test -bench, $BENCHTIME each)"
(cd "$ROOT" && go test -run '^$' -bench 'RoundTrip|Throughput' -benchtime "$BENCHTIME" ./proxy/) |
	grep -E '^Benchmark' | sed 's/^Benchmark//'

mkdir -p "$WORK/relay"
cat >"$WORK/relay/main.go" <<'GO'
// relay forwards each connection to the upstream with io.Copy: nothing else.
package main

import (
	"io"
	"net"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		panic(err)
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			u, err := net.Dial("tcp", os.Args[2])
			if err != nil {
				return
			}
			defer u.Close()
			go io.Copy(u, c)
			io.Copy(c, u)
		}()
	}
}
GO
printf 'module relay\ngo 1.22\n' >"$WORK/relay/go.mod"
(cd "$WORK/relay" && go build -o "$WORK/relaybin" .)

start_broker
PROXY_PORT=$(free_port)
RELAY_PORT=$(free_port)
"$MQTAP" proxy --listen "127.0.0.1:$PROXY_PORT" --upstream "127.0.0.1:$PORT" >/dev/null 2>"$WORK/proxy.log" &
PROXY_PID=$!
"$WORK/relaybin" "127.0.0.1:$RELAY_PORT" "127.0.0.1:$PORT" &
RELAY_PID=$!
trap 'kill $PROXY_PID $RELAY_PID 2>/dev/null || true; wait $PROXY_PID $RELAY_PID 2>/dev/null || true; cleanup' EXIT
for p in "$PROXY_PORT" "$RELAY_PORT"; do
	for _ in $(seq 100); do
		mosquitto_pub -h 127.0.0.1 -p "$p" -t bench/ping -n 2>/dev/null && break
		sleep 0.05
	done
done
seq 1 "$COUNT" | sed 's/^/line /' >"$WORK/lines"

acks() { # port: PUBACK latencies of COUNT QoS 1 messages sent one at a time
	"$MQTAP" pub -h 127.0.0.1 -p "$1" -t bench/rt -m x -q 1 -M 1 --count "$COUNT" --summary 2>&1 >/dev/null | grep acknowledged
}
lines() { "$MQTAP" pub -h 127.0.0.1 -p "$1" -t bench/lines -q 0 -l <"$WORK/lines"; }

echo
echo "== whole commands: mqtap pub -q 1 -M 1 --count $COUNT (PUBACK round trip)"
for round in $(seq "$ROUNDS"); do
	printf '%-8s %s\n' direct "$(acks "$PORT")"
	printf '%-8s %s\n' relay "$(acks "$RELAY_PORT")"
	printf '%-8s %s\n' "mqtap" "$(acks "$PROXY_PORT")"
done
echo
echo "== whole commands: mqtap pub -l, $COUNT lines, QoS 0 ($ROUNDS rounds, best, seconds)"
printf '%-8s %.3f\n' direct "$(best_of "$ROUNDS" lines "$PORT")"
printf '%-8s %.3f\n' relay "$(best_of "$ROUNDS" lines "$RELAY_PORT")"
printf '%-8s %.3f\n' mqtap "$(best_of "$ROUNDS" lines "$PROXY_PORT")"
