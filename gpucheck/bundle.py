"""``make gpu-bundle``: what the GPU check needs on a bare, offline GPU machine, in one folder.

The machine has Python 3.12 with torch, numpy, matplotlib and pytest, and nothing else of the
course. The bundle adds, for CPython 3.12 on Linux x86-64: the wheels of nbval and of the
Jupyter kernel it runs the notebooks in (versions and hashes from ``requirements-pytorch.lock``,
downloaded by pip, which checks every hash), MNIST gzipped, the script that installs and runs it
all offline (``run.sh``, from ``gpucheck/run-bundle.sh``), and ``SHA256SUMS`` over every file. It
is written beside its final place and swapped in when complete, so an interrupted build leaves
nothing half-made; it must fit, with the working tree, in what may travel to the machine.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from d2l_utils.datasets import MNIST_MD5, data_dir, read_verified
from gpucheck.lock import PYTHON_312_LINUX, Pin, closure, read_lock

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements-pytorch.lock"
# What the check runs: nbval, and the kernel it executes the notebooks in.
CHECK_ROOTS = ("nbval", "ipykernel")
# What the GPU machine has already, with all they require; the bundle never ships these.
MACHINE_ROOTS = ("torch", "numpy", "matplotlib", "pytest")
# Wheels pip may take for CPython 3.12 on Linux x86-64 (glibc 2.28 or newer), or pure Python ones.
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_26_x86_64", "manylinux_2_17_x86_64",
             "manylinux2014_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64")
# What may travel with the working tree to the GPU machine, all together.
TRAVEL_LIMIT = 64 * 2**20
SUMS = "SHA256SUMS"
REQUIREMENTS = "requirements.txt"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheel_project(path: Path) -> str:
    """The canonical project name of a wheel file."""
    return canonicalize_name(parse_wheel_filename(path.name)[0])


def wheel_requirements(path: Path) -> list[Requirement]:
    """The ``Requires-Dist`` lines of a wheel's metadata."""
    with zipfile.ZipFile(path) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        metadata = Parser().parsestr(wheel.read(name).decode())
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def needed_wheels(
    roots: Iterable[str], wheels: Mapping[str, Path], provided: set[str], environment: Mapping[str, str]
) -> set[str]:
    """The projects among ``wheels`` that ``roots`` need in ``environment``, read from the wheels' metadata.

    A requirement that is neither among the wheels nor ``provided`` by the machine is an error: the
    bundle would not run there.
    """
    needed: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(root), frozenset()) for root in roots]
    while todo:
        name, extras = todo.pop()
        if name in provided or (name, extras) in seen:
            continue
        if name not in wheels:
            raise LookupError(f"{name} is needed but neither bundled nor on the GPU machine")
        seen.add((name, extras))
        needed.add(name)
        for requirement in wheel_requirements(wheels[name]):
            marker_holds = requirement.marker is None or any(
                requirement.marker.evaluate({**environment, "extra": extra}) for extra in (extras or {""})
            )
            if marker_holds:
                todo.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return needed


def candidate_pins(lock: Path = LOCK) -> list[Pin]:
    """Every pin of the lock that the check may need on the machine: a superset, narrowed by the wheels' metadata."""
    pins = read_lock(lock, PYTHON_312_LINUX)
    wanted = closure(CHECK_ROOTS, pins) - closure(MACHINE_ROOTS, pins)
    return [pins[name] for name in sorted(wanted)]


def download(pins: list[Pin], dest: Path) -> None:
    """pip downloads the pinned wheels for CPython 3.12 on Linux x86-64 and checks each against the lock's hashes."""
    requirements = dest / "lock-subset.txt"
    requirements.write_text("".join(pin.requirement_line() + "\n" for pin in pins))
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp", "--abi", "cp312",
         "--abi", "abi3", "--abi", "none", *platforms, "--require-hashes", "-r", str(requirements), "-d", str(dest)],
        check=True,
    )
    requirements.unlink()


def write_mnist(source: Path, dest: Path, checksums: Mapping[str, str] = MNIST_MD5) -> None:
    """MNIST's four files, verified, then gzipped (no time stamp: the same bytes every time).

    Level 6, gzip's default: level 9 saves 2% of the size for ten times the time.
    """
    dest.mkdir(parents=True)
    for name, md5 in checksums.items():
        raw = read_verified(source / name, md5, "run `make data` first")
        (dest / f"{name}.gz").write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))


