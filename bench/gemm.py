"""Single-precision matrix-multiply rate (GFLOP/s) on the MLP's own shapes, per library.

Run as ``python -m bench.gemm BACKEND``; prints ``{gemm name: GFLOP/s}`` as JSON. Backends:
``torch`` (``torch.mm``, in the PyTorch environment), ``mxnet-dot`` (``np.dot``, OpenBLAS) and
``mxnet-fc`` (``npx.fully_connected``, oneDNN), the two paths of MXNet's matrix products.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from bench.timing import gflops, median_seconds
from bench.workload import Gemm, mlp_gemms

CALLS_PER_TIMING = 50
REPEATS = 5

# A backend makes, for one GEMM, a function that runs CALLS_PER_TIMING products and waits for them.
Backend = Callable[[Gemm], Callable[[], None]]


def torch_mm(gemm: Gemm) -> Callable[[], None]:
    """``torch.mm`` of (m, k) and (k, n); PyTorch's CPU operators return when done."""
    import torch

    a, b = torch.rand(gemm.m, gemm.k), torch.rand(gemm.k, gemm.n)
    out = torch.empty(gemm.m, gemm.n)

    def run() -> None:
        for _ in range(CALLS_PER_TIMING):
            torch.mm(a, b, out=out)

    return run


def mxnet_dot(gemm: Gemm) -> Callable[[], None]:
    """MXNet's ``np.dot`` of (m, k) and (k, n), then a wait for the asynchronous engine."""
    from mxnet import np, npx

    npx.set_np()
    a, b = np.random.uniform(size=(gemm.m, gemm.k)), np.random.uniform(size=(gemm.k, gemm.n))

    def run() -> None:
        for _ in range(CALLS_PER_TIMING):
            np.dot(a, b)
        npx.waitall()

    return run


def mxnet_fully_connected(gemm: Gemm) -> Callable[[], None]:
    """MXNet's ``FullyConnected`` operator, as Gluon's ``Dense`` calls it: (m, k) times the transpose of (n, k)."""
    from mxnet import np, npx

    npx.set_np()
    data, weight = np.random.uniform(size=(gemm.m, gemm.k)), np.random.uniform(size=(gemm.n, gemm.k))

    def run() -> None:
        for _ in range(CALLS_PER_TIMING):
            npx.fully_connected(data, weight, num_hidden=gemm.n, no_bias=True)
        npx.waitall()

    return run


BACKENDS: dict[str, Backend] = {"torch": torch_mm, "mxnet-dot": mxnet_dot, "mxnet-fc": mxnet_fully_connected}


def measure(backend: Backend) -> dict[str, float]:
    """GFLOP/s of each of the MLP's matrix products with ``backend``."""
    rates = {}
    for gemm in mlp_gemms():
        seconds = median_seconds(backend(gemm), REPEATS) / CALLS_PER_TIMING
        rates[gemm.name] = gflops(gemm.flops, seconds)
    return rates


if __name__ == "__main__":
    print(json.dumps(measure(BACKENDS[sys.argv[1]])))
