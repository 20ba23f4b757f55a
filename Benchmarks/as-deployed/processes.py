"""The processes a repetition starts, each measured from outside: its CPU seconds and peak
resident set come from the kernel (wait4's rusage once it has exited), never from the process
itself."""

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass


@dataclass
class Usage:
    """What the kernel says a child process used, from start to exit."""
    cpu_seconds: float
    peak_rss_mb: float
    exit_code: int


class Child:
    """A child process whose resources are read from wait4 when it ends."""

    def __init__(self, arguments, stdout=subprocess.DEVNULL, stderr=None, log_path=None):
        self.arguments = arguments
        self.log_path = log_path
        self.log = open(log_path, "wb") if log_path else None
        self.process = subprocess.Popen(arguments, stdout=stdout, stderr=self.log or stderr or subprocess.DEVNULL)
        self.pid = self.process.pid
        self.usage = None

    def has_exited(self):
        """Whether it has ended (a zombie not yet reaped counts), without reaping it: wait4 must."""
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except FileNotFoundError:
            return True

    def cpu_seconds_so_far(self):
        """utime + stime from /proc/PID/stat, while it runs."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def resident_mb(self):
        """VmRSS now, in MB."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def wait(self, timeout=None):
        """Waits for the exit and returns its Usage (CPU and peak RSS from wait4)."""
        if self.usage:
            return self.usage
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                break
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{self.arguments[0]} did not exit within {timeout} s")
            time.sleep(0.02)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        if self.log:
            self.log.close()
        self.usage = Usage(rusage.ru_utime + rusage.ru_stime, rusage.ru_maxrss / 1024, self.process.returncode)
        return self.usage

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Sends `sig` and waits for the exit."""
        if self.usage is None:
            self.process.send_signal(sig)
        return self.wait(timeout)

    def kill(self):
        """Ends it, whatever state it is in (after a failure)."""
        if self.usage is None:
            self.process.kill()
            self.wait(10)


class Broker(Child):
    """`sluice broker` with the given topics: librdkafka's mock cluster in its own process."""

    def __init__(self, sluice, topics):
        self.directory = tempfile.TemporaryDirectory(prefix="sluice-as-deployed-")
        with open(os.path.join(self.directory.name, "topics.yaml"), "w") as file:
            file.write("topics:\n")
            for name, partitions in topics.items():
                file.write(f"  - {{name: {name}, partitions: {partitions}}}\n")
        super().__init__([sluice, "broker", "--topics", self.directory.name], stdout=subprocess.PIPE)
        self.bootstrap = self.process.stdout.readline().decode().strip()
        if not self.bootstrap:
            self.kill()
            raise RuntimeError("sluice broker printed no bootstrap address")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        usage = super().stop(sig, timeout)
        self.directory.cleanup()
        return usage


class CPULoad:
    """`count` busy loops, each a process of its own, taking CPU from whatever is measured."""

    def __init__(self, count):
        self.children = [
            subprocess.Popen(["python3", "-c", "while True: pass"]) for _ in range(count)
        ]

    def stop(self):
        for child in self.children:
            child.kill()
            child.wait()


def free_port():
    """A TCP port nothing listens on now, for Sluice's metrics endpoint."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scrape(url):
    """Prometheus text from `url` as {name or name{labels}: value}; None while unreachable."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            text = response.read().decode()
    except OSError:
        return None
    metrics = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        try:
            metrics[name] = float(value)
        except ValueError:
            pass
    return metrics


def total(metrics, name):
    """The sum of every series of `name` (over its labels)."""
    return sum(value for key, value in metrics.items() if key == name or key.startswith(name + "{"))


def histogram_quantile(metrics, name, quantile):
    """The quantile of a Prometheus histogram, interpolated linearly within its bucket, in
    seconds; None without observations."""
    buckets = []
    for key, value in metrics.items():
        if key.startswith(name + "_bucket{") and 'le="' in key:
            bound = key.split('le="', 1)[1].split('"', 1)[0]
            buckets.append((float("inf") if bound == "+Inf" else float(bound), value))
    buckets.sort()
    if not buckets or buckets[-1][1] == 0:
        return None
    rank = quantile * buckets[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float("inf"):
                return lower_bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / max(count - lower_count, 1e-9)
        lower_bound, lower_count = bound, count
    return lower_bound


def load_average():
    with open("/proc/loadavg") as file:
        return " ".join(file.read().split()[:3])
