# Sourced by wrk-cpu.sh, thread-cpu.sh and client-cpu.sh: starting a hello-world server JVM,
# waiting for it, and the median of the ratios measured.
# Uses SERVER_CP, SERVER_MAIN, JOPTS, SRV (a command prefix such as taskset, may be empty),
# PS (the OTLP sink's port), WRK (the wrk command) and appends each server's PID to PIDS.

start() { # port mode [extra java options] [class path]
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$PS OTEL_METRICS_EXPORTER=none \
    OTEL_LOGS_EXPORTER=none "${SRV[@]}" java $JOPTS ${3:-} -cp "${4:-$SERVER_CP}" \
    "$SERVER_MAIN" "$1" "$2" >/dev/null 2>&1 &
  PIDS+=($!)
}

await_port() { # port
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listens on $1" >&2; return 1
}

warm_up() { # portA pathA portB pathB: WARM seconds of wrk per side, in runs of WARM_RUN seconds
  # alternating between the sides, as the measured pairs start and stop wrk (see wrk-cpu.sh).
  local warm=${WARM:-20} step=${WARM_RUN:-5} w d
  for ((w = 0; w < warm; w += step)); do
    d=$(( warm - w < step ? warm - w : step ))
    "${WRK[@]}" -c16 -d${d}s http://127.0.0.1:$1$2 >/dev/null
    "${WRK[@]}" -c16 -d${d}s http://127.0.0.1:$3$4 >/dev/null
  done
}

med() { # values... -> their median
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'
}
