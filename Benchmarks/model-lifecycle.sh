#!/bin/bash
# Usage: swift build [-c release] --product sluice && Benchmarks/model-lifecycle.sh [EVENTS] [RELOADS]
# Three measurements of issue 19's goals on one embedded broker (`sluice broker`), each `sluice run`
# working through the same backlog of EVENTS demo events from the start:
#  1. hot reload under full load: while the processor catches up, the model file is replaced
#     atomically by another file of the same model and SIGHUP sent, RELOADS times; the run's
#     summary prints the longest gap between two batches around a swap, beside the mean time
#     between batches of the same run (elapsed / batches);
#  2. shadow cost: the backlog again without a shadow model and with one (the same model, so its
#     compute is the serving model's), in alternating order, events/s of each;
#  3. canary cost: the backlog without a canary and with one scoring 50 % of the events (the same
#     model in another file, so each batch is split into two model calls of half the rows), in
#     alternating order, events/s of each.
# Figures are for the build given (SLUICE, default .build/debug/sluice): measure a release build.
set -euo pipefail
BIN=${SLUICE:-.build/debug/sluice}
EVENTS=${1:-200000}
RELOADS=${2:-5}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/topics"
# The input gets 64 partitions: the embedded broker keeps about 5 MB per partition and drops the
# oldest beyond that, so Topics/topics.yaml's 8 would lose part of a 200,000-event backlog.
cat >"$work/topics/topics.yaml" <<'TOPICS'
topics:
  - {name: events, partitions: 64}
  - {name: predictions, partitions: 8}
  - {name: predictions.shadow, partitions: 8}
  - {name: audit, partitions: 8}
  - {name: events.dlq, partitions: 1}
TOPICS
$BIN broker --topics "$work/topics" >"$work/broker.out" 2>/dev/null &
while [ ! -s "$work/broker.out" ]; do sleep 0.1; done
bootstrap=$(head -1 "$work/broker.out")
$BIN generate --bootstrap "$bootstrap" --rate 0 --events "$EVENTS" >/dev/null 2>&1
cp Models/fraud-mlp.onnx "$work/model.onnx"
cp Models/fraud-mlp.onnx "$work/shadow.onnx"
write_config() { # NAME GROUP [MODEL_FIELD: a line added under model:]
  sed -e "s|path: ../Models/fraud-mlp.onnx|path: model.onnx\n  watch_interval_ms: 0|" -e "s|group: sluice-fraud|group: $2|" config/demo.yaml >"$work/$1"
  if [ -n "${3:-}" ]; then sed -i "s|  watch_interval_ms: 0|  watch_interval_ms: 0\n  $3|" "$work/$1"; fi
}
consumed() { curl -s "127.0.0.1:$1/metrics" | awk '/^sluice_events_consumed_total/ {print $2}'; }
# Runs CONFIG to the end of the backlog; RELOADS_NOW reloads while it runs. Prints elapsed seconds.
run() { # CONFIG PORT RELOADS_NOW
  local start end pid count=0
  start=$(date +%s.%N)
  $BIN run --config "$work/$1" --bootstrap "$bootstrap" --property fetch.wait.max.ms=1 \
    --http-listen "127.0.0.1:$2" 2>"$work/$1.err" &
  pid=$!
  until [ "$(consumed "$2")" = "$EVENTS" ]; do
    if [ "$count" -lt "$3" ] && [ -n "$(consumed "$2")" ] && [ "$(consumed "$2" | cut -d. -f1)" -gt $((EVENTS * (count + 1) / ($3 + 2))) ]; then
      count=$((count + 1))
      { cat Models/fraud-mlp.onnx; printf '\x32\x02v%d' $((count % 10)); } >"$work/model.next"
      mv "$work/model.next" "$work/model.onnx"
      kill -HUP $pid
    fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  kill -TERM $pid; wait $pid
  echo "$start $end" | awk '{printf "%.2f", $2 - $1}'
}
write_config reload.yaml reload
elapsed=$(run reload.yaml 19464 "$RELOADS")
grep -E "^(batches|model reloads)" "$work/reload.yaml.err"
batches=$(awk '/^batches/ {print $2}' "$work/reload.yaml.err")
echo "reload run: $EVENTS events in $elapsed s, mean time between batches $(echo "$elapsed $batches" | awk '{printf "%.3f ms", 1000 * $1 / $2}')"
# Runs the backlog without and with MODEL_FIELD, in both orders; prints events/s of each run.
compare() { # LABEL MODEL_FIELD PORT
  local order with field elapsed
  for order in 1 2; do
    for with in no yes; do
      [ $order = 2 ] && with=$([ $with = no ] && echo yes || echo no)
      field=$([ $with = yes ] && echo "$2" || true)
      write_config "$1-$with-$order.yaml" "$1-$with-$order" "$field"
      elapsed=$(run "$1-$with-$order.yaml" "$3" 0)
      echo "$1 $with (round $order): $(echo "$EVENTS $elapsed" | awk '{printf "%.0f", $1 / $2}') events/s"
    done
  done
}
compare shadow "shadow: {path: shadow.onnx, name: shadow}" 19465
compare canary "canary: {path: shadow.onnx, name: canary, percent: 50}" 19466
