"""Minibatches sliced from whole data sets held in memory on the compute device.

The D2L book's ``DataLoader`` transforms one example at a time in Python; here the
data set is one array, cut into slices, which is what makes an MNIST epoch take seconds
instead of a minute. A shuffled epoch draws one permutation and gathers each minibatch's
rows straight from that array: a gather of the whole shuffled data set up front writes it
all out (188 MB for MNIST) only to read it back, and took a sixth of an MNIST epoch.
"""

from __future__ import annotations

from collections.abc import Iterator

import mxnet as mx
import numpy as onp
from mxnet import np

from d2l_utils.datasets import ImageDataset, load_fashion_mnist, load_mnist
from d2l_utils.devices import try_gpu


class ArrayLoader:
    """Iterate over equally indexed arrays in minibatches, optionally reshuffled every epoch.

    Shuffling draws from NumPy's global generator, so ``seed_everything`` makes it repeatable.
    """

    def __init__(self, *arrays: np.ndarray, batch_size: int, shuffle: bool = False) -> None:
        if not arrays:
            raise ValueError("ArrayLoader needs at least one array")
        lengths = {a.shape[0] for a in arrays}
        if len(lengths) != 1:
            raise ValueError(f"arrays must have the same first dimension, got {sorted(lengths)}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        self.arrays = arrays
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.num_examples = lengths.pop()

    def __len__(self) -> int:
        return -(-self.num_examples // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, ...]]:
        if not self.shuffle:
            for start in range(0, self.num_examples, self.batch_size):
                yield tuple(a[start : start + self.batch_size] for a in self.arrays)
            return
        order = np.array(onp.random.permutation(self.num_examples), ctx=self.arrays[0].ctx, dtype="int32")
        for start in range(0, self.num_examples, self.batch_size):
            rows = order[start : start + self.batch_size]
            # A permutation holds valid rows only: "clip" never clips, it just skips the bounds check.
            yield tuple(np.take(a, rows, axis=0, mode="clip") for a in self.arrays)


def to_device_arrays(
    images: onp.ndarray, labels: onp.ndarray, ctx: mx.Context, flatten: bool
) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images to float32 in [0, 1] (rows of 784 if ``flatten``, else (n, 1, 28, 28)) on ``ctx``."""
    shape = (len(images), -1) if flatten else (len(images), 1, *images.shape[1:])
    features = np.array(images.reshape(shape), ctx=ctx, dtype="float32") / 255
    return features, np.array(labels, ctx=ctx, dtype="int32")


def load_data_mnist(
    batch_size: int, fashion: bool = False, flatten: bool = True, ctx: mx.Context | None = None
) -> tuple[ArrayLoader, ArrayLoader]:
    """Training (shuffled) and test loaders for MNIST, or Fashion-MNIST with ``fashion=True``."""
    dataset: ImageDataset = load_fashion_mnist() if fashion else load_mnist()
    ctx = ctx or try_gpu()
    train = to_device_arrays(dataset.train_images, dataset.train_labels, ctx, flatten)
    test = to_device_arrays(dataset.test_images, dataset.test_labels, ctx, flatten)
    return ArrayLoader(*train, batch_size=batch_size, shuffle=True), ArrayLoader(*test, batch_size=batch_size)