def write_requirements(wheels: Iterable[Path], path: Path) -> None:
    """The bundle's wheels as pip installs them offline: each pinned to its file's SHA-256."""
    lines = []
    for wheel in sorted(wheels):
        name, version, *_ = parse_wheel_filename(wheel.name)
        lines.append(f"{name}=={version} --hash=sha256:{sha256_file(wheel)}\n")
    path.write_text("".join(lines))


def write_sums(bundle: Path) -> None:
    """``SHA256SUMS`` over every other file of the bundle, as ``sha256sum -c`` reads it."""
    files = sorted(p for p in bundle.rglob("*") if p.is_file() and p.name != SUMS)
    (bundle / SUMS).write_text("".join(f"{sha256_file(p)}  {p.relative_to(bundle)}\n" for p in files))


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def tracked_bytes(repo: Path = REPO) -> int:
    """Bytes of the files git tracks in the checkout: the working tree that travels with the bundle."""
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True).stdout
    return sum((repo / name).stat().st_size for name in listed.decode().split("\0") if name and (repo / name).is_file())


def check_travel_size(bundle: Path, repo: Path = REPO, limit: int = TRAVEL_LIMIT) -> str:
    """The bundle with the working tree must fit in ``limit``; returns the sizes, raises if they do not fit."""
    bundle_bytes, tree_bytes = folder_bytes(bundle), tracked_bytes(repo)
    line = f"bundle {bundle_bytes / 2**20:.1f} MiB + working tree {tree_bytes / 2**20:.1f} MiB"
    if bundle_bytes + tree_bytes > limit:
        raise ValueError(f"{line} exceeds the {limit / 2**20:.0f} MiB that may travel to the GPU machine")
    return f"{line} = {(bundle_bytes + tree_bytes) / 2**20:.1f} MiB of {limit / 2**20:.0f} MiB"


def write_tarball(bundle: Path, path: Path) -> None:
    """The bundle as one .tar.gz, files in order, owners and times left out: the same bytes for the same files."""
    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = 0
        return info

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for member in sorted(bundle.rglob("*")):
            tar.add(member, arcname=str(Path(bundle.name) / member.relative_to(bundle)), recursive=False, filter=clean)
    path.write_bytes(buffer.getvalue())


def build(
    out: Path,
    mnist: Path,
    lock: Path = LOCK,
    fetch: Callable[[list[Pin], Path], None] = download,
    checksums: Mapping[str, str] = MNIST_MD5,
) -> None:
    """Write the bundle to ``out`` (replacing it when complete) and ``out`` + ``.tar.gz``.

    ``fetch`` puts the wheels of the pins it is given into a folder (pip, by default).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        staging = Path(tmp) / out.name
        wheel_dir = staging / "wheels"
        wheel_dir.mkdir(parents=True)
        fetch(candidate_pins(lock), wheel_dir)
        wheels = {wheel_project(p): p for p in wheel_dir.glob("*.whl")}
        provided = closure(MACHINE_ROOTS, read_lock(lock, PYTHON_312_LINUX))
        keep = needed_wheels(CHECK_ROOTS, wheels, provided, PYTHON_312_LINUX)
        for name in set(wheels) - keep:
            wheels.pop(name).unlink()
        write_requirements(wheels.values(), staging / REQUIREMENTS)
        write_mnist(mnist, staging / "mnist", checksums)
        shutil.copy(REPO / "gpucheck" / "run-bundle.sh", staging / "run.sh")
        (staging / "run.sh").chmod(0o755)
        write_sums(staging)
        print(check_travel_size(staging))
        write_tarball(staging, Path(tmp) / f"{out.name}.tar.gz")
        old = Path(tmp) / "old"
        if out.exists():
            out.rename(old)
        staging.rename(out)
        os.replace(Path(tmp) / f"{out.name}.tar.gz", out.with_name(f"{out.name}.tar.gz"))
    tarball = out.with_name(f"{out.name}.tar.gz")
    print(f"{out}: {len(keep)} wheels and MNIST; {tarball}: {tarball.stat().st_size / 2**20:.1f} MiB")


def main() -> None:
    """``python -m gpucheck.bundle [--out dist/gpu-bundle]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "gpu-bundle")
    parser.add_argument("--mnist", type=Path, default=None, help="MNIST's folder (default: make data's)")
    options = parser.parse_args()
    build(options.out, options.mnist or data_dir())


if __name__ == "__main__":
    main()
