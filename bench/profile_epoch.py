"""Where an epoch of the course's path spends its time, operator by operator (``make bench-profile``).

Runs lesson 06's MLP through ``load_data_mnist`` and ``train_epoch`` once to warm up, then
once under MXNet's profiler, and prints the operators by total time with the share of the
epoch each takes. Kernel times are summed over the engine's threads; the rest of the epoch's
wall time is the Python front end and the engine waiting on it.
"""

from __future__ import annotations

import json
import os
import time

import mxnet as mx
from mxnet import npx

from bench.mxnet_mlp import lesson_mlp
from bench.report import markdown_table
from bench.workload import BATCH_SIZE, SEED
from d2l_utils import load_data_mnist, seed_everything, train_epoch

# Engine bookkeeping, not computation.
NOT_KERNELS = {"DeleteVariable", "WaitForVar"}


def operator_stats(profile: dict) -> dict[str, tuple[int, float]]:
    """Calls and total milliseconds per operator, from the JSON of ``mx.profiler.dumps(format="json")``."""
    return {
        name: (stats["Count"], stats["Total"])
        for name, stats in profile["Time"].get("operator", {}).items()
        if name not in NOT_KERNELS
    }


def main() -> None:
    """Profile one epoch after a warm-up epoch and print the per-operator table."""
    npx.set_np()
    seed_everything(SEED)
    train_iter, _ = load_data_mnist(BATCH_SIZE)
    net, trainer, loss = lesson_mlp()
    train_epoch(net, train_iter, loss, trainer)
    # Only the aggregate statistics are read; the trace file MXNet writes at exit goes nowhere.
    mx.profiler.set_config(profile_imperative=True, profile_symbolic=True, aggregate_stats=True, filename=os.devnull)
    mx.profiler.set_state("run")
    start = time.perf_counter()
    train_epoch(net, train_iter, loss, trainer)
    epoch_ms = (time.perf_counter() - start) * 1e3
    mx.profiler.set_state("stop")
    stats = operator_stats(json.loads(mx.profiler.dumps(format="json")))
    kernels_ms = sum(total for _, total in stats.values())
    rows = [
        (name, f"{count}", f"{total:.1f}", f"{total / count * 1e3:.0f}", f"{total / epoch_ms:.1%}")
        for name, (count, total) in sorted(stats.items(), key=lambda item: -item[1][1])
    ]
    print(f"one epoch under the profiler: {epoch_ms:.0f} ms wall, {kernels_ms:.0f} ms in operators\n")
    print(markdown_table(("operator", "calls", "total ms", "us/call", "of epoch"), rows))


if __name__ == "__main__":
    main()
