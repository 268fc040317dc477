"""Where the course computes, for each kind of machine: the installed MXNet build and the GPUs the driver reports."""

from __future__ import annotations

import warnings

import pytest
from mxnet import npx

from d2l_utils import devices
from d2l_utils.devices import UnsupportedGPUWarning, describe_devices, num_gpus, try_all_gpus, try_gpu
from d2l_utils.gpu_probe import GPU

RTX_3090 = GPU(0, "NVIDIA GeForce RTX 3090", (8, 6))
H100 = GPU(0, "NVIDIA H100 80GB HBM3", (9, 0))


@pytest.fixture
def machine(monkeypatch):
    """Pretend the machine has ``gpus`` and MXNet's CUDA build (``cuda=True``) or CPU build."""

    def setup(gpus, cuda):
        monkeypatch.setattr(devices, "find_gpus", lambda: tuple(gpus))
        monkeypatch.setattr(devices, "cuda_build_installed", lambda: cuda)

    return setup


def no_warning(function):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function()


def test_without_gpu_the_course_computes_on_the_cpu(machine):
    for cuda in (False, True):  # the CUDA build on a machine without GPU or driver too
        machine([], cuda)
        assert no_warning(try_gpu) == npx.cpu()
        assert try_all_gpus() == [npx.cpu()] and num_gpus() == 0
        assert describe_devices() == "No NVIDIA GPU found: the course computes on the CPU, cpu(0)."


def test_cpu_build_on_a_supported_gpu_uses_the_cpu_and_says_how_to_use_the_gpu(machine):
    machine([RTX_3090], cuda=False)
    assert no_warning(try_gpu) == npx.cpu() and num_gpus() == 0
    assert describe_devices() == (
        "GPU 0: NVIDIA GeForce RTX 3090, compute capability 8.6\n"
        "MXNet's CPU build is installed: the course computes on the CPU, cpu(0) "
        "(`make install-gpu` installs the CUDA build)."
    )


def test_cuda_build_on_a_supported_gpu_computes_on_it(machine):
    machine([RTX_3090, GPU(1, "NVIDIA A100-SXM4-40GB", (8, 0))], cuda=True)
    assert no_warning(try_gpu) == npx.gpu(0)
    assert try_gpu(1) == npx.gpu(1) and try_gpu(2) == npx.cpu()
    assert try_all_gpus() == [npx.gpu(0), npx.gpu(1)] and num_gpus() == 2
    assert describe_devices().splitlines() == [
        "GPU 0: NVIDIA GeForce RTX 3090, compute capability 8.6",
        "GPU 1: NVIDIA A100-SXM4-40GB, compute capability 8.0",
        "The course computes on gpu(0) with MXNet's CUDA build.",
    ]


def test_cuda_build_on_hopper_falls_back_to_the_cpu_with_one_sentence(machine):
    machine([H100], cuda=True)
    sentence = (
        "MXNet 1.9.1's CUDA build cannot run GPU 0 (NVIDIA H100 80GB HBM3, compute capability 9.0): it runs "
        "compute capability 5.0 to 8.9, Maxwell to Ada Lovelace, so the course computes on cpu(0) instead."
    )
    with pytest.warns(UnsupportedGPUWarning) as record:
        assert try_gpu() == npx.cpu()
    assert [str(warning.message) for warning in record] == [sentence]
    with pytest.warns(UnsupportedGPUWarning):
        assert try_all_gpus() == [npx.cpu()] and num_gpus() == 0
    assert describe_devices() == f"GPU 0: NVIDIA H100 80GB HBM3, compute capability 9.0\n{sentence}"


def test_cpu_build_on_hopper_says_the_cuda_build_would_not_help(machine):
    machine([H100], cuda=False)
    assert no_warning(try_gpu) == npx.cpu()
    assert "MXNet 1.9.1's CUDA build cannot run GPU 0" in describe_devices()
    assert "make install-gpu" not in describe_devices()


def test_cuda_build_skips_an_unsupported_gpu_beside_a_supported_one(machine):
    machine([H100, GPU(1, "NVIDIA GeForce RTX 4090", (8, 9))], cuda=True)
    with pytest.warns(UnsupportedGPUWarning, match=r"GPU 0 \(NVIDIA H100.*computes on gpu\(1\) instead"):
        assert try_gpu() == npx.gpu(1)
    with pytest.warns(UnsupportedGPUWarning):
        assert try_gpu(1) == npx.cpu() and try_all_gpus() == [npx.gpu(1)]
    assert describe_devices().endswith("so the course computes on gpu(1) instead.")
