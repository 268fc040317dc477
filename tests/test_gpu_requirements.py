"""The GPU route installs the course's own pins with MXNet's CUDA build in place of the CPU build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from d2l_utils.cuda import CUDA_BUILD, CUDA_LIBRARIES

ROOT = Path(__file__).resolve().parent.parent


def pins(text: str) -> dict[str, str]:
    """``name==version`` lines of a requirements text (comments and blank lines skipped)."""
    lines = (line.split("#")[0].strip() for line in text.splitlines())
    return dict(line.split("==") for line in lines if line)


@pytest.fixture(scope="module")
def gpu_pins() -> dict[str, str]:
    """What `make install-gpu` installs, as `make gpu-requirements` prints it."""
    if shutil.which("make") is None:
        pytest.skip("needs make")
    output = subprocess.run(["make", "-s", "gpu-requirements"], cwd=ROOT, capture_output=True, text=True, check=True)
    return pins(output.stdout)


def test_gpu_route_swaps_mxnet_for_its_cuda_build_at_the_same_version(gpu_pins):
    cpu_pins = pins((ROOT / "requirements.txt").read_text())
    assert "mxnet" not in gpu_pins
    assert gpu_pins[CUDA_BUILD] == cpu_pins["mxnet"] == "1.9.1"
    assert {name: version for name, version in cpu_pins.items() if name != "mxnet"}.items() <= gpu_pins.items()


def test_gpu_route_pins_exactly_the_packages_of_the_preloaded_libraries(gpu_pins):
    packages = {library.package for library in CUDA_LIBRARIES if library.package}
    gpu_only = pins((ROOT / "requirements-gpu.txt").read_text())
    assert set(gpu_only) == packages | {CUDA_BUILD}
    assert gpu_only.items() <= gpu_pins.items()
    assert gpu_only["nvidia-cudnn-cu11"].startswith("8.")  # libcudnn.so.8: cuDNN 9 has another soname
    assert gpu_only["nvidia-cuda-nvrtc-cu11"].startswith("11.8.")  # 11.7 cannot compile for Ada


def locked_entries(lock: str) -> set[str]:
    """The ``name==version ; markers`` entries of a lock file, each checked to carry a sha256 hash."""
    entries = re.findall(r"^([A-Za-z0-9_.-]+==[^ \\\n]+(?: ;[^\\\n]*)?) \\\n {4}--hash=sha256:[0-9a-f]{64}", lock, re.M)
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9_.-]+==", lock, re.M)), "every entry needs a hash"
    return {entry.strip() for entry in entries}


def test_gpu_lock_is_the_course_lock_with_mxnet_swapped_for_the_gpu_pins(gpu_pins):
    gpu = locked_entries((ROOT / "requirements-gpu.lock").read_text())
    cpu = locked_entries((ROOT / "requirements.lock").read_text())
    gpu_only = pins((ROOT / "requirements-gpu.txt").read_text())
    assert gpu - cpu == {f"{name}=={version}" for name, version in gpu_only.items()}, "run `make lock-gpu`"
    assert cpu - gpu == {f"mxnet=={gpu_pins[CUDA_BUILD]}"}, "run `make lock-gpu`"


def test_conda_gpu_environment_brings_python_311_and_leaves_the_pins_to_make():
    env = yaml.safe_load((ROOT / "environment-gpu.yml").read_text())
    assert env["dependencies"] == ["python=3.11", "nodejs", "pip"]
    assert "make install-gpu VENV_GPU=$CONDA_PREFIX" in (ROOT / "environment-gpu.yml").read_text()
