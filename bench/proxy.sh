#!/usr/bin/env bash
# Measures what `mqtap proxy`, run as its own process, costs on loopback.
# Each upstream gets three paths: direct; through a bare relay (io.Copy
# both ways, built here: the floor for any user-space proxy, since each
# hop wakes another process); and through `mqtap proxy` (dissecting,
# summary lines to /dev/null). Upstreams: a private mosquitto, and a
# minimal MQTT responder built here (answers CONNECT, QoS 1 PUBLISH and
# PINGREQ, drops the rest), which shows the hops' cost without the
# broker's work and does not cap throughput.
#
# 1. Round trip: one QoS 1 PUBLISH at a time, time to its PUBACK. The
#    paths take turns, one round trip each, so that the machine's other
#    load falls on all three alike. Prints p50 and p99, what each path
#    adds to direct, and the ratios. The target: `mqtap proxy` adds under
#    100 µs at p50.
# 2. Throughput: MSGS QoS 0 PUBLISHes of SIZE bytes sent as fast as the
#    socket takes them, then a PINGREQ, timed to the PINGRESP (so every
#    PUBLISH has arrived). Best of ROUNDS per path, with the ratio to
#    direct.
# 3. Unless GO_BENCH=0: the Go benchmarks of the forwarding core in one
#    process (proxy/bench_test.go), BENCHTIME each.
#
#   bench/proxy.sh                          COUNT=5000 round trips per path, MSGS=100000, SIZE=64
#   COUNT=20000 ROUNDS=5 SIZE=1024 bench/proxy.sh
#
# Everything it writes goes under its work directory (mktemp -d, removed
# at the end), apart from Go's build cache.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
[[ -n ${WORK:-} && -d $WORK && -n ${MQTAP:-} && -x $MQTAP ]] || {
	echo "bench: harness.sh set up no work directory" >&2
	exit 1
}

COUNT=${COUNT:-5000}
MSGS=${MSGS:-100000}
SIZE=${SIZE:-64}
BENCHTIME=${BENCHTIME:-1s}
GO_BENCH=${GO_BENCH:-1}

PIDS=()
stop_all() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	cleanup
}
trap stop_all EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/tool"
cat >"$WORK/tool/main.go" <<'GO'
// benchtool: "relay LISTEN UPSTREAM" forwards each connection with io.Copy
// and nothing else; "sink LISTEN" is the least an MQTT server can be (it
// answers CONNECT, QoS 1 PUBLISH and PINGREQ, and drops everything else);
// "rtt" and "tput" measure MQTT paths named NAME=ADDR.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: benchtool relay|rtt|tput ...")
	}
	switch os.Args[1] {
	case "relay":
		relay(os.Args[2], os.Args[3])
	case "sink":
		sink(os.Args[2])
	case "rtt":
		rtt(os.Args[2:])
	case "tput":
		tput(os.Args[2:])
	default:
		fail("unknown mode " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "benchtool:", msg)
	os.Exit(1)
}

func relay(listen, upstream string) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fail(err.Error())
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				return
			}
			defer u.Close()
			go io.Copy(u, c)
			io.Copy(c, u)
		}()
	}
}

func sink(listen string) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fail(err.Error())
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go serveSink(c)
	}
}

func serveSink(c net.Conn) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 64<<10)
	w := bufio.NewWriterSize(c, 4<<10)
	for {
		h, err := r.ReadByte()
		if err != nil {
			return
		}
		n, err := binary.ReadUvarint(r) // MQTT's Remaining Length
		if err != nil {
			return
		}
		rest := int(n)
		switch h >> 4 {
		case 1: // CONNECT
			w.Write([]byte{0x20, 2, 0, 0})
		case 3: // PUBLISH
			if qos := h >> 1 & 3; qos == 1 {
				var tl [2]byte
				if _, err := io.ReadFull(r, tl[:]); err != nil {
					return
				}
				r.Discard(int(binary.BigEndian.Uint16(tl[:])))
				var id [2]byte
				if _, err := io.ReadFull(r, id[:]); err != nil {
					return
				}
				rest -= 4 + int(binary.BigEndian.Uint16(tl[:]))
				w.Write([]byte{0x40, 2, id[0], id[1]})
			}
		case 12: // PINGREQ
			w.Write([]byte{0xd0, 0})
		case 14: // DISCONNECT
			w.Flush()
			return
		}
		if _, err := r.Discard(rest); err != nil {
			return
		}
		if r.Buffered() == 0 {
			if w.Flush() != nil {
				return
			}
		}
	}
}

type path struct {
	name, addr string
	c          net.Conn
	r          *bufio.Reader
	samples    []time.Duration
}

