"""The environment check of the first notebook: is every requirement of the course met?

Each line reads OK or FAIL, and a FAIL says how to fix it, so a learner knows at a
glance whether the setup works. Versions are compared with the pins in requirements.txt.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from d2l_utils.cuda import CUDA_BUILD
from d2l_utils.datasets import MNIST_FETCH_HINT, missing_mnist_files

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
CHECKED_PACKAGES = ("mxnet", "numpy", "d2l", "matplotlib", "jupyterlab", "jupyterlab-rise")
PYTHON_VERSION = (3, 11)


@dataclass(frozen=True)
class Check:
    """One requirement: its name, whether it is met, what was found, and the fix if not."""

    name: str
    ok: bool
    found: str
    fix: str = ""

    def __str__(self) -> str:
        line = f"{'OK' if self.ok else 'FAIL':5} {self.name}: {self.found}"
        return line if self.ok else f"{line}  ->  {self.fix}"


def pinned_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """``name==version`` lines of requirements.txt as a dict."""
    pins = {}
    for line in requirements.read_text().splitlines():
        name, sep, version = line.split("#")[0].strip().partition("==")
        if sep:
            pins[name.lower()] = version
    return pins


def check_python() -> Check:
    """MXNet 1.9.1 runs on Python 3.11 only."""
    found = "{}.{}".format(*sys.version_info[:2])
    return Check("Python", sys.version_info[:2] == PYTHON_VERSION, found, "use Python 3.11: `make install`")


def check_package(name: str, pinned: str) -> Check:
    """Is distribution ``name`` installed at the pinned version? MXNet's CUDA build counts as ``mxnet``."""
    for distribution in (name, CUDA_BUILD) if name == "mxnet" else (name,):
        try:
            found = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
        return Check(name, found == pinned, found, f"expected {pinned}: `make install`")
    return Check(name, False, "not installed", "`make install`")


def check_mnist() -> Check:
    """Are the MNIST files of ``make data`` present?"""
    missing = missing_mnist_files()
    found = "all 4 files present" if not missing else f"missing {', '.join(missing)}"
    return Check("MNIST data", not missing, found, MNIST_FETCH_HINT)


def check_environment() -> list[Check]:
    """Every requirement of the course, in the order a learner would fix them."""
    pins = pinned_versions()
    return [check_python(), *(check_package(n, pins[n]) for n in CHECKED_PACKAGES), check_mnist()]


def report(checks: list[Check]) -> str:
    """The checks as lines, then a one-line verdict."""
    failed = sum(not c.ok for c in checks)
    verdict = "All requirements met." if not failed else f"{failed} requirement(s) FAIL: apply the fixes above."
    return "\n".join([*map(str, checks), verdict])
