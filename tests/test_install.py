"""`make install` creates, repairs or refuses a virtualenv before installing into it.

`scripts/ensure-venv.sh` is the step that runs before pip: these tests call it on throwaway
environments, so they take seconds and never touch the course's own `.venv`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENSURE_VENV = ROOT / "scripts" / "ensure-venv.sh"
START_OVER = "make clean-venv install"


def ensure_venv(
    env: Path, python: str = sys.executable, track: str = "mxnet", start_over: str = START_OVER
) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(ENSURE_VENV), python, str(env), start_over, track], capture_output=True, text=True, timeout=300
    )


def has_pip(env: Path) -> bool:
    return subprocess.run([env / "bin" / "python", "-m", "pip", "--version"], capture_output=True).returncode == 0


def fake_python(env: Path, version: str) -> Path:
    """A virtualenv whose interpreter reports another Python version, as one made by it would.

    Its ``python -c CODE`` runs CODE in this Python with ``sys.version_info`` read as ``version``.
    """
    (env / "bin").mkdir(parents=True)
    (env / "pyvenv.cfg").write_text(f"version = {version}\n")
    script = env / "bin" / "python"
    numbers = ", ".join(version.split("."))
    script.write_text(
        '#!/bin/sh\n[ "$1" = -c ] || exit 1\n'
        f'exec {sys.executable} -c "$(printf %s "$2" | sed "s/sys.version_info/({numbers})/g")"\n'
    )
    script.chmod(0o755)
    return script


def test_a_missing_venv_is_created_with_pip(tmp_path):
    result = ensure_venv(tmp_path / "venv")
    assert result.returncode == 0, result.stdout + result.stderr
    assert has_pip(tmp_path / "venv")


def test_a_venv_left_without_pip_by_an_interruption_is_created_again(tmp_path):
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    assert not has_pip(env)
    result = ensure_venv(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "creation was interrupted" in result.stdout
    assert has_pip(env)


def test_a_healthy_venv_is_left_as_it_is(tmp_path):
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", env], check=True)
    marker = env / "lib" / "kept"
    marker.write_text("")
    assert ensure_venv(env).returncode == 0
    assert marker.exists()


@pytest.mark.parametrize("version", ["3.12.1", "3.10.13"])
def test_a_venv_of_another_python_stops_with_the_way_to_start_over(tmp_path, version):
    env = tmp_path / "venv"
    fake_python(env, version)
    result = ensure_venv(env)
    assert result.returncode == 1
    assert f"holds Python {version[:4]}, but MXNet 1.9.1 needs Python 3.11" in result.stdout
    assert f"'{START_OVER}'" in result.stdout
    assert (env / "bin" / "python").exists(), "nothing is deleted without asking"


def test_a_conda_environment_is_never_recreated(tmp_path):
    env = tmp_path / "conda-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    (env / "conda-meta").mkdir()
    result = ensure_venv(env)
    assert result.returncode == 1 and "ensurepip" in result.stdout
    assert not has_pip(env)


def test_no_python_311_gives_the_install_advice(tmp_path):
    result = ensure_venv(tmp_path / "venv", python="python3.11-not-here")
    assert result.returncode == 1
    assert "MXNet 1.9.1 needs Python 3.11" in result.stdout and "conda env create" in result.stdout
    assert not (tmp_path / "venv").exists()


def test_make_install_runs_the_check_first_and_clean_venv_keeps_the_data():
    env = dict(os.environ, MAKEFLAGS="")
    install = subprocess.run(
        ["make", "--no-print-directory", "-n", "install", "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.splitlines()
    assert "ensure-venv.sh" in install[0] and "pip install" in install[1]
    clean = subprocess.run(
        ["make", "--no-print-directory", "-n", "clean-venv"], cwd=ROOT, capture_output=True, text=True, env=env
    ).stdout
    assert clean.split() == ["rm", "-rf", ".venv"]


@pytest.mark.parametrize("version", ["3.11.9", "3.12.1", "3.13.0"])
def test_the_pytorch_track_takes_python_311_to_313(tmp_path, version):
    env = tmp_path / "venv"
    fake_python(env, version)
    result = ensure_venv(env, track="pytorch")
    # The fake has no pip: accepted as a Python of the track, it is judged on its pip next.
    assert "has no pip" in result.stdout, result.stdout + result.stderr
    assert "needs Python" not in result.stdout


@pytest.mark.parametrize("version", ["3.10.13", "3.14.0"])
def test_the_pytorch_track_refuses_other_pythons_with_the_way_to_start_over(tmp_path, version):
    env = tmp_path / "venv"
    fake_python(env, version)
    start_over = "make TRACK=pytorch clean-venv install"
    result = ensure_venv(env, track="pytorch", start_over=start_over)
    assert result.returncode == 1
    assert f"holds Python {version[:4]}, but the PyTorch track needs Python 3.11 to 3.13" in result.stdout
    assert f"'{start_over}'" in result.stdout


def test_the_pytorch_track_without_a_python_names_the_way_to_choose_one(tmp_path):
    result = ensure_venv(tmp_path / "venv", python="python3.13-not-here", track="pytorch")
    assert result.returncode == 1
    assert "PyTorch track needs Python 3.11 to 3.13" in result.stdout
    assert "make install TRACK=pytorch PYTHON=" in result.stdout and "conda" not in result.stdout
    assert not (tmp_path / "venv").exists()


def make_dry_run(*args: str) -> list[str]:
    env = dict(os.environ, MAKEFLAGS="")
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_install_track_pytorch_installs_its_own_lock_into_its_own_venv():
    install = make_dry_run("-B", "install", "TRACK=pytorch")
    ensure = 'ensure-venv.sh python3.11 .venv-pytorch "make TRACK=pytorch clean-venv install" pytorch'
    assert install[0].endswith(ensure), install[0]
    assert install[1].startswith(".venv-pytorch/bin/python -m pip install") and "--require-hashes" in install[1]
    assert install[1].endswith("-r requirements-pytorch.lock"), install[1]
    assert make_dry_run("clean-venv", "TRACK=pytorch") == ["rm -rf .venv-pytorch"]


def test_an_unknown_track_stops_make_with_the_tracks_it_has():
    env = dict(os.environ, MAKEFLAGS="")
    result = subprocess.run(["make", "-n", "install", "TRACK=jax"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "TRACK=jax is no track of the course: use TRACK=mxnet (the default) or TRACK=pytorch" in result.stderr
