#!/usr/bin/env bash
# wrk throughput and server CPU per request, A/B in adjacent pairs (issue 16).
# Two JVMs (one per side) run a hello-world JDK HttpServer (4 workers, nodelay); each pair runs
# wrk against A then B (order alternates per pair), reading utime+stime of the server process
# from /proc/<pid>/stat around each fixed-length run. Prints per-run rows and the medians of
# the pairwise ratios B/A.
# Usage: benchmarks/wrk-cpu.sh [A-mode] [B-mode] [pairs] [seconds]
#   (40 pairs of 3 s give a steadier median than 10 of 8 s on a noisy 2-core machine)
#   modes: bare | kit | filter | accesslog | tracing | jetty-bare | jetty-filter
#   (see HttpHelloProcess; for tracing an OTLP/HTTP sink JVM is started on loopback)
# Needs: benchmarks/target/benchmarks.jar, wrk.
# Environment: SERVER_CP / SERVER_MAIN run another server class on another class path (e.g.
#   HttpHelloMinimal on core + http only, see docs/benchmarks.md); PIN=1 pins the servers to
#   CPU 1 and wrk (one thread) to CPU 0, a steadier instrument for small differences;
#   JOPTS_A / JOPTS_B add java options to one side only (e.g.
#   JOPTS_B=-Dtelemetrykit.http.correlation.echo=false).
set -euo pipefail
A=${1:-bare}; B=${2:-filter}; PAIRS=${3:-6}; SECS=${4:-10}
JAR=${JAR:-$(dirname "$0")/target/benchmarks.jar}
PA=${PORT_A:-18180}; PB=${PORT_B:-18181}; PS=${PORT_SINK:-18182}
JOPTS=${JOPTS:--Xmx256m -Dsun.net.httpserver.nodelay=true}
SERVER_CP=${SERVER_CP:-$JAR}; SERVER_MAIN=${SERVER_MAIN:-dev.telemetrykit.benchmarks.HttpHelloProcess}
if [[ ${PIN:-0} == 1 ]]; then SRV=(taskset -c 1); WRK=(taskset -c 0 wrk -t1); else SRV=(); WRK=(wrk -t2); fi
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true' EXIT
start() { # port mode [extra java options]
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$PS OTEL_METRICS_EXPORTER=none \
    OTEL_LOGS_EXPORTER=none "${SRV[@]}" java $JOPTS ${3:-} -cp "$SERVER_CP" "$SERVER_MAIN" \
    "$1" "$2" >/dev/null 2>&1 &
  PIDS+=($!)
}
await_port() {
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listens on $1" >&2; return 1
}
if [[ $A == tracing || $B == tracing ]]; then start $PS sink; await_port $PS; fi
start $PA $A "${JOPTS_A:-}"; PIDA=${PIDS[-1]}
start $PB $B "${JOPTS_B:-}"; PIDB=${PIDS[-1]}
await_port $PA; await_port $PB
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
run() { # pid port -> "req/s cpu_us_per_req"
  local c0 c1 out rps reqs
  c0=$(cpu $1)
  out=$("${WRK[@]}" -c16 -d${SECS}s http://127.0.0.1:$2/orders/1)
  c1=$(cpu $1)
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  reqs=$(awk '/requests in/{print $1}' <<<"$out")
  awk -v r=$rps -v n=$reqs -v d=$((c1-c0)) -v t=$TCK 'BEGIN{printf "%s %.2f\n", r, d*1e6/t/n}'
}
# warm-up both JITs
"${WRK[@]}" -c16 -d5s http://127.0.0.1:$PA/orders/1 >/dev/null
"${WRK[@]}" -c16 -d5s http://127.0.0.1:$PB/orders/1 >/dev/null
echo "pair A=$A req/s  cpu_us/req | B=$B req/s cpu_us/req | thr B/A  cpu B/A   (load $(cut -d' ' -f1 /proc/loadavg))"
RT=(); RC=()
for i in $(seq 1 $PAIRS); do
  if (( i % 2 )); then ra=$(run $PIDA $PA); rb=$(run $PIDB $PB)
  else rb=$(run $PIDB $PB); ra=$(run $PIDA $PA); fi
  read -r ta ca <<<"$ra"; read -r tb cb <<<"$rb"
  rt=$(awk -v a=$ta -v b=$tb 'BEGIN{printf "%.3f", b/a}')
  rc=$(awk -v a=$ca -v b=$cb 'BEGIN{printf "%.3f", b/a}')
  RT+=($rt); RC+=($rc)
  echo "$i  $ta $ca | $tb $cb | $rt $rc"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
# Quartiles of the pairwise ratios: how far one pair's ratio can be trusted on this machine.
qrt() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{q1=int((NR+3)/4); q3=int((3*NR+3)/4); print a[q1] "-" a[q3]}'; }
echo "median throughput B/A: $(med "${RT[@]}") (quartiles $(qrt "${RT[@]}"))   median CPU/request B/A: $(med "${RC[@]}") (quartiles $(qrt "${RC[@]}"))   (load $(cut -d' ' -f1 /proc/loadavg))"
