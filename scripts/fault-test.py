#!/usr/bin/env python3
"""Sluice under faults, from the outside: the processor as its own process against `sluice broker`
in another, killed with SIGKILL at seeded random points (or its broker hung, or fed a poison
pill), then checked from the output topics: every input offset must have its prediction and audit
record, or its dead letter. Prints a summary; exits 1 when an offset was lost or left unprocessed,
or a variant's check failed.

  make fault-test                                   # quick: 20,000 events, 3 kills, a backlog
  .venv/bin/python scripts/fault-test.py --mode paced --kills 20 --events 200000 --seed 2
  .venv/bin/python scripts/fault-test.py --hang     # the broker SIGSTOPped for 10 s
  .venv/bin/python scripts/fault-test.py --poison   # one event near the maximum message size

Seeded: the seed chooses the events, the hostile payloads, the kill points, the hang point and the
poison's partition. Timing still varies from run to run, so what each kill interrupts does too.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_test import processes, scenarios  # noqa: E402
from fault_test.ledger import Ledger  # noqa: E402
from fault_test.run import Run  # noqa: E402


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    variant = parser.add_mutually_exclusive_group()
    variant.add_argument("--hang", action="store_true", help="SIGSTOP the broker while the input is backlogged")
    variant.add_argument("--poison", action="store_true", help="one invalid event near the maximum message size")
    parser.add_argument("--mode", choices=["backlog", "paced"], default="backlog",
                        help="kills: all events produced first, or produced at --rate while the instances run")
    parser.add_argument("--quick", action="store_true", help="20,000 events and 3 kills unless given (about a minute)")
    parser.add_argument("--events", type=int, help="demo events to produce (default 200,000; --quick 20,000)")
    parser.add_argument("--kills", type=int, help="SIGKILLs (default 20; --quick 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=800, help="events/s in paced mode")
    parser.add_argument("--hostile", type=int, default=40, help="hostile payloads added to the input")
    parser.add_argument("--kill-window", type=float, nargs=2, metavar=("LOW", "HIGH"),
                        help="seconds after an instance's assignment within which it is killed (default 1-10 "
                             "paced; a backlog's instances are killed at a seeded number of events consumed "
                             "unless this is given)")
    parser.add_argument("--hang-seconds", type=float, default=10)
    parser.add_argument("--poison-bytes", type=int, default=999_900,
                        help="the poison event's size: fits the input producer's 1,000,000-byte limit, "
                             "not with a dead letter's headers")
    parser.add_argument("--stall-timeout", type=float, default=60, help="seconds without progress that count as a stall")
    parser.add_argument("--max-rescored", type=float, metavar="PERCENT", help="also fail when re-scored events exceed this")
    parser.add_argument("--kafka-setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting under kafka: in sluice run's configuration, e.g. commit_interval_ms=200; repeatable")
    parser.add_argument("--sluice", help="the sluice binary (default: build the release one)")
    parser.add_argument("--swift", default="swift")
    options = parser.parse_args()
    options.events = options.events or (20_000 if options.quick else 200_000)
    options.kills = options.kills if options.kills is not None else (3 if options.quick else 20)
    return options


def variant_name(options):
    if options.hang:
        return "hang"
    if options.poison:
        return "poison"
    return f"kill-{options.mode}"


def summarize(run, options, verdict, ledger, poison_at):
    total = verdict["input"]
    percent = 100 * verdict["rescored"] / max(total, 1)
    lines = [
        f"== fault test {variant_name(options)}: seed {options.seed}, {options.events} events + {options.hostile} hostile"
        + (f", {options.kills} kills" if not (options.hang or options.poison) else ""),
        f"input events            {total} in {len(ledger.inputs)} partitions",
        f"lost                    {len(verdict['lost'])}" + (f"  e.g. {verdict['lost'][:5]}" if verdict["lost"] else ""),
        f"unprocessed, uncommitted {len(verdict['pending'])}" + (f"  e.g. {verdict['pending'][:5]}" if verdict["pending"] else ""),
        f"re-scored               {verdict['rescored']} ({percent:.1f} % of the input; {verdict['rescored_offsets']} offsets more than once)"
        + (f"; {verdict['rescored'] / options.kills:.0f} per kill" if options.kills and not (options.hang or options.poison) else ""),
        f"records                 {verdict['predictions']} predictions, {verdict['audits']} audit, {verdict['dead_letters']} dead letters",
        "dead-letter classes     " + ", ".join(f"{name} {count}" for name, count in sorted(ledger.error_classes.items()))
        + " (records)",
        f"null in predictions     {len(ledger.null_predictions)} events (out-of-range features scored into nulls)",
        f"forged header first     {len(ledger.forged_first)} events whose dead letter's first sluice-error-class is "
        "the input's forged 'spoofed'",
        f"instances               {run.instance_count}; wall time {time.monotonic() - run.started:.0f} s",
    ]
    if poison_at:
        lines.append(f"poison {poison_at[0]}@{poison_at[1]}     dead letters: {ledger.dead_letters[poison_at]}")
    if ledger.truncated:
        lines.append(f"WARNING: the broker dropped the oldest records of {ledger.truncated}: the check is incomplete")
    failures = list(run.failures)
    if verdict["lost"]:
        failures.append(f"{len(verdict['lost'])} input offsets lost")
    if verdict["pending"]:
        failures.append(f"{len(verdict['pending'])} input offsets never processed")
    if poison_at and not ledger.dead_letters[poison_at]:
        failures.append("the poison event was not dead-lettered")
    if options.max_rescored is not None and percent > options.max_rescored:
        failures.append(f"re-scored {percent:.1f} % > {options.max_rescored} %")
    lines.append("result                  " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    return lines, not failures


def main():
    options = parse_arguments()
    sluice = options.sluice or processes.release_binary(options.swift)
    directory = processes.REPOSITORY / ".build-fault-test" / f"{variant_name(options)}-seed{options.seed}-{time.strftime('%Y%m%dT%H%M%S')}"
    directory.mkdir(parents=True)
    run = Run(sluice, directory, options.stall_timeout, options.kafka_setting)
    try:
        poison_at = None
        if options.hang:
            scenarios.hang(run, options)
        elif options.poison:
            poison_at = scenarios.poison(run, options)
        else:
            scenarios.crash(run, options)
        run.say("reading the output topics")
        ledger = Ledger(run.cluster)
        lines, passed = summarize(run, options, ledger.verdict(), ledger, poison_at)
        print("\n".join(lines))
        (directory / "summary.txt").write_text("\n".join(lines) + "\n")
    finally:
        run.close()
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
