#!/usr/bin/env bash
# Adjacent A/B pairs of LogEncodeCpuAB (CPU time per encode, one JVM per side, order alternating
# per pair): prints each pair and, per shape, the median TelemetryKit/plain ratio, plus one
# regex-masks run per shape. Usage: benchmarks/log-encode-ab.sh [pairs=5] [shapes...]
# MDC_VALUES=perLine|perRequest changes the MDC value objects (see LogEncodeBenchmark.mdcValues).
set -euo pipefail
jar=${JAR:-benchmarks/target/benchmarks.jar}
pairs=${1:-5}; shift || true
shapes=("${@:-simple marker mdcArgument exception realistic}")
run() { java -DmdcValues="${MDC_VALUES:-repeated}" -cp "$jar" dev.telemetrykit.benchmarks.LogEncodeCpuAB "$1" "$2" "${WARMUP:-4}" "${BLOCKS:-30}"; }
for shape in ${shapes[*]}; do
  ratios=()
  for ((p = 0; p < pairs; p++)); do
    if ((p % 2 == 0)); then a=$(run "$shape" plain); b=$(run "$shape" telemetryKit)
    else b=$(run "$shape" telemetryKit); a=$(run "$shape" plain); fi
    pa=$(echo "$a" | awk '{print $3}'); tb=$(echo "$b" | awk '{print $3}')
    r=$(awk -v t="$tb" -v p="$pa" 'BEGIN{printf "%.3f", t/p}')
    ratios+=("$r")
    echo "pair $p $shape plain=$pa tk=$tb ratio=$r"
  done
  med=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  rx=""
  if [[ "${REGEX:-1}" == 1 ]]; then rx=$(java -cp "$jar" dev.telemetrykit.benchmarks.LogEncodeCpuAB "$shape" regexMasks 4 5 | awk '{print $3}'); fi
  echo "SUMMARY $shape median_ratio=$med ratios=${ratios[*]} regex_cpu_ns=$rx"
done
