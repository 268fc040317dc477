"""The environment check of the first notebook: is every requirement of the course met?

Each line reads OK or FAIL, and a FAIL says how to fix it, so a learner knows at a
glance whether the setup works. Versions are compared with the pins of the track's requirements
(requirements.txt for MXNet, requirements-pytorch.txt for PyTorch); imports neither framework.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

from d2l_utils.cuda import CUDA_BUILD
from d2l_utils.datasets import MNIST_FETCH_HINT, missing_mnist_files

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
CHECKED_PACKAGES = ("mxnet", "numpy", "d2l", "matplotlib", "jupyterlab", "jupyterlab-rise")
PYTHON_VERSION = (3, 11)


@dataclass(frozen=True)
class Track:
    """What a track of the course checks: its pins, its packages, its Pythons, the command that installs it
    and the fix for missing MNIST files (`make data` installs the track's environment first)."""

    requirements: Path
    packages: tuple[str, ...]
    pythons: tuple[tuple[int, int], tuple[int, int]]
    install: str
    fetch_data: str


TRACKS = {
    "mxnet": Track(
        REQUIREMENTS, CHECKED_PACKAGES, (PYTHON_VERSION, PYTHON_VERSION), "`make install`", MNIST_FETCH_HINT
    ),
    "pytorch": Track(
        REQUIREMENTS.with_name("requirements-pytorch.txt"),
        ("torch", "numpy", "matplotlib", "jupyterlab", "jupyterlab-rise"),
        ((3, 11), (3, 13)),
        "`make install TRACK=pytorch`",
        "run `make data TRACK=pytorch` to fetch it",
    ),
}


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
    """``name==version`` lines of a requirements file as a dict, those whose marker (``; ...``) holds here."""
    pins = {}
    for line in requirements.read_text().splitlines():
        requirement, _, marker = line.split("#")[0].partition(";")
        name, sep, version = requirement.strip().partition("==")
        if sep and (not marker.strip() or Marker(marker.strip()).evaluate()):
            pins[name.lower()] = version
    return pins


def check_python(track: str = "mxnet") -> Check:
    """MXNet 1.9.1 runs on Python 3.11 only, the PyTorch track on 3.11 to 3.13."""
    oldest, newest = TRACKS[track].pythons
    found = "{}.{}".format(*sys.version_info[:2])
    wanted = "3.11" if oldest == newest else "{}.{} to {}.{}".format(*oldest, *newest)
    ok = oldest <= tuple(sys.version_info[:2]) <= newest
    return Check("Python", ok, found, f"use Python {wanted}: {TRACKS[track].install}")


def check_package(name: str, pinned: str, install: str = "`make install`") -> Check:
    """Is distribution ``name`` installed at the pinned version? MXNet's CUDA build counts as ``mxnet``."""
    for distribution in (name, CUDA_BUILD) if name == "mxnet" else (name,):
        try:
            found = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
        return Check(name, found == pinned, found, f"expected {pinned}: {install}")
    return Check(name, False, "not installed", install)


def check_mnist(track: str = "mxnet") -> Check:
    """Are the MNIST files of ``make data`` present? The fix names the track's own ``make data``."""
    missing = missing_mnist_files()
    found = "all 4 files present" if not missing else f"missing {', '.join(missing)}"
    return Check("MNIST data", not missing, found, TRACKS[track].fetch_data)


def check_environment(track: str = "mxnet") -> list[Check]:
    """Every requirement of the course's ``track`` (mxnet or pytorch), in the order a learner would fix them."""
    spec = TRACKS[track]
    pins = pinned_versions(spec.requirements)
    packages = (check_package(n, pins[n], spec.install) for n in spec.packages)
    return [check_python(track), *packages, check_mnist(track)]


def report(checks: list[Check]) -> str:
    """The checks as lines, then a one-line verdict."""
    failed = sum(not c.ok for c in checks)
    verdict = "All requirements met." if not failed else f"{failed} requirement(s) FAIL: apply the fixes above."
    return "\n".join([*map(str, checks), verdict])
