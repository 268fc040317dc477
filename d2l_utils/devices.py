"""Which device the course computes on: the first GPU that the installed MXNet can run, else the CPU.

Only MXNet's CUDA build (``make install-gpu``) computes on a GPU, and only on GPUs of compute
capability 5.0 to 8.9 (see :mod:`d2l_utils.gpu_probe`). On a newer GPU, such as Hopper, its first
kernel would fail: the course says so once, in a warning, and computes on the CPU instead.
"""

from __future__ import annotations

import warnings

import mxnet as mx
from mxnet import npx

from d2l_utils.cuda import cuda_build_installed
from d2l_utils.gpu_probe import GPU, SUPPORTED_RANGE, find_gpus


class UnsupportedGPUWarning(UserWarning):
    """A GPU is present that MXNet's CUDA build has no code for, so the course leaves it unused."""


def usable_gpus() -> list[GPU]:
    """The GPUs the course computes on: none with the CPU build, the supported ones with the CUDA build."""
    if not cuda_build_installed():
        return []
    return [gpu for gpu in find_gpus() if gpu.supported]


def unsupported_gpus_sentence(gpus: list[GPU], fallback: mx.Context) -> str:
    """One sentence on why the course leaves ``gpus`` unused and where it computes instead."""
    listed = ", ".join(f"GPU {gpu.index} ({gpu.name}, compute capability {gpu.compute_capability})" for gpu in gpus)
    return (
        f"MXNet 1.9.1's CUDA build cannot run {listed}: it runs compute capability {SUPPORTED_RANGE}, "
        f"so the course computes on {fallback} instead."
    )


def _first_device(gpus: list[GPU]) -> mx.Context:
    """The first of ``gpus`` as an MXNet device, or the CPU when there is none."""
    return npx.gpu(gpus[0].index) if gpus else npx.cpu()


def _course_gpus() -> list[GPU]:
    """:func:`usable_gpus`, with a warning when the CUDA build meets GPUs it would crash on."""
    usable = usable_gpus()
    unsupported = [gpu for gpu in find_gpus() if not gpu.supported] if cuda_build_installed() else []
    if unsupported:
        sentence = unsupported_gpus_sentence(unsupported, _first_device(usable))
        warnings.warn(sentence, UnsupportedGPUWarning, stacklevel=3)
    return usable


def num_gpus() -> int:
    """Number of GPUs the course can compute on (0 with the CPU build, or on GPUs MXNet cannot run)."""
    return len(_course_gpus())


def try_gpu(i: int = 0) -> mx.Context:
    """Usable GPU ``i`` if it exists, otherwise the CPU, so every notebook runs anywhere."""
    gpus = _course_gpus()
    if i < len(gpus):
        return npx.gpu(gpus[i].index)
    return npx.cpu()


def try_all_gpus() -> list[mx.Context]:
    """All usable GPUs, or ``[cpu()]`` when there is none."""
    return [npx.gpu(gpu.index) for gpu in _course_gpus()] or [npx.cpu()]


def describe_devices() -> str:
    """The GPUs found, their compute capability, and where the course computes, for the environment check."""
    gpus = find_gpus()
    if not gpus:
        return f"No NVIDIA GPU found: the course computes on the CPU, {npx.cpu()}."
    lines = [f"GPU {gpu.index}: {gpu.name}, compute capability {gpu.compute_capability}" for gpu in gpus]
    usable = usable_gpus()
    unsupported = [gpu for gpu in gpus if not gpu.supported]
    if not cuda_build_installed() and len(unsupported) < len(gpus):
        lines.append(
            f"MXNet's CPU build is installed: the course computes on the CPU, {npx.cpu()} "
            "(`make install-gpu` installs the CUDA build)."
        )
    elif unsupported:
        lines.append(unsupported_gpus_sentence(unsupported, _first_device(usable)))
    else:
        lines.append(f"The course computes on {_first_device(usable)} with MXNet's CUDA build.")
    return "\n".join(lines)
