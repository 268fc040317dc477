"""Shared fixtures: tiny IDX files written on the fly, and the real MNIST directory."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as onp
import pytest
from mxnet import npx

from d2l_utils.datasets import MNIST_MD5, data_dir, md5_hex

npx.set_np()


def idx_bytes(array: onp.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(onp.uint8).tobytes()


@pytest.fixture
def tiny_idx_dataset(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, onp.ndarray]]:
    """A 6-train / 2-test data set of 28x28 images on disk, with its MD5 table."""
    rng = onp.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (6, 28, 28), dtype=onp.uint8),
        "train-labels-idx1-ubyte": onp.arange(6, dtype=onp.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (2, 28, 28), dtype=onp.uint8),
        "t10k-labels-idx1-ubyte": onp.array([7, 9], dtype=onp.uint8),
    }
    checksums = {}
    for name, array in arrays.items():
        raw = idx_bytes(array)
        (tmp_path / name).write_bytes(raw)
        (tmp_path / (name + ".gz")).write_bytes(gzip.compress(raw))
        checksums[name] = md5_hex(raw)
    return tmp_path, checksums, arrays


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The verified MNIST files of ``make data`` (which ``make test`` runs first)."""
    directory = data_dir()
    missing = [n for n in MNIST_MD5 if not (directory / n).exists()]
    if missing:
        pytest.fail(f"MNIST missing in {directory} ({', '.join(missing)}): run `make data` first")
    return directory
