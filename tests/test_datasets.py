import gzip
import shutil
from pathlib import Path

import numpy as onp
import pytest

from d2l_utils import datasets
from d2l_utils.datasets import (
    DATA_DIR_VARIABLE,
    FASHION_MNIST_DIR,
    ChecksumError,
    data_dir,
    load_fashion_mnist,
    load_idx_dataset,
    load_mnist,
    md5_hex,
    missing_mnist_files,
    parse_idx,
    read_verified,
)
from tests.conftest import idx_bytes

needs_fashion_mnist = pytest.mark.skipif(
    not FASHION_MNIST_DIR.exists(), reason="Debian's dataset-fashion-mnist is not installed (`sudo make system-deps`)"
)


def test_parse_idx_round_trips_shape_and_values():
    array = onp.arange(24, dtype=onp.uint8).reshape(2, 3, 4)
    parsed = parse_idx(idx_bytes(array))
    assert parsed.shape == (2, 3, 4)
    assert parsed.dtype == onp.uint8
    onp.testing.assert_array_equal(parsed, array)


def test_parse_idx_rejects_bad_magic_and_truncation():
    with pytest.raises(ValueError, match="not an IDX file"):
        parse_idx(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00", "floats")
    with pytest.raises(ValueError, match=r"short: header promises shape \(2, 3\) \(18 bytes\), file has 17"):
        parse_idx(idx_bytes(onp.zeros((2, 3), onp.uint8))[:-1], "short")
    with pytest.raises(ValueError, match=r"long: header promises shape \(2, 3\) \(18 bytes\), file has 19"):
        parse_idx(idx_bytes(onp.zeros((2, 3), onp.uint8)) + b"\x00", "long")
    with pytest.raises(ValueError, match=r"empty: not an IDX file of unsigned bytes \(magic \)"):
        parse_idx(b"", "empty")


@pytest.mark.parametrize("magic", [b"\x01\x00\x08\x01", b"\x00\x01\x08\x01", b"\x00\x00\x09\x01"])
def test_parse_idx_rejects_each_wrong_magic_byte(magic):
    with pytest.raises(ValueError, match=f"bad: not an IDX file of unsigned bytes \\(magic {magic.hex()}\\)"):
        parse_idx(magic + b"\x00\x00\x00\x01\x07", "bad")


def test_md5_hex_is_the_published_digest():
    assert md5_hex(b"abc") == "900150983cd24fb0d6963f7d28e17f72"  # RFC 1321's test suite


def test_data_dir_defaults_to_the_checkout_and_follows_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    assert data_dir() == Path(__file__).resolve().parent.parent / "data" / "mnist"
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    assert data_dir() == tmp_path


def test_load_idx_dataset_reads_plain_and_gzipped_files(tiny_idx_dataset):
    directory, checksums, arrays = tiny_idx_dataset
    for suffix in ("", ".gz"):
        data = load_idx_dataset(directory, checksums, "hint", suffix=suffix)
        onp.testing.assert_array_equal(data.train_images, arrays["train-images-idx3-ubyte"])
        onp.testing.assert_array_equal(data.test_labels, [7, 9])


def test_missing_file_names_the_fetch_command(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"train-images-idx3-ubyte is missing: run `make data`"):
        load_mnist(tmp_path)


def test_missing_mnist_files_lists_what_is_absent(tiny_idx_dataset):
    directory, _, _ = tiny_idx_dataset
    (directory / "t10k-labels-idx1-ubyte").unlink()
    assert missing_mnist_files(directory) == ["t10k-labels-idx1-ubyte"]


def test_checksum_mismatch_names_the_file(tiny_idx_dataset):
    directory, checksums, _ = tiny_idx_dataset
    with pytest.raises(ChecksumError, match=r"train-images-idx3-ubyte is corrupt: MD5 [0-9a-f]{32}, expected 6bbc"):
        read_verified(directory / "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb", "run `make data`")


def test_real_mnist_has_the_published_shapes(mnist_dir):
    data = load_mnist(mnist_dir)
    assert data.train_images.shape == (60000, 28, 28) and data.train_images.dtype == onp.uint8
    assert data.test_images.shape == (10000, 28, 28)
    assert data.train_labels.shape == (60000,) and data.test_labels.shape == (10000,)
    assert set(onp.unique(data.train_labels)) == set(range(10))
    assert onp.bincount(data.test_labels).tolist()[:2] == [980, 1135]  # the well-known counts of 0s and 1s


def test_corrupt_mnist_file_fails_with_its_name_and_loads_nothing(mnist_dir, tmp_path):
    for path in mnist_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "train-labels-idx1-ubyte"
    raw = bytearray(target.read_bytes())
    raw[100] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(ChecksumError, match=f"{target} is corrupt"):
        load_mnist(tmp_path)


def corrupt_one(directory: Path, name: str, gzipped: bool) -> None:
    """Flip one byte of a data file (inside the gzip stream for a .gz file)."""
    path = directory / (name + (".gz" if gzipped else ""))
    raw = bytearray(gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(raw)) if gzipped else bytes(raw))


CORRUPTION_CASES = [
    *[(load_mnist, "MNIST_MD5", name, False, f"{name} is corrupt: MD5 [0-9a-f]{{32}}, expected .*; run `make data`")
      for name in sorted(datasets.MNIST_MD5)],
    *[(load_fashion_mnist, "FASHION_MNIST_MD5", name, True, f"{name}.gz is corrupt: .*apt-get install --reinstall")
      for name in sorted(datasets.FASHION_MNIST_MD5)],
]


@pytest.mark.parametrize(("loader", "checksums_name", "name", "gzipped", "message"), CORRUPTION_CASES)
def test_loaders_check_every_file(tiny_idx_dataset, monkeypatch, loader, checksums_name, name, gzipped, message):
    """One corrupt byte in any file stops the loader with the way to get the data again."""
    directory, checksums, _ = tiny_idx_dataset
    monkeypatch.setattr(datasets, checksums_name, checksums)
    corrupt_one(directory, name, gzipped=gzipped)
    with pytest.raises(ChecksumError, match=message):
        loader(directory)


def test_load_fashion_mnist_holds_files_to_fashion_mnists_published_md5(tiny_idx_dataset):
    """Well-formed files that are not Fashion-MNIST fail its checksums."""
    directory, _, _ = tiny_idx_dataset
    with pytest.raises(ChecksumError, match="is corrupt"):
        load_fashion_mnist(directory)


@needs_fashion_mnist
def test_fashion_mnist_from_the_debian_package():
    data = load_fashion_mnist()
    assert data.train_images.shape == (60000, 28, 28)
    assert onp.bincount(data.test_labels).tolist() == [1000] * 10


def test_fashion_mnist_absent_says_how_to_install(tmp_path):
    with pytest.raises(FileNotFoundError, match="apt-get install --reinstall dataset-fashion-mnist"):
        load_fashion_mnist(tmp_path)
