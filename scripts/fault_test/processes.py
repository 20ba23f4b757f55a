"""The processes of a fault test: the embedded broker and Sluice instances, each its own process."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent.parent


def release_binary(swift="swift"):
    """Builds the release `sluice` and returns its path."""
    subprocess.run([swift, "build", "-c", "release", "--product", "sluice"], cwd=REPOSITORY, check=True)
    bin_path = subprocess.run(
        [swift, "build", "-c", "release", "--show-bin-path"], cwd=REPOSITORY, check=True, capture_output=True, text=True
    ).stdout.strip()
    return str(Path(bin_path) / "sluice")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """`sluice broker` with the fault test's topics; SIGSTOP/SIGCONT simulate a hung broker."""

    def __init__(self, sluice, log_path):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [sluice, "broker", "--topics", str(HERE)], stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=REPOSITORY
        )
        self.bootstrap = self.process.stdout.readline().strip()
        if not self.bootstrap:
            raise RuntimeError(f"sluice broker printed no bootstrap address; see {log_path}")

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def configuration(run_directory, kafka_settings):
    """sluice.yaml, or with `kafka_settings` (KEY=VALUE pairs) added under kafka: a copy in the run
    directory, its model path made absolute."""
    if not kafka_settings:
        return HERE / "sluice.yaml"
    text = (HERE / "sluice.yaml").read_text()
    text = text.replace("path: ../../Models/", f"path: {REPOSITORY / 'Models'}/")
    added = "".join(f"  {key}: {value}\n" for key, value in (pair.split("=", 1) for pair in kafka_settings))
    text = text.replace("kafka:\n", "kafka:\n" + added, 1)
    path = run_directory / "sluice.yaml"
    path.write_text(text)
    return path


class Instance:
    """One `sluice run`, with its own log file and HTTP port."""

    def __init__(self, sluice, config, bootstrap, number, run_directory):
        self.number = number
        self.port = free_port()
        self.log_path = run_directory / f"sluice-{number:02d}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sluice, "run", "--config", str(config), "--bootstrap", bootstrap,
             "--http-listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=REPOSITORY,
        )
        self.started = time.monotonic()

    @property
    def pid(self):
        return self.process.pid

    def exit_code(self):
        return self.process.poll()

    def _get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (OSError, ValueError):
            return None, None

    def health(self):
        """(status code, body as a dict), or (None, {}) when it does not answer."""
        status, body = self._get("/healthz")
        try:
            return status, json.loads(body) if body else {}
        except ValueError:
            return status, {"body": body}

    def metrics(self):
        """The Prometheus samples, summed over their labels: {name: value}."""
        _, body = self._get("/metrics")
        samples = {}
        for line in (body or "").splitlines():
            if not line or line.startswith("#"):
                continue
            name, _, value = line.rpartition(" ")
            name = name.split("{", 1)[0]
            try:
                samples[name] = samples.get(name, 0) + float(value)
            except ValueError:
                pass
        return samples

    def wait_assigned(self, timeout):
        """Waits until the group gave this instance partitions; False if it exited or timed out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.exit_code() is None:
            if self.health()[1].get("assigned_partitions", 0) > 0:
                return True
            time.sleep(0.05)
        return False

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def terminate(self, timeout=60):
        """SIGTERM, then the exit code, or None if it did not exit within `timeout` (then killed)."""
        self.process.terminate()
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = None
        self.log.close()
        return code

    def last_lines(self, count=2):
        """The last `error:` line it printed, or its last lines, shortened."""
        self.log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        errors = [line for line in lines if line.startswith("error:")]
        return [line[:300] for line in (errors[-1:] or lines[-count:])]
