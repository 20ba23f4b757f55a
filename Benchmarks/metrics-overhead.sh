#!/bin/bash
# Usage: swift build -c release --product sluice && Benchmarks/metrics-overhead.sh [ROUNDS]
# Interleaved runs of `sluice demo --events 200000` (release), metrics on (ephemeral port) and
# --no-metrics. Per run: the demo's events/s; CPU seconds of the process's Swift threads (not
# librdkafka's rdk:* threads: the processor loop, the demo's event generator, the HTTP server) and
# of the whole process, sampled from /proc every 20 ms until it exits.
BIN=${SLUICE:-.build/release/sluice}
N=${1:-5}
tick=$(getconf CLK_TCK)
out=$(mktemp)
runs=$(mktemp)
trap 'rm -f "$out" "$runs"' EXIT
for i in $(seq 1 $N); do
  for mode in on off; do
    if [ $mode = on ]; then args="--http-listen 127.0.0.1:0"; else args="--no-metrics"; fi
    $BIN demo --events 200000 $args >"$out" 2>/dev/null &
    pid=$!
    declare -A cpu=() name=()
    while kill -0 $pid 2>/dev/null; do
      for t in /proc/$pid/task/*; do
        tid=${t##*/}
        s=$(cat $t/stat 2>/dev/null) || continue
        name[$tid]=$(cat $t/comm 2>/dev/null)
        cpu[$tid]=$(echo "$s" | sed 's/.*) //' | awk '{print $12+$13}')
      done
      sleep 0.02
    done
    wait $pid
    swift=0; total=0
    for tid in "${!cpu[@]}"; do
      total=$((total + cpu[$tid]))
      case "${name[$tid]}" in rdk:*) ;; *) swift=$((swift + cpu[$tid])) ;; esac
    done
    eps=$(grep "events/s" "$out" | awk '{print $2}')
    echo "$i $mode events/s $eps swift-threads-cpu-s $(echo "$swift $tick" | awk '{printf "%.2f", $1/$2}') process-cpu-s $(echo "$total $tick" | awk '{printf "%.2f", $1/$2}')" | tee -a "$runs"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
for column in 4 6 8; do
  label=$(awk -v c=$((column - 1)) 'NR == 1 {print $c}' "$runs")
  on=$(awk -v c=$column '$2 == "on" {print $c}' "$runs" | median)
  off=$(awk -v c=$column '$2 == "off" {print $c}' "$runs" | median)
  echo "median $label: metrics on $on, off $off, on/off $(echo "$on $off" | awk '{printf "%.3f", $1/$2}')"
done
