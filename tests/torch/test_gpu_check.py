"""The GPU check end to end (python -m gpucheck.run), on the CPU as --allow-cpu permits, in .venv-pytorch.

Each notebook here stores what a CUDA GPU would print (device names, last digits off) and runs on
the CPU: the check must pass where only the device and the last digits differ, and fail otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import torch

from gpucheck import run

REPO = Path(__file__).resolve().parents[2]
CELLS = ["import torch\nprint('training on', torch.device('cpu'))", "torch.tensor([1.0, 4.0]) / 3", "6 * 7"]
AS_ON_A_GPU = [
    {"output_type": "stream", "name": "stdout", "text": "training on cuda:0\n"},
    {"output_type": "execute_result", "execution_count": 2, "metadata": {},
     "data": {"text/plain": "tensor([0.3333, 1.3334], device='cuda:0')"}},
    {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": "42"}},
]


def notebook(path: Path, outputs: list[dict]) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells = [
        nbformat.v4.new_code_cell(source, outputs=[nbformat.from_dict(output)], execution_count=count)
        for count, (source, output) in enumerate(zip(CELLS, outputs, strict=True), start=1)
    ]
    nbformat.write(nb, path)
    return path


def check(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "gpucheck.run", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def with_text(outputs: list[dict], index: int, text: str) -> list[dict]:
    changed = [dict(o) for o in outputs]
    changed[index] = {**changed[index], "data": {"text/plain": text}}
    return changed


def verdicts(stdout: str) -> dict[str, str]:
    """Each notebook's line of the report, "NAME.ipynb  3 cells  4.2 s  passed": name -> passed or FAILED."""
    lines = re.findall(r"^\S*?([\w-]+\.ipynb) +\d+ cells +[\d.]+ s +(passed|FAILED)$", stdout, flags=re.MULTILINE)
    return dict(lines)


def test_device_names_and_last_digits_pass_other_differences_fail(tmp_path):
    notebooks = [
        notebook(tmp_path / "gpu-outputs.ipynb", AS_ON_A_GPU),
        notebook(tmp_path / "loose.ipynb", with_text(AS_ON_A_GPU, 1, "tensor([0.3333, 1.3336], device='cuda:0')")),
        notebook(tmp_path / "digits.ipynb", with_text(AS_ON_A_GPU, 1, "tensor([0.3333, 1.3400], device='cuda:0')")),
        notebook(tmp_path / "count.ipynb", with_text(AS_ON_A_GPU, 2, "43")),
    ]
    done = check("--allow-cpu", "--times", str(tmp_path / "times.json"), *map(str, notebooks))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "running on the CPU, as asked" in done.stdout
    assert verdicts(done.stdout) == {
        "gpu-outputs.ipynb": "passed", "loose.ipynb": "passed", "digits.ipynb": "FAILED", "count.ipynb": "FAILED"
    }
    assert "gpu-outputs.ipynb::Cell 1: 1.3334 vs 1.3333 (relative 7.5e-05)" in done.stdout
    assert "loose.ipynb::Cell 1: 1.3336 vs 1.3333 (relative 2.2e-04)" in done.stdout
    assert "2 failed, 10 passed" in done.stdout
    times = json.loads((tmp_path / "times.json").read_text())
    assert sorted(Path(name).name for name in times["seconds"]) == sorted(nb.name for nb in notebooks)


def test_the_tolerance_is_the_one_given(tmp_path):
    notebooks = [
        notebook(tmp_path / "gpu-outputs.ipynb", AS_ON_A_GPU),
        notebook(tmp_path / "loose.ipynb", with_text(AS_ON_A_GPU, 1, "tensor([0.3333, 1.3336], device='cuda:0')")),
    ]
    done = check("--allow-cpu", "--rtol", "1e-4", *map(str, notebooks))
    # 1.3334 vs 1.3333 is one unit in the last printed digit, allowed at any rtol; 1.3336 is not within 1e-4.
    assert verdicts(done.stdout) == {"gpu-outputs.ipynb": "passed", "loose.ipynb": "FAILED"}, done.stdout


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_without_a_cuda_gpu_the_check_stops_and_says_why(tmp_path):
    done = check(str(notebook(tmp_path / "gpu.ipynb", AS_ON_A_GPU)))
    assert done.returncode != 0
    assert "ERROR: no CUDA GPU: torch" in done.stderr and "GPU_ALLOW_CPU=1" in done.stderr
    assert "passed" not in done.stdout


def test_describe_device_names_the_gpu_when_there_is_one(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda index: (9, 0))
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: "NVIDIA H200")
    assert run.describe_device(allow_cpu=False).endswith(": NVIDIA H200 (sm_90)")
