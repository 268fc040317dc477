import shutil

import numpy as onp
import pytest

from d2l_utils.datasets import (
    FASHION_MNIST_DIR,
    ChecksumError,
    load_fashion_mnist,
    load_idx_dataset,
    load_mnist,
    missing_mnist_files,
    parse_idx,
    read_verified,
)
from tests.conftest import idx_bytes


def test_parse_idx_round_trips_shape_and_values():
    array = onp.arange(24, dtype=onp.uint8).reshape(2, 3, 4)
    parsed = parse_idx(idx_bytes(array))
    assert parsed.shape == (2, 3, 4)
    assert parsed.dtype == onp.uint8
    onp.testing.assert_array_equal(parsed, array)


def test_parse_idx_rejects_bad_magic_and_truncation():
    with pytest.raises(ValueError, match="not an IDX file"):
        parse_idx(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00", "floats")
    with pytest.raises(ValueError, match=r"header promises shape \(2, 3\)"):
        parse_idx(idx_bytes(onp.zeros((2, 3), onp.uint8))[:-1], "short")


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


@pytest.mark.skipif(not FASHION_MNIST_DIR.exists(), reason="Debian package dataset-fashion-mnist not installed")
def test_fashion_mnist_from_the_debian_package():
    data = load_fashion_mnist()
    assert data.train_images.shape == (60000, 28, 28)
    assert onp.bincount(data.test_labels).tolist() == [1000] * 10


def test_fashion_mnist_absent_says_how_to_install(tmp_path):
    with pytest.raises(FileNotFoundError, match="apt-get install --reinstall dataset-fashion-mnist"):
        load_fashion_mnist(tmp_path)
