#!/usr/bin/env bash
# Client-side cost of the instrumented JDK HttpClient (issue 16): a bare HttpHelloProcess
# serves; each run is a fresh client JVM (HttpClientLoadProcess) that warms up, then measures
# its own throughput and process CPU per request over a fixed time. Runs bare and instrumented
# clients in adjacent pairs (order alternating) and prints the medians of the pairwise ratios.
# Usage: benchmarks/client-cpu.sh [pairs] [seconds] [concurrency]
# AB=1 runs ROUNDS (default 6) client JVMs in mode ab instead: each JVM holds both clients and
#   sends through them in alternating phases (PAIRS pairs of SECS seconds after WARMUP seconds),
#   so a pair compares the two clients with one JIT layout and one heap; fresh client JVMs
#   differ by +-30 % in throughput here, phases of one JVM by about +-10 %. Prints each round's
#   median ratios and the median of the round medians.
# Needs: benchmarks/target/benchmarks.jar.
set -euo pipefail
PAIRS=${1:-6}; SECS=${2:-8}; CONC=${3:-8}; WARMUP=${WARMUP:-10}
JAR=${JAR:-$(dirname "$0")/target/benchmarks.jar}
PORT=${PORT:-18185}
JOPTS=${JOPTS:--Xmx256m}
SERVER_CP=$JAR; SERVER_MAIN=dev.telemetrykit.benchmarks.HttpHelloProcess
SRV=(); PS=${PORT_SINK:-18182}; PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true' EXIT
source "$(dirname "$0")/servers.sh"
start "$PORT" bare -Dsun.net.httpserver.nodelay=true
await_port "$PORT"
load() { # mode [pairs]: one client JVM's output
  java $JOPTS -cp "$JAR" dev.telemetrykit.benchmarks.HttpClientLoadProcess \
    "http://127.0.0.1:$PORT/orders/1" "$1" "$WARMUP" "$SECS" "$CONC" "${@:2}" 2>/dev/null
}
run() { load "$1" | tail -n 1; }
if [[ ${AB:-0} == 1 ]]; then
  MT=(); MC=()
  for round in $(seq 1 "${ROUNDS:-6}"); do
    out=$(load ab "$PAIRS")
    grep -v '^median' <<<"$out" | grep -v '^{' || true
    read -r _ mt mc < <(grep '^median' <<<"$out")
    MT+=("$mt"); MC+=("$mc")
    echo "round $round: median throughput I/B $mt   median client CPU/request I/B $mc"
  done
  echo "round medians: throughput ${MT[*]}   CPU/request ${MC[*]}"
  echo "median of round medians: throughput $(med "${MT[@]}")   client CPU/request $(med "${MC[@]}")   (load $(cut -d' ' -f1 /proc/loadavg))"
  exit 0
fi
echo "pair bare req/s cpu_us/req | instrumented req/s cpu_us/req | thr I/B  cpu I/B   (load $(cut -d' ' -f1 /proc/loadavg))"
RT=(); RC=()
for i in $(seq 1 "$PAIRS"); do
  if (( i % 2 )); then ra=$(run bare); rb=$(run instrumented)
  else rb=$(run instrumented); ra=$(run bare); fi
  read -r ta ca <<<"$ra"; read -r tb cb <<<"$rb"
  rt=$(awk -v a="$ta" -v b="$tb" 'BEGIN{printf "%.3f", b/a}')
  rc=$(awk -v a="$ca" -v b="$cb" 'BEGIN{printf "%.3f", b/a}')
  RT+=("$rt"); RC+=("$rc")
  echo "$i  $ta $ca | $tb $cb | $rt $rc"
done
echo "median throughput I/B: $(med "${RT[@]}")   median client CPU/request I/B: $(med "${RC[@]}")   (load $(cut -d' ' -f1 /proc/loadavg))"
