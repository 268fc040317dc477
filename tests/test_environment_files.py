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


def test_pyproject_allows_only_python_311():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.12"


def locked_versions():
    """Package name -> version of every entry of requirements.lock, and whether each has hashes."""
    text = (ROOT / "requirements.lock").read_text()
    entry = r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)[^\n]*((?:\n {4}--hash=sha256:[0-9a-f]{64}[ \\]*)*)"
    entries = re.findall(entry, text, re.M)
    return {name.lower().replace("_", "-"): (version, bool(hashes)) for name, version, hashes in entries}


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
