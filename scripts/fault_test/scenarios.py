"""The fault test's variants: kill -9 at seeded points, a hung broker, a poison pill."""

import random
import time

from . import inputs
from .ledger import INPUT


def produce_input(run, options, rng, paced):
    """The demo's events and the hostile ones; paced: returns the running generator."""
    inputs.produce(run.broker.bootstrap, inputs.hostile_payloads(rng, options.hostile), options.seed)
    log = run.directory / "generate.log"
    rate = options.rate if paced else 0
    generator = inputs.generate(run.sluice, run.broker.bootstrap, options.events, rate, options.seed, log)
    run.say(f"producing {options.events} events at {'%g/s' % rate if paced else 'full speed'} "
            f"and {options.hostile} hostile ones (seed {options.seed})")
    if paced:
        return generator
    inputs.finish(generator, timeout=600)
    run.say(f"backlog ready: {sum(h for _, h in run.cluster.watermarks(INPUT).values())} events")
    return None


def crash(run, options):
    """Kills an instance with SIGKILL K times, then a last instance finishes the input. Paced: at a
    seeded random time after the instance got its partitions. Backlog: once it has consumed a
    seeded random number of events, up to twice the input's K+1-th part, so that the kills fall
    through the whole backlog however quickly each instance commits (timed kills would find it
    finished after the first few)."""
    rng = random.Random(options.seed)
    paced = options.mode == "paced"
    generator = produce_input(run, options, rng, paced)
    timed = paced or options.kill_window is not None
    low, high = options.kill_window or (1.0, 10.0)
    share = 2 * (options.events + options.hostile) // (options.kills + 1)
    for kill in range(1, options.kills + 1):
        uncommitted_before = run.cluster.lag()
        instance = run.start_instance()
        if not instance.wait_assigned(timeout=120):
            run.fail(f"instance {instance.number} got no partitions (exit {instance.exit_code()}): "
                     + " | ".join(instance.last_lines()))
            instance.kill()
            continue
        assigned_at = time.monotonic()
        if timed:
            delay = rng.uniform(low, high)
            point = ""
            wait_until_or_exit(instance, lambda: time.monotonic() - assigned_at >= delay)
        else:
            target = rng.randint(1, share)
            point = f" (seeded point: {target} events consumed)"
            wait_until_or_exit(instance, lambda: consumed(instance) >= target or run.cluster.lag() == 0)
        if instance.exit_code() is not None:
            run.fail(f"instance {instance.number} exited {instance.exit_code()} on its own: " + " | ".join(instance.last_lines()))
            continue
        taken = consumed(instance)
        elapsed = time.monotonic() - assigned_at
        instance.kill()
        uncommitted = run.cluster.lag()
        committed = uncommitted_before - uncommitted if not paced else None
        run.say(f"kill {kill}/{options.kills}: SIGKILL {elapsed:.2f} s after its assignment{point}, having consumed "
                f"{taken:.0f}" + (f", committed {committed}" if committed is not None else "") + f"; uncommitted input {uncommitted}")
    if generator:
        inputs.finish(generator, timeout=3600)
        run.say("generator done")
    if run.finish_with_new_instance() != "done":
        run.fail("the last instance did not finish the input")


def consumed(instance):
    return instance.metrics().get("sluice_events_consumed_total", 0)


def wait_until_or_exit(instance, condition, timeout=600):
    """Checks `condition` about every 5 ms until it holds, the instance exits, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while instance.exit_code() is None and time.monotonic() < deadline and not condition():
        time.sleep(0.005)


def hang(run, options):
    """SIGSTOPs the broker for `hang_seconds` while the input is backlogged, then SIGCONTs it; the
    same instance must still run and finish the input."""
    rng = random.Random(options.seed)
    produce_input(run, options, rng, paced=False)
    instance = run.start_instance()
    if not instance.wait_assigned(timeout=120):
        run.fail(f"instance {instance.number} got no partitions")
        return
    target = rng.randint(options.events // 10, options.events // 4)
    deadline = time.monotonic() + 120
    while instance.metrics().get("sluice_events_consumed_total", 0) < target and time.monotonic() < deadline:
        if instance.exit_code() is not None:
            run.fail(f"instance {instance.number} exited {instance.exit_code()} before the hang")
            return
        time.sleep(0.005)
    consumed = instance.metrics().get("sluice_events_consumed_total", 0)
    run.broker.pause()
    run.say(f"broker SIGSTOPped for {options.hang_seconds} s, instance {instance.number} having consumed {consumed:.0f} "
            f"of {options.events + options.hostile}")
    time.sleep(options.hang_seconds / 2)
    run.say(f"during the hang: {run.snapshot(instance)}")
    time.sleep(options.hang_seconds / 2)
    run.broker.resume()
    resumed_at = instance.metrics().get("sluice_events_consumed_total", 0)
    run.say(f"broker SIGCONTed; instance {instance.number} has consumed {resumed_at:.0f}")
    outcome = run.drain(instance)
    after = instance.metrics().get("sluice_events_consumed_total", 0)
    run.say(f"after the hang: {outcome}; {run.snapshot(instance)}")
    if outcome == "done":
        code = instance.terminate()
        run.say(f"input fully committed by the same process (pid {instance.pid}), which consumed "
                f"{after - resumed_at:.0f} events after the hang; SIGTERM exit {code}")
        return
    if outcome == "exited":
        run.fail(f"the instance exited {instance.exit_code()} after the hang: " + " | ".join(instance.last_lines()))
    else:
        run.fail(f"the instance made no progress for {options.stall_timeout} s after the hang "
                 f"(still running: {instance.exit_code() is None}); uncommitted input {run.cluster.lag()}")
        run.say(f"instance {instance.number} stopped by SIGTERM, exit {instance.terminate()}")
    run.say("a new instance finishes the input, to measure loss and re-work")
    run.finish_with_new_instance()


def poison(run, options):
    """One event of `poison_bytes` that is not valid input, between two halves of the input: it
    must be dead-lettered and the stream must go on."""
    rng = random.Random(options.seed)
    half = options.events // 2
    inputs.produce(run.broker.bootstrap, inputs.hostile_payloads(rng, options.hostile), options.seed)
    log = run.directory / "generate.log"
    inputs.finish(inputs.generate(run.sluice, run.broker.bootstrap, half, 0, options.seed, log), timeout=600)
    partitions = len(run.cluster.partitions(INPUT))
    partition, offset = inputs.produce_poison(run.broker.bootstrap, options.poison_bytes, rng.randrange(partitions))
    run.say(f"poison event of {options.poison_bytes} bytes at {INPUT}/{partition}@{offset}")
    inputs.finish(inputs.generate(run.sluice, run.broker.bootstrap, options.events - half, 0, options.seed + 1, log), timeout=600)
    outcome = run.finish_with_new_instance()
    if outcome != "done":
        run.fail(f"the input was not finished ({outcome}): the poison event stops partition {partition}")
    return partition, offset
