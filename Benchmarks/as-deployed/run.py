#!/usr/bin/env python3
"""Sluice as deployed: `sluice run` with its default configuration, in a process of its own,
against `sluice broker` in another, through a backlog (or a paced stream) of the demo's events;
and in the same repetition the C two-output librdkafka passthrough (and optionally a Python
loop) in their own processes against a fresh broker loaded with the same events.

Every figure is read from outside the measured process: Sluice's rate from its /metrics
(events consumed between 10 % and 90 % of the backlog), CPU seconds and peak RSS from the
kernel (wait4), the counts that show nothing was lost from the broker's watermarks and the
group's committed offsets. See README.md beside this file."""

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time

import processes
from runs import Runs, RunFailed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events per run (default 1,000,000)")
    parser.add_argument("--repetitions", type=int, default=3, help="repetitions; figures are their medians (default 3)")
    parser.add_argument("--partitions", type=int, help="input partitions for a backlog (default: 1 per 10,000 events, at least 64, a multiple of 32: "
                        "the embedded broker keeps about 5 MB per partition)")
    parser.add_argument("--rate", help="paced input instead of a backlog: events/s (e.g. 20000), or a multiple of the C runs' median (e.g. 0.3x); "
                        "Sluice's input is produced at that rate while it runs, and latencies are reported")
    parser.add_argument("--paced-partitions", type=int, default=1, help="input partitions with --rate (default 1: see README.md, Paced input)")
    parser.add_argument("--paced-property", action="append", default=[], metavar="KEY=VALUE",
                        help="a librdkafka property for the paced producer (sluice generate --property), e.g. linger.ms=1; repeatable")
    parser.add_argument("--load-property", action="append", metavar="KEY=VALUE",
                        help="a librdkafka property for the producer that loads each backlog (sluice generate --property); repeatable "
                        "(default: linger.ms=100, so that every backlog lands in full record batches however fast it was produced)")
    parser.add_argument("--kafka-setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting under kafka: in Sluice's configuration, e.g. commit_interval_ms=100 (default: none, Sluice's defaults); repeatable")
    parser.add_argument("--output-partitions", type=int, default=8, help="partitions of each output topic (default 8)")
    parser.add_argument("--python", action="store_true", help="also run the Python reference loop (reference_loop.py) each repetition")
    parser.add_argument("--exactly-once", action="store_true",
                        help="also run Sluice with delivery: exactly_once each repetition, beside at-least-once")
    parser.add_argument("--avro", action="store_true",
                        help="also run Sluice on the same events as bare Avro records (input.format: avro) each repetition, beside JSON")
    parser.add_argument("--transaction-ms", type=int, help="delivery.transaction_ms of the exactly-once runs (default: Sluice's default)")
    parser.add_argument("--cpu-load", type=int, default=0, metavar="N", help="N busy-loop processes take CPU while each measured process runs")
    parser.add_argument("--build", default=os.path.join(ROOT, ".build", "release"), help="where sluice and sluice-passthrough are (default .build/release)")
    parser.add_argument("--logs", help="directory for the processes' logs and configurations (default: a fresh temporary one)")
    args = parser.parse_args()
    if args.load_property is None:
        args.load_property = ["linger.ms=100"]
    args.sluice = os.path.join(args.build, "sluice")
    args.passthrough = os.path.join(args.build, "sluice-passthrough")
    if args.partitions is None:
        args.partitions = max(64, 32 * math.ceil(args.events / 10_000 / 32))
    for path in (args.sluice, args.passthrough):
        if not os.access(path, os.X_OK):
            parser.error(f"{path} is missing: swift build -c release --product {os.path.basename(path)}")
    return args


def line(label, result, events):
    text = f"{label:<8} {result['events_per_second']:>9,.0f} events/s  {result['cpu_seconds']:5.1f} CPU-s = {events / result['cpu_seconds']:>9,.0f} events/CPU-s"
    text += f"  peak RSS {result['peak_rss_mb']:4.0f} MB  (broker {result['broker_cpu_seconds']:.1f} CPU-s)"
    if "pauses" in result:
        text += f"  pauses {result['pauses']:.0f}  peak in flight {result['peak_in_flight']:,.0f}  dead letters {result['dead_letters']:.0f}"
        text += "  RSS by quarter " + "/".join(f"{mb:.0f}" for mb in result["rss_mb_by_quarter"]) + " MB"
    if "transactions" in result:
        text += f"  transactions {result['transactions']:,.0f}"
    if "latency_ms" in result:
        latency, sent = result["latency_ms"], result["input_to_sent_ms"]
        text += f"\n         input at {result['paced_rate']:,.0f}/s: end-to-end (to acknowledged, /metrics histogram) p50 {latency['p50']} p99 {latency['p99']} p999 {latency['p999']} ms;"
        text += f" input to outputs sent (audit records) p50 {sent['p50']} p99 {sent['p99']} p999 {sent['p999']} ms"
    return text


def summary(runs, events):
    """Medians of each kind's runs: events/s, events per CPU-second, and the rest."""
    medians = {}
    for kind, results in runs.items():
        if not results:
            continue
        medians[kind] = {
            "events_per_second": statistics.median(r["events_per_second"] for r in results),
            "events_per_cpu_second": statistics.median(events / r["cpu_seconds"] for r in results),
            "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in results),
        }
        if kind.startswith("sluice"):
            medians[kind]["pauses"] = statistics.median(r["pauses"] for r in results)
            medians[kind]["peak_in_flight"] = max(r["peak_in_flight"] for r in results)
            if "latency_ms" in results[0]:
                for key in ("latency_ms", "input_to_sent_ms"):
                    medians[kind][key] = {q: _median(r[key][q] for r in results) for q in ("p50", "p99", "p999")}
    return medians


