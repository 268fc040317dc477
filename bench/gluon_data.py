"""The D2L book's input pipeline, fed from the course's verified MNIST files instead of a download.

``gluon.data.vision.MNIST`` reads gzipped IDX files and fetches any whose SHA-1 differs from
the published archive's. ``write_gzipped_mnist`` writes those files from the IDX files that
``make data`` verified; ``LocalMNIST`` expects the SHA-1 of the files written, so it never
downloads. ``d2l_train_loader`` then builds the loader as ``d2l.load_data_fashion_mnist`` does,
and moves each batch to the device as the book's training loops do (worker processes hand
batches over in shared memory, which a hybridized network does not accept as input).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path

import mxnet as mx
from mxnet import gluon, np

from d2l_utils.datasets import MNIST_FETCH_HINT, MNIST_MD5, data_dir, read_verified

DATASET_ATTRIBUTES = ("_train_data", "_train_label", "_test_data", "_test_label")
NUM_WORKERS = 4  # d2l.get_dataloader_workers() off Windows


def write_gzipped_mnist(target: Path, source: Path | None = None, checksums: dict[str, str] = MNIST_MD5) -> None:
    """Gzip each IDX file of ``source`` (default: ``make data``'s MNIST) into ``target``, after checking its MD5."""
    source = source or data_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name, md5 in checksums.items():
        raw = read_verified(source / name, md5, MNIST_FETCH_HINT)
        (target / f"{name}.gz").write_bytes(gzip.compress(raw, compresslevel=1, mtime=0))


class LocalMNIST(gluon.data.vision.MNIST):
    """Gluon's MNIST over files that ``write_gzipped_mnist`` put in ``root``; never downloads."""

    def _get_data(self) -> None:
        for attribute in DATASET_ATTRIBUTES:
            name, _published_sha1 = getattr(self, attribute)
            path = Path(self._root) / name
            if not path.exists():
                raise FileNotFoundError(f"{path} is missing: call write_gzipped_mnist first")
            setattr(self, attribute, (name, hashlib.sha1(path.read_bytes()).hexdigest()))
        super()._get_data()


class OnDevice:
    """The batches of ``loader`` moved to ``ctx`` with ``as_in_ctx``, epoch after epoch."""

    def __init__(self, loader: gluon.data.DataLoader, ctx: mx.Context) -> None:
        self.loader = loader
        self.ctx = ctx

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for X, y in self.loader:
            yield X.as_in_ctx(self.ctx), y.as_in_ctx(self.ctx)


def d2l_train_loader(root: Path, batch_size: int, ctx: mx.Context, num_workers: int = NUM_WORKERS) -> OnDevice:
    """Shuffled training batches on ``ctx`` as the D2L book makes them: ``ToTensor`` per image, worker processes."""
    to_tensor = gluon.data.vision.transforms.ToTensor()
    dataset = LocalMNIST(root=str(root), train=True).transform_first(to_tensor)
    return OnDevice(gluon.data.DataLoader(dataset, batch_size, shuffle=True, num_workers=num_workers), ctx)
