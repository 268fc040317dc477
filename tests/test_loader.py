import numpy as onp
import pytest
from mxnet import np, npx

from d2l_utils import ArrayLoader, load_data_mnist, seed_everything
from d2l_utils import loader as loader_module
from d2l_utils.datasets import ImageDataset, load_mnist
from d2l_utils.loader import to_device_arrays


def test_batches_cover_every_example_in_order_without_shuffle():
    X = np.arange(10).reshape(10, 1)
    y = np.arange(10)
    batches = list(ArrayLoader(X, y, batch_size=4))
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(ArrayLoader(X, y, batch_size=4)) == 3


def test_shuffle_is_a_permutation_that_keeps_pairs_together():
    X = np.arange(100).reshape(100, 1) * 10
    y = np.arange(100)
    seed_everything(1)
    pairs = [
        (int(a), int(b))
        for Xb, yb in ArrayLoader(X, y, batch_size=32, shuffle=True)
        for a, b in zip(Xb[:, 0].tolist(), yb.tolist(), strict=True)
    ]
    assert sorted(b for _, b in pairs) == list(range(100))
    assert all(a == 10 * b for a, b in pairs)
    assert [b for _, b in pairs] != list(range(100))


def test_shuffle_is_reproducible_after_seeding_and_changes_each_epoch():
    y = np.arange(50)
    loader = ArrayLoader(y, batch_size=50, shuffle=True)
    seed_everything(3)
    first, second = next(iter(loader))[0].tolist(), next(iter(loader))[0].tolist()
    seed_everything(3)
    assert next(iter(loader))[0].tolist() == first
    assert first != second


def test_rejects_mismatched_lengths_and_bad_batch_size():
    with pytest.raises(ValueError, match=r"same first dimension, got \[3, 4\]"):
        ArrayLoader(np.zeros(3), np.zeros(4), batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        ArrayLoader(np.zeros(3), batch_size=0)


def test_to_device_arrays_scales_and_shapes():
    images = onp.full((2, 28, 28), 255, dtype=onp.uint8)
    flat, labels = to_device_arrays(images, onp.array([3, 4], onp.uint8), npx.cpu(), flatten=True)
    assert flat.shape == (2, 784) and flat.dtype == onp.float32 and float(flat.max()) == 1.0
    assert labels.dtype == onp.int32 and labels.tolist() == [3, 4]
    square, _ = to_device_arrays(images, onp.array([3, 4], onp.uint8), npx.cpu(), flatten=False)
    assert square.shape == (2, 1, 28, 28)


def tiny_dataset(first_label: int) -> ImageDataset:
    """Eight training and four test images; image i is filled with the value of its label."""
    train_labels = onp.arange(first_label, first_label + 8, dtype=onp.uint8)
    test_labels = onp.arange(first_label + 8, first_label + 12, dtype=onp.uint8)
    images = lambda labels: onp.broadcast_to(labels[:, None, None], (len(labels), 28, 28)).copy()  # noqa: E731
    return ImageDataset(images(train_labels), train_labels, images(test_labels), test_labels)


@pytest.fixture
def fake_data_sets(monkeypatch):
    """load_data_mnist reads a tiny MNIST (labels from 0) or Fashion-MNIST (labels from 100)."""
    monkeypatch.setattr(loader_module, "load_mnist", lambda: tiny_dataset(0))
    monkeypatch.setattr(loader_module, "load_fashion_mnist", lambda: tiny_dataset(100))


def labels_in_order(loader: ArrayLoader) -> list[int]:
    return [label for _, y in loader for label in y.tolist()]


@pytest.mark.parametrize(("fashion", "first"), [(False, 0), (True, 100)])
def test_load_data_mnist_reads_the_chosen_data_set(fake_data_sets, fashion, first):
    train_iter, test_iter = load_data_mnist(batch_size=3, fashion=fashion)
    assert sorted(labels_in_order(train_iter)) == list(range(first, first + 8))
    assert labels_in_order(test_iter) == list(range(first + 8, first + 12)), "the test set keeps its order"
    X, y = next(iter(test_iter))
    assert X.shape == (3, 784) and [round(v * 255) for v in X[:, 0].tolist()] == y.tolist(), "images stay with labels"


def test_load_data_mnist_shuffles_the_training_set_every_epoch(fake_data_sets):
    seed_everything(0)
    train_iter, _ = load_data_mnist(batch_size=3)
    orders = [labels_in_order(train_iter) for _ in range(4)]
    assert all(order != list(range(8)) for order in orders), orders
    assert len({tuple(order) for order in orders}) == 4, orders


def test_load_data_mnist_shapes_and_places_images(fake_data_sets):
    train_iter, test_iter = load_data_mnist(batch_size=8, flatten=False, ctx=npx.cpu())
    X, y = next(iter(train_iter))
    assert X.shape == (8, 1, 28, 28) and X.ctx == npx.cpu() and y.dtype == onp.int32
    assert len(train_iter) == 1 and len(test_iter) == 1


def test_load_data_mnist_gives_full_splits_with_a_shuffled_training_set(mnist_dir):
    seed_everything(0)
    train_iter, test_iter = load_data_mnist(batch_size=1000)
    assert len(train_iter) == 60 and len(test_iter) == 10
    X, y = next(iter(test_iter))
    assert X.shape == (1000, 784) and y.shape == (1000,)
    assert 0.0 <= float(X.min()) and float(X.max()) <= 1.0
    files = load_mnist(mnist_dir)
    assert y.asnumpy().tolist() == files.test_labels[:1000].tolist()
    first_batch = next(iter(train_iter))[1].asnumpy()
    assert first_batch.tolist() != files.train_labels[:1000].tolist()
    assert onp.bincount(first_batch, minlength=10).min() > 50, "a shuffled batch holds every digit"
