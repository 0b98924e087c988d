#!/usr/bin/env bash
# Times process start-up, which is most of a one-message publish: N runs
# of `mqtap --version` (start, print, exit) against `mosquitto_pub --help`
# (the same for mosquitto), and N one-message `mqtap pub` against
# `mosquitto_pub` on the same private mosquitto. mqtap is timed twice: as
# `go build` (and `go install`) makes it, and as the release is built
# (goreleaser.yaml: CGO_ENABLED=0 -trimpath -s -w, tag urfave_cli_no_docs),
# which is not dynamically linked and so starts faster. Prints the best total of ROUNDS
# rounds, the milliseconds per process and the ratio (mqtap / mosquitto;
# below 1 means mqtap is faster). hyperfine is used when installed.
#
#   bench/startup.sh            N=200 processes, 3 rounds
#   N=500 ROUNDS=5 bench/startup.sh
source "$(dirname "$0")/harness.sh"

N=${N:-200}
echo "building mqtap as the release does..." >&2
(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$WORK/mqtap-release" .)
MQTAP_RELEASE=$WORK/mqtap-release
start_broker

# Each runs one command N times; $1 is the mqtap binary where it matters.
version_mqtap() { for _ in $(seq "$N"); do "$1" --version; done >/dev/null; }
version_mosquitto() { for _ in $(seq "$N"); do mosquitto_pub --help || true; done >/dev/null 2>&1; }
pub_mqtap() { for _ in $(seq "$N"); do "$1" pub -h 127.0.0.1 -p "$PORT" -t bench/startup -m x; done; }
pub_mosquitto() { for _ in $(seq "$N"); do mosquitto_pub -h 127.0.0.1 -p "$PORT" -t bench/startup -m x; done; }
export -f version_mqtap version_mosquitto pub_mqtap pub_mosquitto
export MQTAP MQTAP_RELEASE PORT N

if command -v hyperfine >/dev/null; then
	hyperfine --warmup 1 --runs "$ROUNDS" -N \
		-n "mqtap --version x$N" "bash -c 'version_mqtap $MQTAP'" \
		-n "mqtap --version x$N (release build)" "bash -c 'version_mqtap $MQTAP_RELEASE'" \
		-n "mosquitto_pub --help x$N" "bash -c version_mosquitto"
	hyperfine --warmup 1 --runs "$ROUNDS" -N \
		-n "mqtap pub x$N" "bash -c 'pub_mqtap $MQTAP'" \
		-n "mqtap pub x$N (release build)" "bash -c 'pub_mqtap $MQTAP_RELEASE'" \
		-n "mosquitto_pub x$N" "bash -c pub_mosquitto"
	exit 0
fi

# row NAME MQTAP_SECONDS MOSQUITTO_SECONDS: report's row, with the
# milliseconds per process of each.
row() {
	report "$1" "$2" "$3"
	printf '%-38s %10.2f %10.2f   ms/process\n' "" "$(echo "$2 * 1000 / $N" | bc -l)" "$(echo "$3 * 1000 / $N" | bc -l)"
}

header
version_mosq=$(best_of "$ROUNDS" version_mosquitto)
row "--version (--help) x$N" "$(best_of "$ROUNDS" version_mqtap "$MQTAP")" "$version_mosq"
row "--version x$N, release build" "$(best_of "$ROUNDS" version_mqtap "$MQTAP_RELEASE")" "$version_mosq"
pub_mosq=$(best_of "$ROUNDS" pub_mosquitto)
row "pub, 1 message per process x$N" "$(best_of "$ROUNDS" pub_mqtap "$MQTAP")" "$pub_mosq"
row "pub x$N, release build" "$(best_of "$ROUNDS" pub_mqtap "$MQTAP_RELEASE")" "$pub_mosq"
