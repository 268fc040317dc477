"""``make bench``: measure every pipeline in one run and print the tables with their ratios.

Each measurement runs in a process of its own: the MXNet pipelines and kernels in the course's
environment (this interpreter), PyTorch in the benchmark environment (``--torch-python``), and the
PyTorch track's path and notebooks in that track's environment (``--pytorch-python``).
Ratios are only meaningful within one run, on a machine that is otherwise idle: the load
average is printed at the start and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as onp

from bench import report
from bench.workload import BATCH_SIZE, NUM_EXAMPLES
from d2l_utils import load_mnist

REPO = Path(__file__).resolve().parent.parent
COURSE = "course: load_data_mnist + train_epoch"
D2L = "D2L book: DataLoader(4 workers) + ToTensor"
PYTORCH = "PyTorch, same model and batches"
COURSE_PYTORCH = "course, PyTorch track: load_data_mnist + train_epoch"


def measure(python: str, *args: str) -> dict:
    """Run ``python -m bench.<args>`` from the repository root and return the JSON it prints."""
    done = subprocess.run([python, "-m", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_training_set(path: Path) -> None:
    """MNIST's verified training set as the PyTorch benchmark reads it: uint8 rows of 784, labels."""
    dataset = load_mnist()
    onp.savez(path, images=dataset.train_images.reshape(len(dataset.train_images), -1), labels=dataset.train_labels)


def load_line(when: str) -> str:
    """The 1, 5 and 15 minute load averages; a busy machine inflates every timing, PyTorch's most."""
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count() or 1
    busy = " (busy: other work competes for the CPU)" if one >= cores / 2 else ""
    return f"load average {when}: {one:.2f} {five:.2f} {fifteen:.2f} on {cores} cores{busy}"


def measure_in_rounds(commands: dict[str, tuple[str, ...]], rounds: int) -> dict[str, list[dict]]:
    """Run every command once per round, round after round, so that a change in the machine's load
    during the run weighs on all of them alike; returns each command's results in round order."""
    results: dict[str, list[dict]] = {label: [] for label in commands}
    for _ in range(rounds):
        for label, (python, *args) in commands.items():
            results[label].append(measure(python, *args))
    return results


def parse_options() -> argparse.Namespace:
    """The command line of ``python -m bench.run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", default=str(REPO / ".venv-bench" / "bin" / "python"))
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per measurement, after one warm-up")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per pipeline, interleaved")
    parser.add_argument("--pytorch-python", default=str(REPO / ".venv-pytorch" / "bin" / "python"),
                        help="the PyTorch track's environment, for its course path and notebooks")
    parser.add_argument("--notebooks", nargs="*", default=sorted(str(p) for p in (REPO / "notebooks").glob("*.ipynb")))
    parser.add_argument("--pytorch-notebooks", nargs="*",
                        default=sorted(str(p) for p in (REPO / "notebooks-pytorch").glob("*.ipynb")))
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    return parser.parse_args()


def run_measurements(options: argparse.Namespace) -> dict:
    """Every measurement of ``make bench``: epochs and GEMM rates in rounds, then the notebooks once."""
    epochs, course_python, torch_python = str(options.epochs), sys.executable, options.torch_python
    pytorch_python = options.pytorch_python
    with tempfile.TemporaryDirectory() as tmp:
        training_set = Path(tmp) / "mnist-train.npz"
        write_training_set(training_set)
        epoch_runs = measure_in_rounds(
            {
                COURSE: (course_python, "bench.mxnet_mlp", "course", epochs),
                D2L: (course_python, "bench.mxnet_mlp", "d2l", epochs),
                PYTORCH: (torch_python, "bench.torch_mlp", str(training_set), epochs),
                COURSE_PYTORCH: (pytorch_python, "bench.torch_course", epochs),
            },
            options.rounds,
        )
    gemm_runs = measure_in_rounds(
        {
            "torch": (torch_python, "bench.gemm", "torch"),
            "mxnet-dot": (course_python, "bench.gemm", "mxnet-dot"),
            "mxnet-fc": (course_python, "bench.gemm", "mxnet-fc"),
        },
        options.rounds,
    )
    notebooks = measure(course_python, "bench.course_time", *options.notebooks) if options.notebooks else {}
    pytorch_notebooks = (
        measure(pytorch_python, "bench.course_time", *options.pytorch_notebooks) if options.pytorch_notebooks else {}
    )
    return {"epochs": epoch_runs, "gemm": gemm_runs, "notebooks": notebooks, "notebooks-pytorch": pytorch_notebooks}


def print_report(results: dict, options: argparse.Namespace) -> None:
    """The tables and the targets: epoch times are medians over the rounds, GEMM rates the best round's."""
    seconds = {label: statistics.median(run["seconds"] for run in runs) for label, runs in results["epochs"].items()}
    # A limit is what a kernel can do: the best rate seen in any round.
    rates = {
        backend: {gemm: max(run[gemm] for run in runs) for gemm in runs[0]} for backend, runs in results["gemm"].items()
    }
    torch_run = results["epochs"][PYTORCH][0]
    print(
        f"\nMLP 784-256-10, batch {BATCH_SIZE}, one training epoch of {NUM_EXAMPLES:,} MNIST images: median over "
        f"{options.rounds} rounds of the median of {options.epochs} epochs after a warm-up one; "
        f"PyTorch {torch_run['version']} on {torch_run['threads']} threads\n"
    )
    print(report.epoch_table(seconds, rates, reference=PYTORCH))
    print("\nMatrix-multiply rates on the MLP's shapes, GFLOP/s (best round)\n")
    print(report.gemm_table(rates))
    totals = {}
    for track, key in (("MXNet", "notebooks"), ("PyTorch", "notebooks-pytorch")):
        if results[key]:
            print(f"\nCourse run time, {track} track, seconds per notebook, each in a fresh kernel\n")
            print(report.course_table(results[key]))
            totals[track] = sum(times["total"] for times in results[key].values())
    if results["notebooks"] and results["notebooks-pytorch"]:
        print("\nThe two tracks side by side, seconds per notebook (total)\n")
        print(report.tracks_table(results["notebooks"], results["notebooks-pytorch"]))
    print()
    lines = report.target_lines(seconds[COURSE], seconds[PYTORCH], seconds[D2L], totals.get("MXNet"))
    lines += report.pytorch_track_lines(seconds[COURSE_PYTORCH], seconds[PYTORCH], totals.get("PyTorch"))
    print("\n".join(lines))


def main() -> None:
    """Measure, then print the tables and the targets."""
    options = parse_options()
    print(load_line("at start"), flush=True)
    results = run_measurements(options)
    print(load_line("at end"))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    print_report(results, options)


if __name__ == "__main__":
    main()
