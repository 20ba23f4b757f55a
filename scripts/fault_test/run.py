"""One fault-test run: a broker, the input, Sluice instances started, killed and watched, a log."""

import time

from . import processes
from .ledger import Cluster


class Run:
    def __init__(self, sluice, run_directory, stall_timeout, kafka_settings=()):
        self.sluice = sluice
        self.config = processes.configuration(run_directory, kafka_settings)
        self.directory = run_directory
        self.stall_timeout = stall_timeout
        self.started = time.monotonic()
        self.failures = []
        self.notes = []
        self.instance_count = 0
        self.instances = []
        self.log_file = open(run_directory / "fault-test.log", "w")
        self.broker = processes.Broker(sluice, run_directory / "broker.log")
        self.cluster = Cluster(self.broker.bootstrap, "sluice-fault-test")
        self.say(f"broker at {self.broker.bootstrap} (pid {self.broker.process.pid}); logs in {run_directory}")

    def say(self, message):
        line = f"[{time.monotonic() - self.started:7.1f}s] {message}"
        print(line, flush=True)
        self.log_file.write(line + "\n")

    def fail(self, reason):
        self.failures.append(reason)
        self.say(f"FAIL: {reason}")

    def start_instance(self):
        self.instance_count += 1
        instance = processes.Instance(self.sluice, self.config, self.broker.bootstrap, self.instance_count, self.directory)
        self.instances.append(instance)
        self.say(f"instance {instance.number} started (pid {instance.pid}, http 127.0.0.1:{instance.port})")
        return instance

    def drain(self, instance):
        """Watches `instance` until the group has committed the whole input ("done"), the instance
        exits ("exited"), or neither the commits nor its consumption move for the stall timeout
        while input waits ("stalled")."""
        last_progress, last_state = time.monotonic(), None
        while True:
            if instance.exit_code() is not None:
                return "exited"
            lag = self.cluster.lag()
            if lag == 0:
                return "done"
            state = (lag, instance.metrics().get("sluice_events_consumed_total"))
            if state != last_state:
                last_progress, last_state = time.monotonic(), state
            elif time.monotonic() - last_progress > self.stall_timeout:
                return "stalled"
            time.sleep(0.2)

    def snapshot(self, instance):
        """The instance's health and the metrics that tell a stall apart, as one line."""
        status, health = instance.health()
        metrics = instance.metrics()
        names = ["events_consumed_total", "events_in_flight", "partitions_assigned", "partitions_paused",
                 "commits_total", "commit_failures_total", "rebalances_total"]
        figures = ", ".join(f"{name}={metrics['sluice_' + name]:g}" if "sluice_" + name in metrics else f"{name}=?"
                            for name in names)
        return f"/healthz {status} {health}; {figures}"

    def finish_with_new_instance(self, max_restarts=3):
        """Starts instances until the input is committed; an instance that exits on its own is
        restarted, at most `max_restarts` times. Returns the outcome of the last one."""
        restarts = 0
        while True:
            instance = self.start_instance()
            # Stopped only once it has joined: SIGTERM before Sluice handles it would end it at once.
            instance.wait_assigned(timeout=120)
            outcome = self.drain(instance)
            if outcome == "done":
                code = instance.terminate()
                self.say(f"input fully committed; instance {instance.number} stopped by SIGTERM, exit {code}")
                if code != 0:
                    self.fail(f"instance {instance.number} exited {code} on SIGTERM")
                return outcome
            if outcome == "stalled":
                self.say(f"instance {instance.number} stalled: {self.snapshot(instance)}")
                self.say(f"instance {instance.number} stopped by SIGTERM, exit {instance.terminate()}")
                return outcome
            self.say(f"instance {instance.number} exited {instance.exit_code()} on its own, lag {self.cluster.lag()}: "
                     + " | ".join(instance.last_lines()))
            restarts += 1
            if restarts > max_restarts:
                return outcome

    def close(self):
        for instance in self.instances:
            if instance.exit_code() is None:
                instance.kill()
        self.cluster.close()
        self.broker.stop()
        self.log_file.close()
