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
#   JOPTS_B=-Dtelemetrykit.http.correlation.echo=false); SERVER_CP_A / SERVER_CP_B give one
#   side another class path (two builds of the filter against each other); SAME_JVM=1 runs one
#   HttpHelloMinimal in mode both and compares its plain path (A) with its filtered path (B),
#   with no difference of JIT layout or heap between the sides (SAME_A / SAME_B choose other
#   paths, e.g. SAME_B=/quiet/1 for the filter without the echoed header); ROUNDS=R runs the
#   pairs in R rounds, each with two fresh JVMs (their ports and start order swapped every other
#   round), so the median samples R JIT layouts per side instead of one (the largest error of a
#   single round);
#   WARM=S seconds of wrk warm up each JVM first (default 20: a JVM with TelemetryKit started
#   still compiles after 10 s, and shorter warm-ups charge that to its first pairs; see
#   docs/benchmarks.md, issue 16, seventh pass), in wrk runs of WARM_RUN seconds (default 5)
#   alternating between the sides: the pairs start and stop wrk, and the connection set-up and
#   tear-down paths they run (a request cut by wrk's exit fails) compile in the first pairs
#   unless the warm-up ran them too (eighth pass). WARM_RUN=WARM warms in one run as before.
set -euo pipefail
A=${1:-bare}; B=${2:-filter}; PAIRS=${3:-6}; SECS=${4:-10}
JAR=${JAR:-$(dirname "$0")/target/benchmarks.jar}
PA=${PORT_A:-18180}; PB=${PORT_B:-18181}; PS=${PORT_SINK:-18182}
JOPTS=${JOPTS:--Xmx256m -Dsun.net.httpserver.nodelay=true}
SERVER_CP=${SERVER_CP:-$JAR}; CPA=${SERVER_CP_A:-$SERVER_CP}; CPB=${SERVER_CP_B:-$SERVER_CP}
SERVER_MAIN=${SERVER_MAIN:-dev.telemetrykit.benchmarks.HttpHelloProcess}
if [[ ${PIN:-0} == 1 ]]; then SRV=(taskset -c 1); WRK=(taskset -c 0 wrk -t1); else SRV=(); WRK=(wrk -t2); fi
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true' EXIT
source "$(dirname "$0")/servers.sh"
if [[ $A == tracing || $B == tracing ]]; then start $PS sink; await_port $PS; fi
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
run() { # pid port [path] -> "req/s cpu_us_per_req"
  local c0 c1 out rps reqs
  c0=$(cpu $1)
  out=$("${WRK[@]}" -c16 -d${SECS}s http://127.0.0.1:$2${3:-/orders/1})
  c1=$(cpu $1)
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  reqs=$(awk '/requests in/{print $1}' <<<"$out")
  awk -v r=$rps -v n=$reqs -v d=$((c1-c0)) -v t=$TCK 'BEGIN{printf "%s %.2f\n", r, d*1e6/t/n}'
}
# Quartiles of the pairwise ratios: how far one pair's ratio can be trusted on this machine.
qrt() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{q1=int((NR+3)/4); q3=int((3*NR+3)/4); print a[q1] "-" a[q3]}'; }
ROUNDS=${ROUNDS:-1}
RT=(); RC=(); MT=(); MC=()
echo "pair A=$A req/s  cpu_us/req | B=$B req/s cpu_us/req | thr B/A  cpu B/A   (load $(cut -d' ' -f1 /proc/loadavg))"
for round in $(seq 1 $ROUNDS); do
  # Even rounds swap ports and start order, so neither side keeps an advantage of either.
  if (( round % 2 )); then PORTA=$PA; PORTB=$PB; else PORTA=$PB; PORTB=$PA; fi
  PATHA=/orders/1; PATHB=/orders/1
  if [[ ${SAME_JVM:-0} == 1 ]]; then
    start $PORTA both "${JOPTS_A:-}" "$CPA"; PIDA=${PIDS[-1]}; PIDB=$PIDA; PORTB=$PORTA
    PATHA=${SAME_A:-/plain/1}; PATHB=${SAME_B:-/orders/1}
  elif (( round % 2 )); then
    start $PORTA $A "${JOPTS_A:-}" "$CPA"; PIDA=${PIDS[-1]}
    start $PORTB $B "${JOPTS_B:-}" "$CPB"; PIDB=${PIDS[-1]}
  else
    start $PORTB $B "${JOPTS_B:-}" "$CPB"; PIDB=${PIDS[-1]}
    start $PORTA $A "${JOPTS_A:-}" "$CPA"; PIDA=${PIDS[-1]}
  fi
  await_port $PORTA; await_port $PORTB
  warm_up $PORTA $PATHA $PORTB $PATHB
  rt_round=(); rc_round=()
  for i in $(seq 1 $PAIRS); do
    if (( i % 2 )); then ra=$(run $PIDA $PORTA $PATHA); rb=$(run $PIDB $PORTB $PATHB)
    else rb=$(run $PIDB $PORTB $PATHB); ra=$(run $PIDA $PORTA $PATHA); fi
    read -r ta ca <<<"$ra"; read -r tb cb <<<"$rb"
    rt=$(awk -v a=$ta -v b=$tb 'BEGIN{printf "%.3f", b/a}')
    rc=$(awk -v a=$ca -v b=$cb 'BEGIN{printf "%.3f", b/a}')
    RT+=($rt); RC+=($rc); rt_round+=($rt); rc_round+=($rc)
    echo "$i  $ta $ca | $tb $cb | $rt $rc"
  done
  if (( ROUNDS > 1 )); then
    MT+=($(med "${rt_round[@]}")); MC+=($(med "${rc_round[@]}"))
    echo "round $round: median throughput B/A ${MT[-1]}   median CPU/request B/A ${MC[-1]}"
    kill $PIDA $PIDB 2>/dev/null || true; wait $PIDA $PIDB 2>/dev/null || true
  fi
done
echo "median throughput B/A: $(med "${RT[@]}") (quartiles $(qrt "${RT[@]}"))   median CPU/request B/A: $(med "${RC[@]}") (quartiles $(qrt "${RC[@]}"))   (load $(cut -d' ' -f1 /proc/loadavg))"
if (( ROUNDS > 1 )); then
  echo "round medians: throughput ${MT[*]}   CPU/request ${MC[*]}"
  echo "median of round medians: throughput $(med "${MT[@]}")   CPU/request $(med "${MC[@]}")"
fi
