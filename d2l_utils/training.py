"""Training and evaluation loops shared by the classification lessons.

Sums of loss and correct predictions stay on the device during an epoch and are read
back once at its end: a read per batch would make the host wait for every batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from d2l.mxnet import Accumulator, Timer
from mxnet import autograd, gluon, np

from d2l_utils.epochs import History, run_epochs

# Gluon's SGD updates up to four parameters with one multi-tensor kernel, whose CPU loop runs
# every tensor to the largest one's length with a branch per element. Launching the same kernel
# once per parameter computes the very same values in about 60% of the time (lesson 06's MLP on
# two cores: 0.4 instead of 0.7 ms per batch, of 3.9 ms). Optimizers read this setting when a
# Trainer is created; setting the variable yourself takes precedence.
os.environ.setdefault("MXNET_OPTIMIZER_AGGREGATION_SIZE", "0")

Updater = gluon.Trainer | Callable[[int], None]
Batches = Iterable[tuple[np.ndarray, np.ndarray]]

__all__ = ["Accumulator", "History", "Timer", "accuracy", "evaluate_accuracy", "train", "train_epoch"]


def _check_scores(y_hat: np.ndarray, y: np.ndarray) -> None:
    if y_hat.ndim != 2 or y.shape != (y_hat.shape[0],):
        raise ValueError(
            f"expected scores of shape (n, classes) and labels of shape (n,), got {y_hat.shape} and {y.shape}"
        )


def count_correct(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Number of rows whose highest score is the label, as an integer (int64) device scalar."""
    _check_scores(y_hat, y)
    return (y_hat.argmax(axis=1).astype(y.dtype) == y).sum()


def accuracy(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Fraction of the rows of scores y_hat whose argmax is the label y."""
    if y_hat.ndim != 2 or y.shape != (y_hat.shape[0],):
        raise ValueError("expected scores of shape (n, classes) and labels of "
                         f"shape (n,), got {y_hat.shape} and {y.shape}")
    correct = y_hat.argmax(axis=1).astype(y.dtype) == y
    return correct.sum().item() / y.shape[0]


def evaluate_accuracy(net: Callable[[np.ndarray], np.ndarray], data_iter: Batches) -> float:
    """Accuracy of ``net`` over every batch of ``data_iter``."""
    correct, seen = np.zeros((), dtype="int64"), 0
    for X, y in data_iter:
        correct = correct + count_correct(net(X), y)
        seen += y.shape[0]
    return correct.item() / seen


def step(updater: Updater, batch_size: int) -> None:
    """Apply one update: a Gluon ``Trainer`` or a from-scratch ``updater(batch_size)``."""
    if isinstance(updater, gluon.Trainer):
        updater.step(batch_size)
    else:
        updater(batch_size)


def train_epoch(
    net: Callable[[np.ndarray], np.ndarray], train_iter: Batches, loss: Callable, updater: Updater
) -> tuple[float, float]:
    """One pass over ``train_iter``; returns the mean loss and the training accuracy."""
    loss_sum, correct, seen = np.zeros(()), np.zeros((), dtype="int64"), 0
    for X, y in train_iter:
        with autograd.record():
            y_hat = net(X)
            batch_loss = loss(y_hat, y)
        batch_loss.backward()
        step(updater, X.shape[0])
        loss_sum = loss_sum + batch_loss.sum()
        correct = correct + count_correct(y_hat, y)
        seen += X.shape[0]
    return loss_sum.item() / seen, correct.item() / seen


def train(
    net: Callable[[np.ndarray], np.ndarray],
    train_iter: Batches,
    test_iter: Batches,
    loss: Callable,
    num_epochs: int,
    updater: Updater,
    live_plot: bool = True,
) -> History:
    """Train for ``num_epochs``, plotting loss and accuracies live; returns their history."""
    return run_epochs(
        lambda: train_epoch(net, train_iter, loss, updater),
        lambda: evaluate_accuracy(net, test_iter),
        num_epochs,
        live_plot,
    )