def _median(values):
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def main():
    args = arguments()
    logs = args.logs or tempfile.mkdtemp(prefix="sluice-as-deployed-")
    os.makedirs(logs, exist_ok=True)
    runs = Runs(args, logs)
    relative = args.rate is not None and args.rate.endswith("x")
    mode = f"input paced at {args.rate}" + ("" if relative else " events/s") if args.rate else "backlog loaded before each run"
    partitions = args.paced_partitions if args.rate and not relative else args.partitions
    print(f"as-deployed: {args.events:,} events, {partitions} input partitions, {args.repetitions} repetitions, {mode}"
          + (f", {args.cpu_load} busy-loop processes beside each run" if args.cpu_load else ""))
    print(f"{os.cpu_count()} cores, load average {processes.load_average()}; logs in {logs}")
    results = {"c": [], "sluice": [], "sluice_eos": [], "sluice_avro": [], "python": []}
    started = time.time()

    names = {"c": "C", "sluice": "Sluice", "sluice_eos": "Sluice-EOS", "sluice_avro": "Sluice-Avro", "python": "Python"}

    def measure(kind, repetition, **extra):
        label = f"{kind}.{repetition}"
        if kind == "sluice_eos":
            delivery = "exactly_once" if args.transaction_ms is None else f"{{guarantee: exactly_once, transaction_ms: {args.transaction_ms}}}"
            result = runs.sluice(label, delivery=delivery, **extra)
        elif kind == "sluice_avro":
            result = runs.sluice(label, input_format="avro", **extra)
        else:
            result = getattr(runs, kind)(label, **extra)
        results[kind].append(result)
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
        print(line(f"run {repetition} {names[kind]}", result, args.events), flush=True)

    try:
        if relative:
            # The paced rate is a multiple of the C passthrough's median, so every C run comes first.
            for repetition in range(1, args.repetitions + 1):
                measure("c", repetition)
            paced = float(args.rate[:-1]) * statistics.median(r["events_per_second"] for r in results["c"])
            for repetition in range(1, args.repetitions + 1):
                measure("sluice", repetition, paced_rate=paced)
                if args.exactly_once:
                    measure("sluice_eos", repetition, paced_rate=paced)
                if args.avro:
                    measure("sluice_avro", repetition, paced_rate=paced)
        else:
            paced = float(args.rate) if args.rate else None
            for repetition in range(1, args.repetitions + 1):
                # Alternating which goes first, so neither always runs on a warmer or quieter machine.
                order = ["c", "sluice"] if repetition % 2 else ["sluice", "c"]
                variants = (["sluice_eos"] if args.exactly_once else []) + (["sluice_avro"] if args.avro else [])
                for kind in order + variants + (["python"] if args.python else []):
                    measure(kind, repetition, **({"paced_rate": paced} if kind.startswith("sluice") else {}))
    except RunFailed as failure:
        print(f"\nerror: {failure}", file=sys.stderr)
        sys.exit(1)

    medians = summary(results, args.events)
    print(f"load average {processes.load_average()}, {time.time() - started:.0f} s")
    for kind, figures in medians.items():
        print(f"median {kind:<7} {figures['events_per_second']:>9,.0f} events/s  {figures['events_per_cpu_second']:>9,.0f} events/CPU-s  peak RSS {figures['peak_rss_mb']:.0f} MB")
    ratios = {}
    if "c" in medians and "sluice" in medians and not args.rate:
        c, sluice = medians["c"], medians["sluice"]
        ratios = {
            "events_per_second": sluice["events_per_second"] / c["events_per_second"],
            "events_per_cpu_second": sluice["events_per_cpu_second"] / c["events_per_cpu_second"],
        }
        per_run = sorted(s["events_per_second"] / cr["events_per_second"] for s, cr in zip(results["sluice"], results["c"]))
        ratios["per_repetition"] = [round(r, 3) for r in per_run]
        ratios["per_repetition_median"] = statistics.median(per_run)
        print(f"ratio Sluice/C: {ratios['events_per_second']:.3f} events/s (per repetition {per_run[0]:.3f}-{per_run[-1]:.3f}, "
              f"median {ratios['per_repetition_median']:.3f}), "
              f"{ratios['events_per_cpu_second']:.3f} events per CPU-second")
    if "sluice_eos" in medians and "sluice" in medians:
        ratios["exactly_once_over_at_least_once"] = medians["sluice_eos"]["events_per_second"] / medians["sluice"]["events_per_second"]
        print(f"ratio exactly-once/at-least-once: {ratios['exactly_once_over_at_least_once']:.3f} events/s")
    if "sluice_avro" in medians and "sluice" in medians:
        ratios["avro_over_json"] = medians["sluice_avro"]["events_per_second"] / medians["sluice"]["events_per_second"]
        print(f"ratio Avro/JSON input: {ratios['avro_over_json']:.3f} events/s")
    if "python" in medians and "sluice" in medians:
        ratios["sluice_over_python"] = medians["sluice"]["events_per_second"] / medians["python"]["events_per_second"]
        print(f"ratio Sluice/Python: {ratios['sluice_over_python']:.2f} events/s")
    print(json.dumps({
        "benchmark": "as-deployed", "events": args.events, "partitions": partitions, "repetitions": args.repetitions,
        "rate": args.rate, "cpu_load": args.cpu_load, "medians": medians, "ratios": ratios, "runs": results,
        "load_average": processes.load_average(),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
