"""The system-package scripts: they install as root, and otherwise name what to install."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("su") is None,
    reason="runs the scripts as the unprivileged user 'nobody', which needs root",
)


def run_as_nobody(script: str, path: str) -> subprocess.CompletedProcess:
    """Run a script of scripts/ as 'nobody' with only the commands in `path` on PATH."""
    return subprocess.run(
        ["su", "nobody", "-s", "/bin/sh", "-c", f"PATH={path} sh {ROOT / script}"],
        capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def bare_path():
    """A PATH with the shell's basics and none of the packages the scripts look for
    (in a folder 'nobody' can read, unlike pytest's tmp_path)."""
    folder = Path(tempfile.mkdtemp(prefix="bare-path-"))
    folder.chmod(0o755)
    for tool in ("sh", "id", "dirname", "apt-get"):
        (folder / tool).symlink_to(shutil.which(tool))
    yield str(folder)
    shutil.rmtree(folder)


def test_apt_install_without_root_installs_nothing_and_says_so_by_its_exit_code(bare_path):
    result = run_as_nobody("scripts/apt-install.sh npm", bare_path)
    assert (result.returncode, result.stdout) == (3, "")


def test_system_deps_without_root_names_what_to_install(bare_path):
    result = run_as_nobody("scripts/system-deps.sh", bare_path)
    assert result.returncode == 0, result.stderr
    assert "sudo apt-get install npm chromium chromium-driver" in result.stdout


def test_container_deps_without_root_fail_naming_what_to_install(bare_path):
    result = run_as_nobody("scripts/container/deps.sh", bare_path)
    assert result.returncode == 1
    assert "sudo apt-get install podman runc iptables mmdebstrap" in result.stderr
