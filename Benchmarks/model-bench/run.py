#!/usr/bin/env python3
"""Compares Sluice and onnxruntime on every example model, in rows per second, in one run.

For each model and batch size both engines score the same rows (the model's reference inputs,
tiled to the batch size) on one thread: onnxruntime through its Python API (CPU execution provider,
intra_op_num_threads = inter_op_num_threads = 1, default graph optimizations), Sluice through the
release-mode `sluice-model-bench` executable. The two are measured alternately, repetition by
repetition, so that drift in the machine's speed hits both alike; the table shows medians.

    swift build -c release --product sluice-model-bench
    python Benchmarks/model-bench/run.py [--models fraud-mlp,xgboost-binary] [--batches 1,64,1024]

Needs numpy and onnxruntime (Models/requirements.txt).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "Models"
GOALS = {1: 2.0}  # batch size -> minimum Sluice/onnxruntime ratio; 1.0 for every other size
DEFAULT_GOAL = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", help="comma-separated model names (default: every model in Models/references)")
    parser.add_argument("--batches", default="1,64,1024", help="comma-separated batch sizes (default: 1,64,1024)")
    parser.add_argument("--repetitions", type=int, default=5, help="measurements per engine and cell (default: 5)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds each measurement runs at least (default: 0.2)")
    parser.add_argument("--sluice", default=str(ROOT / ".build" / "release" / "sluice-model-bench"),
                        help="path of the sluice-model-bench executable")
    parser.add_argument("--json", help="also write every measurement to this file")
    arguments = parser.parse_args()

    executable = Path(arguments.sluice)
    if not executable.is_file():
        sys.exit(f"{executable} not found: run `swift build -c release --product sluice-model-bench` first")
    names = arguments.models.split(",") if arguments.models else sorted(
        path.stem for path in (MODELS / "references").glob("*.json"))
    batches = [int(size) for size in arguments.batches.split(",")]

    print(f"onnxruntime {onnxruntime.__version__}, CPU execution provider, 1 thread; "
          f"medians of {arguments.repetitions} alternating measurements of >= {arguments.min_time} s each",
          flush=True)
    header = f"{'model':34} {'batch':>5} {'sluice rows/s':>14} {'onnxruntime rows/s':>19} {'ratio':>7}  goal"
    print(header)
    print("-" * len(header), flush=True)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            for batch in batches:
                cell = measure(name, batch, arguments, executable, Path(scratch))
                results.append(cell)
                print(format_row(cell), flush=True)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(results, indent=1) + "\n")
    summarize(results)
    return 0


def measure(name: str, batch: int, arguments, executable: Path, scratch: Path) -> dict:
    rows = batch_rows(name, batch)
    input_file = scratch / f"{name}-{batch}.f32"
    rows.tofile(input_file)
    session = ort_session(MODELS / f"{name}.onnx")
    feed = {session.get_inputs()[0].name: rows}

    sluice_rates: list[float] = []
    ort_rates: list[float] = []
    error = None
    for _ in range(arguments.repetitions):
        ort_rates.append(ort_rows_per_second(session, feed, batch, arguments.min_time))
        if error is None:
            rate, error = sluice_rows_per_second(executable, MODELS / f"{name}.onnx", input_file, rows.shape,
                                                 arguments.min_time)
            if rate is not None:
                sluice_rates.append(rate)
    sluice = statistics.median(sluice_rates) if sluice_rates else None
    ort = statistics.median(ort_rates)
    return {"model": name, "batch": batch, "sluice_rows_per_second": sluice, "onnxruntime_rows_per_second": ort,
            "sluice_measurements": sluice_rates, "onnxruntime_measurements": ort_rates,
            "ratio": sluice / ort if sluice is not None else None, "error": error}


def batch_rows(name: str, batch: int) -> np.ndarray:
    """The model's reference inputs (NaN where the JSON has null), repeated to `batch` rows."""
    reference = json.loads((MODELS / "references" / f"{name}.json").read_text())
    (tensor,) = reference["inputs"]
    data = np.array([[np.nan if value is None else value for value in row] for row in tensor["data"]],
                    dtype=np.float32)
    repeats = -(-batch // len(data))
    return np.ascontiguousarray(np.tile(data, (repeats, 1))[:batch])


def ort_session(path: Path) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def ort_rows_per_second(session, feed: dict, batch: int, min_time: float) -> float:
    for _ in range(3):
        session.run(None, feed)
    iterations = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < min_time:
        for _ in range(max(1, 4096 // batch)):
            session.run(None, feed)
            iterations += 1
        elapsed = time.perf_counter() - start
    return batch * iterations / elapsed


def sluice_rows_per_second(executable: Path, model: Path, input_file: Path, shape: tuple[int, int],
                           min_time: float) -> tuple[float | None, str | None]:
    command = [str(executable), "--model", str(model), "--input", str(input_file),
               "--rows", str(shape[0]), "--columns", str(shape[1]), "--min-time", str(min_time)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        message = (completed.stderr.strip() or completed.stdout.strip() or f"exit {completed.returncode}")
        return None, message.splitlines()[0].removeprefix("Error: ")
    return json.loads(completed.stdout.strip().splitlines()[-1])["rows_per_second"], None


def goal(batch: int) -> float:
    return GOALS.get(batch, DEFAULT_GOAL)


def format_row(cell: dict) -> str:
    ort = f"{cell['onnxruntime_rows_per_second']:19,.0f}"
    if cell["sluice_rows_per_second"] is None:
        return f"{cell['model']:34} {cell['batch']:5} {'—':>14} {ort} {'—':>7}  not run: {cell['error']}"
    ratio = cell["ratio"]
    verdict = "ok" if ratio >= goal(cell["batch"]) else f"BELOW {goal(cell['batch']):.1f}x"
    return (f"{cell['model']:34} {cell['batch']:5} {cell['sluice_rows_per_second']:14,.0f} {ort} "
            f"{ratio:6.2f}x  {verdict}")


def summarize(results: list[dict]) -> None:
    measured = [cell for cell in results if cell["ratio"] is not None]
    below = [cell for cell in measured if cell["ratio"] < goal(cell["batch"])]
    failed = sorted({cell["model"] for cell in results if cell["ratio"] is None})
    print()
    print(f"{len(measured)} of {len(results)} cells measured; {len(measured) - len(below)} meet the goal "
          f"(>= 2x onnxruntime at batch 1, >= 1x at larger batches).")
    for cell in below:
        print(f"  below goal: {cell['model']} at batch {cell['batch']}: {cell['ratio']:.2f}x")
    for name in failed:
        print(f"  not run: {name}")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
