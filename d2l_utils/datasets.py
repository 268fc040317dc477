"""MNIST and Fashion-MNIST read from local IDX files, checked by MD5 before use.

Nothing here touches the network: ``make data`` fetches MNIST (see ``fetch_mnist``),
Debian's ``dataset-fashion-mnist`` package installs Fashion-MNIST.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as onp

DATA_DIR_VARIABLE = "D2L_DATA_DIR"
FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")

# MD5 of each uncompressed IDX file, as published with the data sets.
MNIST_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
FASHION_MNIST_MD5 = {
    "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
    "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
    "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
}
MNIST_FETCH_HINT = "run `make data` to fetch it"
FASHION_MNIST_FETCH_HINT = "install it with `sudo apt-get install --reinstall dataset-fashion-mnist`"

# IDX type codes (the third byte of the magic number) that these data sets use.
_IDX_DTYPES = {0x08: onp.uint8}


class ChecksumError(ValueError):
    """A data file exists but its MD5 differs from the published one."""


@dataclass(frozen=True)
class ImageDataset:
    """Images (n, 28, 28) uint8 and labels (n,) uint8 of a train and a test split."""

    train_images: onp.ndarray
    train_labels: onp.ndarray
    test_images: onp.ndarray
    test_labels: onp.ndarray


def data_dir() -> Path:
    """Where ``make data`` stores MNIST: ``$D2L_DATA_DIR``, else ``data/`` in the course checkout."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data" / "mnist"


def md5_hex(raw: bytes) -> str:
    """Hex MD5 digest of ``raw``."""
    return hashlib.md5(raw).hexdigest()


def parse_idx(raw: bytes, name: str = "IDX data") -> onp.ndarray:
    """Decode one IDX file (big-endian header, then the values) into an array."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{name}: not an IDX file of unsigned bytes (magic {raw[:4].hex()})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(onp.prod(shape))
    if len(raw) != expected:
        raise ValueError(f"{name}: header promises shape {shape} ({expected} bytes), file has {len(raw)}")
    return onp.frombuffer(raw, dtype=_IDX_DTYPES[raw[2]], offset=header).reshape(shape)


def read_verified(path: Path, md5: str, hint: str) -> bytes:
    """Bytes of ``path`` (gunzipped if it ends in .gz), after checking them against ``md5``."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: {hint}")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    actual = md5_hex(raw)
    if actual != md5:
        raise ChecksumError(f"{path} is corrupt: MD5 {actual}, expected {md5}; {hint}")
    return raw


def load_idx_dataset(directory: Path, checksums: dict[str, str], hint: str, suffix: str = "") -> ImageDataset:
    """Read and verify all four IDX files of a data set; fails before returning any of them."""
    arrays = {
        name: parse_idx(read_verified(directory / (name + suffix), md5, hint), name) for name, md5 in checksums.items()
    }
    return ImageDataset(
        train_images=arrays["train-images-idx3-ubyte"],
        train_labels=arrays["train-labels-idx1-ubyte"],
        test_images=arrays["t10k-images-idx3-ubyte"],
        test_labels=arrays["t10k-labels-idx1-ubyte"],
    )


def load_mnist(directory: Path | None = None) -> ImageDataset:
    """MNIST's 60,000 training and 10,000 test digits, from ``make data``'s files."""
    return load_idx_dataset(directory or data_dir(), MNIST_MD5, MNIST_FETCH_HINT)


def load_fashion_mnist(directory: Path = FASHION_MNIST_DIR) -> ImageDataset:
    """Fashion-MNIST from Debian's ``dataset-fashion-mnist`` package (gzipped IDX files)."""
    return load_idx_dataset(directory, FASHION_MNIST_MD5, FASHION_MNIST_FETCH_HINT, suffix=".gz")


def missing_mnist_files(directory: Path | None = None) -> list[str]:
    """Names of the MNIST files not present (a quick check without reading them)."""
    directory = directory or data_dir()
    return [name for name in MNIST_MD5 if not (directory / name).exists()]
