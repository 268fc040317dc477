"""The D2L book's pipeline of the benchmark reads the verified files and never downloads."""

import pytest
import requests
from mxnet import npx

from bench.gluon_data import LocalMNIST, d2l_train_loader, write_gzipped_mnist
from d2l_utils.datasets import ChecksumError


@pytest.fixture
def no_network(monkeypatch):
    """Gluon's ``download`` fetches with requests: make any fetch fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to download {args[0] if args else kwargs}")

    monkeypatch.setattr(requests, "get", refuse)


def test_local_mnist_reads_the_written_files_without_downloading(tiny_idx_dataset, tmp_path, no_network):
    source, checksums, arrays = tiny_idx_dataset
    write_gzipped_mnist(tmp_path / "gluon", source, checksums)
    train, test = LocalMNIST(root=str(tmp_path / "gluon")), LocalMNIST(root=str(tmp_path / "gluon"), train=False)
    assert len(train) == 6 and len(test) == 2
    image, label = train[5]
    assert image.shape == (28, 28, 1) and (image.asnumpy()[:, :, 0] == arrays["train-images-idx3-ubyte"][5]).all()
    assert int(label) == 5


def test_write_gzipped_mnist_refuses_a_corrupt_source(tiny_idx_dataset, tmp_path):
    source, checksums, _ = tiny_idx_dataset
    (source / "train-labels-idx1-ubyte").write_bytes(b"\0\0\x08\x01\0\0\0\0")
    with pytest.raises(ChecksumError, match="train-labels-idx1-ubyte is corrupt"):
        write_gzipped_mnist(tmp_path / "gluon", source, checksums)


def test_local_mnist_without_written_files_says_so(tmp_path, no_network):
    with pytest.raises(FileNotFoundError, match="call write_gzipped_mnist first"):
        LocalMNIST(root=str(tmp_path))


def test_d2l_train_loader_gives_tensors_on_the_device(tiny_idx_dataset, tmp_path, no_network):
    source, checksums, arrays = tiny_idx_dataset
    write_gzipped_mnist(tmp_path, source, checksums)
    batches = list(d2l_train_loader(tmp_path, batch_size=4, ctx=npx.cpu(), num_workers=0))
    assert [X.shape for X, _ in batches] == [(4, 1, 28, 28), (2, 1, 28, 28)]
    assert all(X.ctx == npx.cpu() and 0.0 <= float(X.min()) and float(X.max()) <= 1.0 for X, _ in batches)
    assert sorted(int(label) for _, y in batches for label in y.tolist()) == list(range(6))
