"""requirements.txt is the one list of pins; environment.yml and pyproject.toml must agree with it."""

import os
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def requirement_lines():
    return [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]


def test_every_requirement_is_pinned_exactly():
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.]*", line) for line in requirement_lines())


def test_the_known_working_core_pins():
    pins = dict(line.split("==") for line in requirement_lines())
    assert pins["mxnet"] == "1.9.1" and pins["numpy"] == "1.23.5"  # mxnet 1.9.1 breaks on numpy >= 1.24
    assert pins["d2l"] == "1.0.3" and pins["matplotlib"] == "3.7.2" and pins["ipython"] == "9.15.0"


def test_environment_yml_reuses_requirements_txt_and_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "nodejs" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-r requirements.txt" in pip_section
    assert not [d for d in deps if isinstance(d, str) and "==" in d], "pins belong in requirements.txt"


def test_pyproject_allows_the_pythons_of_both_tracks():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    assert project["optional-dependencies"] == {"mxnet": ["mxnet", "d2l"], "pytorch": ["torch"]}


LOCK_ENTRY = r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)([^\n]*)((?:\n {4}--hash=sha256:[0-9a-f]{64}[ \\]*)*)"


def locked_versions(lock: str = "requirements.lock"):
    """Package name -> version of every entry of a lock, and whether each has hashes."""
    entries = re.findall(LOCK_ENTRY, (ROOT / lock).read_text(), re.M)
    return {name.lower().replace("_", "-"): (version, bool(hashes)) for name, version, _, hashes in entries}


def test_lock_holds_every_pin_at_its_version_with_hashes():
    locked = locked_versions()
    for line in requirement_lines():
        name, version = line.split("==")
        assert locked.get(name.lower().replace("_", "-"), (None,))[0] == version, f"{name}: run `make lock`"
    assert len(locked) > 100 and all(has_hashes for _, has_hashes in locked.values())


def test_make_lock_lets_uv_choose_the_index():
    """A mirror configured for uv (UV_DEFAULT_INDEX, uv.toml) must be used: the Makefile names none."""
    dry_run = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", "lock"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MAKEFLAGS=""), check=True,
    ).stdout  # fmt: skip
    compile_line = next(line for line in dry_run.splitlines() if "pip compile" in line)
    assert "--generate-hashes" in compile_line
    assert "--index-url" not in compile_line and "://" not in compile_line
    assert "--index-url" not in (ROOT / "requirements.lock").read_text()


def pytorch_requirements():
    """(name, version, marker) of every line of requirements-pytorch.txt."""
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements-pytorch.txt").read_text().splitlines()]
    pin = r"([A-Za-z0-9_.-]+)==([0-9][A-Za-z0-9.+]*)(?: ; (.+))?"
    return [re.fullmatch(pin, line).groups() for line in lines if line]


def test_the_pytorch_track_is_free_of_mxnets_pins():
    pins = {name: version for name, version, _ in pytorch_requirements()}
    assert "mxnet" not in pins and "d2l" not in pins, "the PyTorch track carries none of MXNet's packages"
    assert int(pins["numpy"].split(".")[0]) >= 2
    torch_lines = {marker: version for name, version, marker in pytorch_requirements() if name == "torch"}
    # PyPI's Linux wheel pulls the CUDA stack: on Linux the CPU build, elsewhere PyPI's (CPU or MPS).
    assert torch_lines == {'sys_platform == "linux"': "2.13.0+cpu", 'sys_platform != "linux"': "2.13.0"}


def test_the_pytorch_lock_holds_every_pin_with_hashes_and_no_cuda_stack():
    text = (ROOT / "requirements-pytorch.lock").read_text()
    entries = re.findall(LOCK_ENTRY, text, re.M)
    locked = {(name.lower(), version) for name, version, _, _ in entries}
    for name, version, _ in pytorch_requirements():
        assert (name.lower(), version) in locked, f"{name}=={version}: run `make lock TRACK=pytorch`"
    assert all(hashes for *_, hashes in entries) and len(entries) > 80
    assert not [name for name, *_ in entries if name.startswith(("nvidia-", "triton", "mxnet", "d2l"))]
    assert "--index-url" not in text and "--find-links" not in text, "the lock names no machine's index"