func paths(args []string) []*path {
	var ps []*path
	for _, a := range args {
		name, addr, ok := strings.Cut(a, "=")
		if !ok {
			fail("want NAME=ADDR, got " + a)
		}
		ps = append(ps, &path{name: name, addr: addr})
	}
	return ps
}

// connect opens an MQTT 3.1.1 session with a clean start.
func (p *path) connect(id string) {
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		fail(p.name + ": " + err.Error())
	}
	p.c, p.r = c, bufio.NewReaderSize(c, 64<<10)
	vh := []byte{0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60}
	body := append(vh, byte(len(id)>>8), byte(len(id)))
	body = append(body, id...)
	p.write(append([]byte{0x10, byte(len(body))}, body...))
	if ack := p.read(4); ack[0] != 0x20 || ack[3] != 0 {
		fail(fmt.Sprintf("%s: CONNACK %x", p.name, ack))
	}
}

func (p *path) write(b []byte) {
	if _, err := p.c.Write(b); err != nil {
		fail(p.name + ": " + err.Error())
	}
}

func (p *path) read(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(p.r, b); err != nil {
		fail(p.name + ": " + err.Error())
	}
	return b
}

// publish is a PUBLISH of size bytes in all (or the least it can be) on
// topic "bench/proxy". (MQTT's Remaining Length is a uvarint.)
func publish(qos byte, id uint16, size int) []byte {
	const topic = "bench/proxy"
	head := 2 + len(topic)
	if qos > 0 {
		head += 2
	}
	rest := max(size-2, head)
	for rest > head && 1+varintLen(rest)+rest > size {
		rest--
	}
	b := []byte{0x30 | qos<<1}
	b = binary.AppendUvarint(b, uint64(rest))
	b = append(b, 0, byte(len(topic)))
	b = append(b, topic...)
	if qos > 0 {
		b = binary.BigEndian.AppendUint16(b, id)
	}
	return append(b, bytes.Repeat([]byte{'x'}, rest-head)...)
}

func varintLen(n int) int { return len(binary.AppendUvarint(nil, uint64(n))) }

func pct(s []time.Duration, p float64) float64 {
	return float64(s[min(len(s)-1, int(p*float64(len(s))))].Nanoseconds()) / 1e3
}

// rtt: -n round trips per path, the paths taking turns.
func rtt(args []string) {
	fs := flag.NewFlagSet("rtt", flag.ExitOnError)
	n := fs.Int("n", 5000, "round trips per path")
	size := fs.Int("size", 64, "PUBLISH size")
	fs.Parse(args)
	ps := paths(fs.Args())
	for i, p := range ps {
		p.connect(fmt.Sprintf("bench-rtt-%d", i))
	}
	warm := min(*n/10+1, 500)
	for i := -warm; i < *n; i++ {
		id := uint16((i+warm)%60000 + 1)
		msg := publish(1, id, *size)
		for k := range ps {
			p := ps[(k+i+warm)%len(ps)] // each path goes first as often
			t0 := time.Now()
			p.write(msg)
			ack := p.read(4)
			d := time.Since(t0)
			if ack[0] != 0x40 || binary.BigEndian.Uint16(ack[2:]) != id {
				fail(fmt.Sprintf("%s: want PUBACK %d, got %x", p.name, id, ack))
			}
			if i >= 0 {
				p.samples = append(p.samples, d)
			}
		}
	}
	base := ps[0]
	for _, p := range ps {
		slices.Sort(p.samples)
	}
	fmt.Printf("%-12s %9s %9s %9s %9s %9s %9s\n", "path", "p50 µs", "p99 µs", "+p50 µs", "+p99 µs", "p50 ×", "p99 ×")
	for _, p := range ps {
		p50, p99 := pct(p.samples, .50), pct(p.samples, .99)
		b50, b99 := pct(base.samples, .50), pct(base.samples, .99)
		fmt.Printf("%-12s %9.1f %9.1f %9.1f %9.1f %9.2f %9.2f\n", p.name, p50, p99, p50-b50, p99-b99, p50/b50, p99/b99)
	}
	if len(ps) >= 3 {
		relay, last := ps[len(ps)-2], ps[len(ps)-1]
		added := pct(last.samples, .50) - pct(base.samples, .50)
		verdict := "met"
		if added >= 100 {
			verdict = "NOT met"
		}
		fmt.Printf("%s adds %.1f µs at p50 (target < 100 µs: %s), %.1f µs at p99; over the %s: +%.1f µs p50, +%.1f µs p99\n",
			last.name, added, verdict, pct(last.samples, .99)-pct(base.samples, .99),
			relay.name, pct(last.samples, .50)-pct(relay.samples, .50), pct(last.samples, .99)-pct(relay.samples, .99))
	}
}

