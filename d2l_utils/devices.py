"""Which device the course computes on: the first GPU when MXNet can use one, else the CPU."""

from __future__ import annotations

import mxnet as mx
from mxnet import npx


def num_gpus() -> int:
    """Number of GPUs this MXNet build can use (0 for the CPU build)."""
    return npx.num_gpus()


def try_gpu(i: int = 0) -> mx.Context:
    """GPU ``i`` if it exists, otherwise the CPU, so every notebook runs anywhere."""
    if num_gpus() >= i + 1:
        return npx.gpu(i)
    return npx.cpu()


def try_all_gpus() -> list[mx.Context]:
    """All usable GPUs, or ``[cpu()]`` when there is none."""
    return [npx.gpu(i) for i in range(num_gpus())] or [npx.cpu()]


def describe_devices() -> str:
    """One sentence on where the course computes, for the environment check."""
    gpus = num_gpus()
    if gpus == 0:
        return "No GPU usable by MXNet: the course computes on the CPU, cpu(0)."
    return f"{gpus} GPU(s) usable by MXNet: the course computes on {try_gpu()}."
