"""The measured runs of one repetition: `sluice run`, the C passthrough and the Python reference
loop, each in its own process against a fresh `sluice broker` loaded with the same events."""

import json
import os
import signal
import sys
import time

import processes
import topics
from processes import Broker, Child, CPULoad

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# What a user writes: topics, model and features. Everything else is Sluice's default, but for
# the embedded broker's quirk (it answers an empty fetch only after fetch.wait.max.ms).
CONFIGURATION = """\
kafka:
  properties: {{fetch.wait.max.ms: "1"}}{kafka_settings}
input:
  topics: [events]{input_settings}
features:
  - {{path: amount}}
  - {{path: features, length: 16}}
  - {{path: merchant_risk, default: 0}}
  - {{path: hour}}
  - {{path: account_age_days}}
model:
  path: {model}
outputs: {{predictions: predictions, audit: audit, dead_letter: events.dlq}}{delivery}
"""


# With --avro: the events as bare Avro records of the demo's schema, as `sluice generate --format avro` writes them.
AVRO_INPUT = f"\n  format: avro\n  schema: {os.path.join(ROOT, 'config', 'demo-events.avsc')}"

QUANTILES = {"p50": 0.5, "p99": 0.99, "p999": 0.999}


class RunFailed(Exception):
    pass


def middle_rate(samples, events):
    """Events/s between 10 % and 90 % of `events` consumed, from (time, consumed) samples, each
    crossing's time interpolated between the samples around it."""
    def crossing(mark):
        for (t0, c0), (t1, c1) in zip(samples, samples[1:]):
            if c0 < mark <= c1:
                return t0 + (t1 - t0) * (mark - c0) / (c1 - c0)
        raise RunFailed(f"consumed never crossed {mark}")
    low, high = events // 10, events - events // 10
    return (high - low) / (crossing(high) - crossing(low))


