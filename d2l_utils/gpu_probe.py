"""Which NVIDIA GPUs this machine has, and whether MXNet's CUDA build can run on them.

The answer comes from the NVIDIA driver, not from MXNet: MXNet would report a GPU it cannot
use and only fail at its first kernel. ``mxnet-cu117`` 1.9.1 ships machine code for compute
capabilities 5.0, 6.0, 7.0, 8.0 and 8.6 and no PTX, so it runs on Maxwell to Ada Lovelace
(5.0 to 8.9) and on nothing newer: Hopper (9.0) fails with "no kernel image is available".

The driver library ``libcuda.so.1`` is asked through ctypes (cuInit, cuDeviceGetCount,
cuDeviceGet, cuDeviceGetName, cuDeviceGetAttribute); where it cannot be loaded,
``nvidia-smi --query-gpu=name,compute_cap`` is asked instead.
"""

from __future__ import annotations

import ctypes
import functools
import subprocess
from dataclasses import dataclass

# The compute capabilities libmxnet.so of mxnet-cu117 1.9.1 has machine code (cubins) for.
MXNET_CUBINS = ((5, 0), (6, 0), (7, 0), (8, 0), (8, 6))
SUPPORTED_RANGE = "5.0 to 8.9, Maxwell to Ada Lovelace"

CUDA_SUCCESS = 0
CUDA_ERROR_NO_DEVICE = 100
ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75
ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76


def mxnet_can_run(capability: tuple[int, int]) -> bool:
    """Does MXNet's CUDA build have machine code that a GPU of this compute capability runs?

    A cubin for X.y runs on devices X.z with z >= y (same major version only); with no PTX in
    the library, nothing can be compiled for a newer architecture at load time.
    """
    major, minor = capability
    return any(major == cubin_major and minor >= cubin_minor for cubin_major, cubin_minor in MXNET_CUBINS)


@dataclass(frozen=True)
class GPU:
    """One GPU as the driver numbers it: the index MXNet's ``gpu(index)`` refers to."""

    index: int
    name: str
    capability: tuple[int, int]

    @property
    def supported(self) -> bool:
        """Can MXNet's CUDA build run on this GPU?"""
        return mxnet_can_run(self.capability)

    @property
    def compute_capability(self) -> str:
        """The compute capability as NVIDIA writes it, e.g. ``"8.6"``."""
        return "{}.{}".format(*self.capability)


class GpuProbeError(RuntimeError):
    """The driver or nvidia-smi could not be asked, or gave an answer that makes no sense."""


def _check(status: int, call: str) -> None:
    if status != CUDA_SUCCESS:
        raise GpuProbeError(f"{call} failed with CUDA driver error {status}")


def gpus_from_driver(library: str = "libcuda.so.1") -> list[GPU]:
    """The GPUs the NVIDIA driver ``library`` reports; ``[]`` when it reports none.

    Raises :class:`GpuProbeError` when the driver is missing or fails.
    """
    try:
        driver = ctypes.CDLL(library)
    except OSError as error:
        raise GpuProbeError(f"no NVIDIA driver: {error}") from error
    status = driver.cuInit(0)
    if status == CUDA_ERROR_NO_DEVICE:
        return []
    _check(status, "cuInit")
    count = ctypes.c_int()
    _check(driver.cuDeviceGetCount(ctypes.byref(count)), "cuDeviceGetCount")
    gpus = []
    for index in range(count.value):
        device, major, minor = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        name = ctypes.create_string_buffer(256)
        _check(driver.cuDeviceGet(ctypes.byref(device), index), "cuDeviceGet")
        _check(driver.cuDeviceGetName(name, len(name), device), "cuDeviceGetName")
        _check(driver.cuDeviceGetAttribute(ctypes.byref(major), ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "major")
        _check(driver.cuDeviceGetAttribute(ctypes.byref(minor), ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "minor")
        gpus.append(GPU(index, name.value.decode(errors="replace"), (major.value, minor.value)))
    return gpus


def gpus_from_nvidia_smi(executable: str = "nvidia-smi") -> list[GPU]:
    """The GPUs ``nvidia-smi`` lists (drivers from 510 on know the ``compute_cap`` field).

    Raises :class:`GpuProbeError` when nvidia-smi is missing, fails, or prints something else.
    """
    command = [executable, "--query-gpu=name,compute_cap", "--format=csv,noheader"]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise GpuProbeError(f"nvidia-smi: {error}") from error
    gpus = []
    for index, line in enumerate(output.strip().splitlines()):
        name, _, capability = line.rpartition(",")
        try:
            major, minor = (int(part) for part in capability.strip().split("."))
        except ValueError as error:
            raise GpuProbeError(f"nvidia-smi printed {line!r}, not 'name, major.minor'") from error
        gpus.append(GPU(index, name.strip(), (major, minor)))
    return gpus


@functools.cache
def find_gpus() -> tuple[GPU, ...]:
    """This machine's NVIDIA GPUs, from the driver or else nvidia-smi; ``()`` when neither knows any.

    Cached: the driver is asked once per process.
    """
    for probe in (gpus_from_driver, gpus_from_nvidia_smi):
        try:
            return tuple(probe())
        except GpuProbeError:
            continue
    return ()
