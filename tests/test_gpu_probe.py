"""The GPU probe against a fake NVIDIA driver and a fake nvidia-smi, and the capability rule."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from d2l_utils import gpu_probe
from d2l_utils.gpu_probe import GPU, GpuProbeError, find_gpus, gpus_from_driver, gpus_from_nvidia_smi, mxnet_can_run

FAKE_DRIVER_SOURCE = Path(__file__).with_name("fake_libcuda.c")
C_COMPILER = shutil.which("cc") or shutil.which("gcc")
needs_c_compiler = pytest.mark.skipif(C_COMPILER is None, reason="needs a C compiler to build fake shared libraries")


def compile_shared_library(path: Path, soname: str, source: Path, needed: Sequence[Path] = ()) -> Path:
    """Build ``source`` as the shared library ``path`` named ``soname``, linked to ``needed`` (no RPATH)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [C_COMPILER, "-shared", "-fPIC", "-O1", f"-Wl,-soname,{soname}", "-o", str(path), str(source)]
    subprocess.run([*command, "-Wl,--no-as-needed", *map(str, needed), "-ldl"], check=True)
    return path


def build_fake_driver(directory: Path) -> Path:
    """tests/fake_libcuda.c built as ``directory/libcuda.so.1``: it reports the GPUs listed in FAKE_CUDA_DEVICES."""
    return compile_shared_library(directory / "libcuda.so.1", "libcuda.so.1", FAKE_DRIVER_SOURCE)


@pytest.fixture(scope="session")
def fake_driver(tmp_path_factory) -> Path:
    """The fake NVIDIA driver, built once."""
    if C_COMPILER is None:
        pytest.skip("needs a C compiler to build the fake NVIDIA driver")
    return build_fake_driver(tmp_path_factory.mktemp("driver"))


@pytest.mark.parametrize(
    ("capability", "runs"),
    [
        ((3, 7), False),  # Kepler: no code for it
        ((5, 0), True),  # Maxwell
        ((5, 2), True),
        ((6, 1), True),  # Pascal runs the 6.0 code
        ((7, 5), True),  # Turing runs the 7.0 code
        ((8, 0), True),  # A100
        ((8, 6), True),
        ((8, 9), True),  # Ada runs the 8.6 code
        ((9, 0), False),  # Hopper: "no kernel image is available"
        ((10, 0), False),
        ((12, 0), False),
    ],
)
def test_mxnet_can_run_follows_the_cubins_in_the_wheel(capability, runs):
    assert mxnet_can_run(capability) is runs
    assert GPU(0, "any", capability).supported is runs


def test_driver_reports_each_gpu_with_its_compute_capability(fake_driver, monkeypatch):
    monkeypatch.setenv("FAKE_CUDA_DEVICES", "NVIDIA H100 80GB HBM3:9.0;NVIDIA GeForce RTX 3090:8.6")
    gpus = gpus_from_driver(str(fake_driver))
    assert gpus == [GPU(0, "NVIDIA H100 80GB HBM3", (9, 0)), GPU(1, "NVIDIA GeForce RTX 3090", (8, 6))]
    assert [gpu.compute_capability for gpu in gpus] == ["9.0", "8.6"]


def test_driver_without_gpus_reports_none(fake_driver, monkeypatch):
    monkeypatch.delenv("FAKE_CUDA_DEVICES", raising=False)
    assert gpus_from_driver(str(fake_driver)) == []


def test_driver_errors_and_a_missing_driver_raise(fake_driver, monkeypatch, tmp_path):
    monkeypatch.setenv("FAKE_CUDA_DEVICES", "NVIDIA A100-SXM4-40GB:8.0")
    monkeypatch.setenv("FAKE_CUDA_INIT_ERROR", "999")
    with pytest.raises(GpuProbeError, match="cuInit failed with CUDA driver error 999"):
        gpus_from_driver(str(fake_driver))
    with pytest.raises(GpuProbeError, match="no NVIDIA driver"):
        gpus_from_driver(str(tmp_path / "libcuda.so.1"))


def fake_nvidia_smi(directory: Path, script: str) -> str:
    """An executable shell script standing in for nvidia-smi."""
    path = directory / "nvidia-smi"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


def test_nvidia_smi_lists_gpus_with_compute_capability(tmp_path):
    smi = fake_nvidia_smi(tmp_path, 'test "$1" = --query-gpu=name,compute_cap || exit 9\nprintf "%s\\n" '
                          '"NVIDIA H100 80GB HBM3, 9.0" "Tesla T4, 7.5"')
    assert gpus_from_nvidia_smi(smi) == [GPU(0, "NVIDIA H100 80GB HBM3", (9, 0)), GPU(1, "Tesla T4", (7, 5))]


@pytest.mark.parametrize(
    "script",
    [
        'echo "Field \\"compute_cap\\" is not a valid field to query."; exit 2',  # drivers before 510
        'echo "Tesla K80"',  # an answer without a compute capability
    ],
)
def test_nvidia_smi_failures_raise(tmp_path, script):
    with pytest.raises(GpuProbeError):
        gpus_from_nvidia_smi(fake_nvidia_smi(tmp_path, script))
    with pytest.raises(GpuProbeError):
        gpus_from_nvidia_smi(str(tmp_path / "missing-nvidia-smi"))


@pytest.fixture
def probes(monkeypatch):
    """Replace both probes by fakes; find_gpus forgets what it cached before and after."""
    calls = []

    def install(driver, smi):
        def fake(name, result):
            def probe():
                calls.append(name)
                if isinstance(result, Exception):
                    raise result
                return result

            return probe

        monkeypatch.setattr(gpu_probe, "gpus_from_driver", fake("driver", driver))
        monkeypatch.setattr(gpu_probe, "gpus_from_nvidia_smi", fake("nvidia-smi", smi))
        find_gpus.cache_clear()
        return calls

    yield install
    find_gpus.cache_clear()


def test_find_gpus_trusts_the_driver_first(probes):
    a100 = GPU(0, "NVIDIA A100", (8, 0))
    calls = probes([a100], GpuProbeError("unused"))
    assert find_gpus() == (a100,)
    assert find_gpus() == (a100,)
    assert calls == ["driver"]  # cached, and nvidia-smi never asked


def test_find_gpus_takes_no_gpu_from_the_driver_as_the_answer(probes):
    calls = probes([], [GPU(0, "stale", (8, 0))])
    assert find_gpus() == ()
    assert calls == ["driver"]


def test_find_gpus_falls_back_to_nvidia_smi_then_to_none(probes):
    h100 = GPU(0, "NVIDIA H100", (9, 0))
    probes(GpuProbeError("no NVIDIA driver"), [h100])
    assert find_gpus() == (h100,)
    probes(GpuProbeError("no NVIDIA driver"), GpuProbeError("no nvidia-smi"))
    assert find_gpus() == ()
