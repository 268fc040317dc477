"""How every benchmark times its work: warm-up runs first, then the median of timed runs.

The first run of a pipeline pays once for things a student pays once too (graph building,
kernel selection, worker start-up); the median of the rest is robust to a stray busy moment
on a shared machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(
    run: Callable[[], object], repeats: int, warmup: int = 1, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median wall time of ``repeats`` calls of ``run``, after ``warmup`` untimed calls.

    ``run`` must return only when its work is done (read a result back, wait for the device).
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = clock()
        run()
        times.append(clock() - start)
    return statistics.median(times)


def gflops(flops: int, seconds: float) -> float:
    """Rate in GFLOP/s of ``flops`` done in ``seconds``."""
    return flops / seconds / 1e9