class Runs:
    def __init__(self, args, logs):
        self.args = args
        self.logs = logs

    def _broker(self, partitions, outputs):
        return Broker(self.args.sluice, {"events": partitions, **{name: self.args.output_partitions for name in outputs}, "events.dlq": 1})

    def _generate(self, broker, label, rate=0, input_format="json"):
        """`sluice generate`: the demo's events (seed 2026, the same every run) into `events`, as
        JSON or as bare Avro records of config/demo-events.avsc; with the --paced-property settings
        when paced (`rate` > 0), the --load-property ones for a backlog."""
        pairs = self.args.paced_property if rate else self.args.load_property
        properties = [argument for pair in pairs for argument in ("--property", pair)]
        return Child(
            [self.args.sluice, "generate", "--bootstrap", broker.bootstrap, "--rate", str(rate), "--events", str(self.args.events), "--topic", "events"]
            + (["--format", input_format] if input_format != "json" else [])
            + properties,
            log_path=os.path.join(self.logs, f"{label}.generate.log"),
        )

    def _load(self, broker, label, input_format="json"):
        usage = self._generate(broker, label, input_format=input_format).wait(900)
        if usage.exit_code != 0:
            raise RunFailed(f"sluice generate exited {usage.exit_code}")
        topics.check_loaded(broker.bootstrap, "events", self.args.events)

    def sluice(self, label, paced_rate=None, delivery=None, input_format="json"):
        """`sluice run` through the backlog (or paced input); `delivery` is the configuration's
        `delivery:` value (Sluice's default, at-least-once, when `None`)."""
        args, events = self.args, self.args.events
        broker = self._broker(args.paced_partitions if paced_rate else args.partitions, ["predictions", "audit"])
        children = [broker]
        try:
            if paced_rate is None:
                self._load(broker, label, input_format)
            config = os.path.join(self.logs, f"{label}.yaml")
            with open(config, "w") as file:
                settings = "".join(f"\n  {key}: {value}" for key, value in (pair.split("=", 1) for pair in args.kafka_setting))
                file.write(CONFIGURATION.format(model=os.path.join(ROOT, "Models", "fraud-mlp.onnx"), kafka_settings=settings, delivery=f"\ndelivery: {delivery}" if delivery else "",
                                                input_settings=AVRO_INPUT if input_format == "avro" else ""))
            port = processes.free_port()
            sluice = Child(
                [args.sluice, "run", "--config", config, "--bootstrap", broker.bootstrap, "--http-listen", f"127.0.0.1:{port}"],
                log_path=os.path.join(self.logs, f"{label}.sluice.log"),
            )
            children.append(sluice)
            load = CPULoad(args.cpu_load)
            try:
                metrics, samples, peak_in_flight, rss = self._follow(sluice, f"http://127.0.0.1:{port}/metrics", broker, label, paced_rate, children, input_format)
            finally:
                load.stop()
            usage = sluice.stop(signal.SIGTERM)
            for child in children[2:]:
                child.wait(120)
            if usage.exit_code != 0:
                raise RunFailed(f"sluice run exited {usage.exit_code} on SIGTERM")
            predicted = processes.total(metrics, "sluice_events_predicted_total")
            dead = processes.total(metrics, "sluice_events_dead_lettered_total")
            outputs = {name: topics.written(broker.bootstrap, name) for name in ("predictions", "audit", "events.dlq")}
            committed = topics.committed(broker.bootstrap, "sluice", "events")
            if delivery and "exactly_once" in delivery and committed == 0:
                # The embedded broker accepts offsets sent to a transaction but does not store
                # them: the outputs' counts are the check.
                committed = events
            if not (predicted + dead == events == outputs["predictions"] + outputs["events.dlq"] == committed and outputs["audit"] == outputs["predictions"]):
                raise RunFailed(f"lost or extra events: {events} in, {predicted:.0f} predicted, {dead:.0f} dead letters, topics {outputs}, {committed} committed")
            result = {
                "events_per_second": middle_rate(samples, events),
                "cpu_seconds": usage.cpu_seconds,
                "peak_rss_mb": usage.peak_rss_mb,
                "rss_mb_by_quarter": [max(part) if part else 0 for part in (rss[i * len(rss) // 4:(i + 1) * len(rss) // 4] for i in range(4))],
                "pauses": processes.total(metrics, "sluice_backpressure_pauses_total"),
                "peak_in_flight": peak_in_flight,
                "producer_queue_full_waits": processes.total(metrics, "sluice_producer_queue_full_waits_total"),
                "dead_letters": dead,
            }
            if delivery and "exactly_once" in delivery:
                result["transactions"] = processes.total(metrics, "sluice_transactions_committed_total")
            if paced_rate is not None:
                result["paced_rate"] = paced_rate
                result["latency_ms"] = {
                    name: _ms(processes.histogram_quantile(metrics, "sluice_end_to_end_latency_seconds", q)) for name, q in QUANTILES.items()
                }
                sent = topics.audit_latencies_ms(broker.bootstrap, "audit", topics.records_held(broker.bootstrap, "audit"))
                result["latency_sample"] = len(sent)
                result["input_to_sent_ms"] = {name: topics.quantile(sent, q) for name, q in QUANTILES.items()}
            result["broker_cpu_seconds"] = broker.stop().cpu_seconds
            return result
        finally:
            for child in children:
                child.kill()

    def _follow(self, sluice, url, broker, label, paced_rate, children, input_format):
        """Samples /metrics every 100 ms until every event is consumed and nothing is in flight."""
        events = self.args.events
        samples, rss, peak_in_flight = [], [], 0
        started = last_change = time.monotonic()
        consumed_before, assigned_at = -1, None
        while True:
            if sluice.has_exited():
                raise RunFailed(f"sluice run exited early: see {sluice.log_path}")
            metrics = processes.scrape(url)
            now = time.monotonic()
            if metrics is None:
                if now - started > 60:
                    raise RunFailed(f"no /metrics after 60 s: see {sluice.log_path}")
                time.sleep(0.1)
                continue
            if assigned_at is None and processes.total(metrics, "sluice_partitions_assigned") > 0:
                assigned_at = now
            if paced_rate is not None and len(children) == 2 and assigned_at is not None and now - assigned_at >= 1:
                # Events sent before the group has assigned the partitions would measure the join,
                # and for a moment after it the consumer still looks up where to start in each.
                children.append(self._generate(broker, label, paced_rate, input_format))
            consumed = processes.total(metrics, "sluice_events_consumed_total")
            in_flight = processes.total(metrics, "sluice_events_in_flight")
            samples.append((now, consumed))
            rss.append(sluice.resident_mb())
            peak_in_flight = max(peak_in_flight, in_flight)
            if consumed != consumed_before:
                consumed_before, last_change = consumed, now
            elif now - last_change > 60:
                raise RunFailed(f"nothing consumed for 60 s after {consumed:.0f} of {events}: see {sluice.log_path}")
            if consumed >= events and in_flight == 0:
                return metrics, samples, peak_in_flight, rss
            if sys.stderr.isatty():
                print(f"\r  {label}: {consumed:.0f}/{events} consumed, {in_flight:.0f} in flight   ", end="", file=sys.stderr, flush=True)
            time.sleep(0.1)

    def passthrough(self, label, command, outputs, delivered):
        """A reference loop (the C passthrough or the Python one) on a fresh, loaded broker.
        `command` gets the bootstrap address and prints one JSON object with middle_seconds;
        `delivered` says whether the outputs' record counts account for every event."""
        args, events = self.args, self.args.events
        broker = self._broker(args.partitions, outputs)
        children = [broker]
        try:
            self._load(broker, label)
            load = CPULoad(args.cpu_load)
            try:
                if sys.stderr.isatty():
                    print(f"\r  {label}: running …" + " " * 30, end="", file=sys.stderr, flush=True)
                child = Child(command(broker.bootstrap), stdout=-1, log_path=os.path.join(self.logs, f"{label}.log"))
                children.append(child)
                output = child.process.stdout.read().decode()
                usage = child.wait(600)
            finally:
                load.stop()
            if usage.exit_code != 0:
                raise RunFailed(f"{label} exited {usage.exit_code}: see {child.log_path}")
            figures = json.loads(output.strip().splitlines()[-1])
            counts = {name: topics.written(broker.bootstrap, name) for name in outputs}
            committed = topics.committed(broker.bootstrap, figures.get("group", "sluice-passthrough"), "events")
            if figures["consumed"] != events or not delivered(counts) or committed != events:
                raise RunFailed(f"{label} moved {figures['consumed']} of {events} events; outputs {counts}; {committed} committed")
            return {
                "events_per_second": (events - 2 * (events // 10)) / figures["middle_seconds"],
                "cpu_seconds": usage.cpu_seconds,
                "peak_rss_mb": usage.peak_rss_mb,
                "broker_cpu_seconds": broker.stop().cpu_seconds,
            }
        finally:
            for child in children:
                child.kill()

    def c(self, label):
        return self.passthrough(label, lambda bootstrap: [
            self.args.passthrough, "--bootstrap", bootstrap, "--events", str(self.args.events),
            "--outputs", "c.1,c.2", "--property", "fetch.wait.max.ms=1",
        ], ["c.1", "c.2"], lambda counts: counts["c.1"] == counts["c.2"] == self.args.events)

    def python(self, label):
        return self.passthrough(label, lambda bootstrap: [
            sys.executable, os.path.join(HERE, "reference_loop.py"), "--bootstrap", bootstrap, "--events", str(self.args.events),
            "--model", os.path.join(ROOT, "Models", "fraud-mlp.onnx"),
        ], ["predictions", "audit", "events.dlq"],
            lambda counts: counts["predictions"] + counts["events.dlq"] == self.args.events and counts["audit"] == counts["predictions"])


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 2)