// tput: -n QoS 0 PUBLISHes then PINGREQ, per path, best of -rounds; the
// paths take turns round by round.
func tput(args []string) {
	fs := flag.NewFlagSet("tput", flag.ExitOnError)
	n := fs.Int("n", 100000, "messages per run")
	size := fs.Int("size", 64, "PUBLISH size")
	rounds := fs.Int("rounds", 3, "runs per path")
	fs.Parse(args)
	ps := paths(fs.Args())
	msg := publish(0, 0, *size)
	best := make([]time.Duration, len(ps))
	for r := 0; r < *rounds; r++ {
		for i, p := range ps {
			p.connect(fmt.Sprintf("bench-tput-%d", i))
			w := bufio.NewWriterSize(p.c, 64<<10)
			t0 := time.Now()
			for range *n {
				w.Write(msg)
			}
			w.Write([]byte{0xc0, 0})
			if err := w.Flush(); err != nil {
				fail(p.name + ": " + err.Error())
			}
			if resp := p.read(2); resp[0] != 0xd0 {
				fail(fmt.Sprintf("%s: want PINGRESP, got %x", p.name, resp))
			}
			d := time.Since(t0)
			p.write([]byte{0xe0, 0})
			p.c.Close()
			if best[i] == 0 || d < best[i] {
				best[i] = d
			}
		}
	}
	fmt.Printf("%-12s %9s %11s %9s %9s\n", "path", "seconds", "msg/s", "MiB/s", "ratio")
	for i, p := range ps {
		s := best[i].Seconds()
		fmt.Printf("%-12s %9.3f %11.0f %9.1f %9.2f\n", p.name, s, float64(*n)/s, float64(*n*len(msg))/s/(1<<20), best[0].Seconds()/s)
	}
}
GO
printf 'module benchtool\n\ngo 1.22\n' >"$WORK/tool/go.mod"
(cd "$WORK/tool" && GOWORK=off GOFLAGS= go build -o "$WORK/benchtool" .)

start_broker
SINK_PORT=$(free_port)
"$WORK/benchtool" sink "127.0.0.1:$SINK_PORT" &
PIDS+=("$!")
# For each upstream (mosquitto, the sink): a relay and an mqtap proxy.
declare -A VIA
for up in broker sink; do
	upport=$PORT
	[[ $up == sink ]] && upport=$SINK_PORT
	rp=$(free_port)
	"$WORK/benchtool" relay "127.0.0.1:$rp" "127.0.0.1:$upport" &
	PIDS+=("$!")
	pp=$(free_port)
	"$MQTAP" proxy --listen "127.0.0.1:$pp" --upstream "127.0.0.1:$upport" >/dev/null 2>>"$WORK/proxy.log" &
	PIDS+=("$!")
	VIA[$up]="direct=127.0.0.1:$upport relay=127.0.0.1:$rp mqtap-proxy=127.0.0.1:$pp"
	for p in "$upport" "$rp" "$pp"; do
		ok=""
		for _ in $(seq 100); do
			if mosquitto_pub -h 127.0.0.1 -p "$p" -t bench/ping -n 2>/dev/null; then ok=1; break; fi
			sleep 0.05
		done
		[[ -n $ok ]] || { echo "bench: nothing answers on port $p" >&2; cat "$WORK/proxy.log" >&2; exit 1; }
	done
done
read -r -a VIA_BROKER <<<"${VIA[broker]}"
read -r -a VIA_SINK <<<"${VIA[sink]}"

echo "== round trip: QoS 1 PUBLISH ($SIZE B) to PUBACK via mosquitto, $COUNT per path, paths interleaved"
"$WORK/benchtool" rtt -n "$COUNT" -size "$SIZE" "${VIA_BROKER[@]}"
echo
echo "== round trip: the same via a minimal MQTT responder instead (the hops alone, no broker work)"
"$WORK/benchtool" rtt -n "$COUNT" -size "$SIZE" "${VIA_SINK[@]}"
echo
echo "== throughput: $MSGS QoS 0 PUBLISHes of $SIZE B then PINGREQ into the minimal responder, best of $ROUNDS (ratio: msg/s over direct's)"
"$WORK/benchtool" tput -n "$MSGS" -size "$SIZE" -rounds "$ROUNDS" "${VIA_SINK[@]}"
echo
echo "== throughput: the same into mosquitto (what the broker takes)"
"$WORK/benchtool" tput -n "$MSGS" -size "$SIZE" -rounds "$ROUNDS" "${VIA_BROKER[@]}"

if [[ $GO_BENCH != 0 ]]; then
	echo
	echo "== forwarding core in one process (go test -bench, $BENCHTIME each; echo upstream, no broker)"
	(cd "$ROOT" && go test -run '^$' -bench 'RoundTrip|Throughput' -benchtime "$BENCHTIME" ./proxy/) |
		{ grep -E '^Benchmark' || true; } | sed 's/^Benchmark//'
fi
