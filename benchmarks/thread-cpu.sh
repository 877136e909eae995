#!/usr/bin/env bash
# Server CPU per request, thread by thread, A against B (issue 16): which threads a change adds
# or saves CPU in (the filter's workers, the JDK's dispatcher, the JIT compilers, the GC, the
# started TelemetryKit's background threads), where wrk-cpu.sh only gives the process total.
# One JVM per side, warmed by wrk; then PAIRS adjacent runs of SECS seconds (order alternating),
# reading utime+stime of every thread from /proc/<pid>/task/*/stat around each run. Threads are
# grouped by name (pool workers as "worker", numbered names without their number) and each
# group's CPU is divided by the requests served.
# Usage: benchmarks/thread-cpu.sh [A-mode] [B-mode] [pairs] [seconds]
# Environment: SERVER_CP / SERVER_MAIN as in wrk-cpu.sh (default: the shaded benchmarks jar and
#   HttpHelloProcess); JOPTS_A / JOPTS_B add java options to one side; WARM=S seconds of wrk
#   warm-up per JVM (default 20) in runs of WARM_RUN seconds (default 5), as in wrk-cpu.sh.
# Needs: wrk. One JVM pair is one sample of JIT layout: use it to find where CPU goes, and
# wrk-cpu.sh with ROUNDS for the ratio that counts.
set -euo pipefail
A=${1:-bare}; B=${2:-filter}; PAIRS=${3:-12}; SECS=${4:-5}
JAR=${JAR:-$(dirname "$0")/target/benchmarks.jar}
SERVER_CP=${SERVER_CP:-$JAR}
SERVER_MAIN=${SERVER_MAIN:-dev.telemetrykit.benchmarks.HttpHelloProcess}
JOPTS=${JOPTS:--Xmx256m -Dsun.net.httpserver.nodelay=true}
PA=${PORT_A:-18180}; PB=${PORT_B:-18181}
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true' EXIT
SRV=(); WRK=(wrk -t2); PS=${PORT_SINK:-18182}
source "$(dirname "$0")/servers.sh"
start $PA $A "${JOPTS_A:-}"; PIDA=${PIDS[-1]}
start $PB $B "${JOPTS_B:-}"; PIDB=${PIDS[-1]}
await_port $PA; await_port $PB
warm_up $PA /orders/1 $PB /orders/1
snapshot() { # pid -> "group<TAB>ticks" per thread group
  local t name ticks
  for t in /proc/$1/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    ticks=$(awk '{print $14+$15}' "$t/stat" 2>/dev/null) || continue
    name=$(sed -E 's/pool-[0-9]+-thread-[0-9]+/worker/; s/#[0-9]+//; s/[0-9]+$//; s/ /_/g' <<<"$name")
    printf '%s\t%s\n' "$name" "$ticks"
  done | awk -F'\t' '{s[$1]+=$2} END{for (k in s) print k "\t" s[k]}' | sort
}
run() { # side pid port -> "side<TAB>group<TAB>ticks" lines and the request count
  local s0 s1 out
  s0=$(snapshot $2)
  out=$("${WRK[@]}" -c16 -d${SECS}s http://127.0.0.1:$3/orders/1)
  s1=$(snapshot $2)
  join -t $'\t' -a2 -e 0 -o 0,1.2,2.2 <(echo "$s0") <(echo "$s1") \
    | awk -F'\t' -v side=$1 '{printf "%s\t%s\t%d\n", side, $1, $3 - $2}'
  printf '%s\t__requests\t%s\n' "$1" "$(awk '/requests in/{print $1}' <<<"$out")"
}
for i in $(seq 1 $PAIRS); do
  if (( i % 2 )); then run A $PIDA $PA; run B $PIDB $PB; else run B $PIDB $PB; run A $PIDA $PA; fi
done | awk -F'\t' -v tck=$(getconf CLK_TCK) -v a=$A -v b=$B '
  { t[$1, $2] += $3; if ($2 != "__requests") g[$2] = 1 }
  END {
    ra = t["A", "__requests"]; rb = t["B", "__requests"]
    printf "1\t%-24s %10s %10s   (CPU µs per request; requests A %d, B %d, B/A %.3f)\n", \
      "thread group", "A=" a, "B=" b, ra, rb, rb / ra
    for (k in g) {
      ua = t["A", k] * 1e6 / tck / ra; ub = t["B", k] * 1e6 / tck / rb
      if (ua > 0 || ub > 0) printf "2\t%-24s %10.3f %10.3f\n", k, ua, ub
      sa += ua; sb += ub
    }
    printf "3\t%-24s %10.3f %10.3f   B/A %.3f\n", "total", sa, sb, sb / sa
  }' | sort -t $'\t' -k1,1n -k2,2 | cut -f2-
