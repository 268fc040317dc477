"""The PyTorch track's helpers: ``from d2l_utils import torch as d2l``, like the D2L book's ``d2l.torch``.

The counterparts, one by one, of what the MXNet track's lessons use from ``d2l_utils``: the device
(CUDA, then Apple's MPS, then the CPU), seeding, MNIST as tensors on that device cut into
minibatches, accuracy and the training loop. Data files and figures are the framework-neutral
modules both tracks share (:mod:`d2l_utils.datasets`, :mod:`d2l_utils.plotting`), re-exported here.
Only the PyTorch track's environment imports this module; the MXNet track's never needs torch.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator

import numpy as onp
import torch
from torch import nn

from d2l_utils.datasets import ChecksumError, ImageDataset, load_fashion_mnist, load_mnist
from d2l_utils.epochs import History, run_epochs
from d2l_utils.plotting import LivePlot, plot, set_figsize, show_images, use_png_display

Updater = torch.optim.Optimizer | Callable[[int], None]
Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]

__all__ = [
    "accuracy", "ArrayLoader", "check_scores", "ChecksumError", "compiler_available", "count_correct",
    "data_iter", "evaluate_accuracy", "History", "ImageDataset", "init_linear", "linreg", "LivePlot",
    "load_data_mnist", "load_fashion_mnist", "load_mnist", "num_gpus", "plot", "seed_everything", "set_figsize",
    "sgd", "show_images", "softmax", "squared_loss", "synchronize", "synthetic_data", "to_device_arrays",
    "train", "train_epoch", "try_all_gpus", "try_gpu", "use_png_display",
]


def mps_available() -> bool:
    """True on a Mac whose PyTorch build can compute on its GPU through Metal (MPS)."""
    backend = getattr(torch.backends, "mps", None)
    return backend is not None and backend.is_available()


def num_gpus() -> int:
    """Number of CUDA GPUs PyTorch can compute on (Apple's MPS counts as none: it is one device, not a GPU index)."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def try_gpu(i: int = 0) -> torch.device:
    """CUDA GPU ``i`` if it exists, else Apple's GPU (MPS) if there is one, else the CPU: every lesson runs anywhere."""
    if i < num_gpus():
        return torch.device(f"cuda:{i}")
    if mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def try_all_gpus() -> list[torch.device]:
    """Every CUDA GPU, or ``[try_gpu()]`` (MPS or the CPU) when there is none."""
    return [torch.device(f"cuda:{i}") for i in range(num_gpus())] or [try_gpu()]


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (the CPU and every CUDA and MPS device) with ``seed``."""
    random.seed(seed)
    onp.random.seed(seed)
    torch.manual_seed(seed)


def synthetic_data(w: torch.Tensor, b: float, num_examples: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Features X ~ N(0, 1) and labels y = Xw + b + noise (standard deviation 0.01), as in the D2L book."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape(-1, 1)


def sgd(params: Iterable[torch.Tensor], lr: float, batch_size: int) -> None:
    """One minibatch SGD step in place, not recorded by autograd; then zero each gradient."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


class ArrayLoader:
    """Iterate over equally indexed tensors in minibatches, optionally reshuffled every epoch.

    Shuffling draws from NumPy's global generator, as the MXNet track's loader does, so
    ``seed_everything`` makes it repeatable and both tracks visit the examples in the same order.
    """

    def __init__(self, *tensors: torch.Tensor, batch_size: int, shuffle: bool = False) -> None:
        if not tensors:
            raise ValueError("ArrayLoader needs at least one tensor")
        lengths = {t.shape[0] for t in tensors}
        if len(lengths) != 1:
            raise ValueError(f"tensors must have the same first dimension, got {sorted(lengths)}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        self.tensors = tensors
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.num_examples = lengths.pop()

    def __len__(self) -> int:
        return -(-self.num_examples // self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, ...]]:
        if not self.shuffle:
            for start in range(0, self.num_examples, self.batch_size):
                yield tuple(t[start : start + self.batch_size] for t in self.tensors)
            return
        order = torch.as_tensor(onp.random.permutation(self.num_examples), device=self.tensors[0].device)
        for start in range(0, self.num_examples, self.batch_size):
            rows = order[start : start + self.batch_size]
            yield tuple(t.index_select(0, rows) for t in self.tensors)


def to_device_arrays(
    images: onp.ndarray, labels: onp.ndarray, device: torch.device, flatten: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 images to float32 in [0, 1] (rows of 784 if ``flatten``, else (n, 1, 28, 28)) on ``device``.

    Labels become int64 (``torch.long``), the type PyTorch's cross-entropy loss takes as class indices.
    """
    shape = (len(images), -1) if flatten else (len(images), 1, *images.shape[1:])
    features = torch.tensor(images.reshape(shape), dtype=torch.float32, device=device) / 255
    return features, torch.tensor(labels, dtype=torch.int64, device=device)


def load_data_mnist(
    batch_size: int, fashion: bool = False, flatten: bool = True, device: torch.device | None = None
) -> tuple[ArrayLoader, ArrayLoader]:
    """Training (shuffled) and test loaders for MNIST, or Fashion-MNIST with ``fashion=True``, on ``device``."""
    dataset: ImageDataset = load_fashion_mnist() if fashion else load_mnist()
    device = device or try_gpu()
    train = to_device_arrays(dataset.train_images, dataset.train_labels, device, flatten)
    test = to_device_arrays(dataset.test_images, dataset.test_labels, device, flatten)
    return ArrayLoader(*train, batch_size=batch_size, shuffle=True), ArrayLoader(*test, batch_size=batch_size)


def check_scores(y_hat: torch.Tensor, y: torch.Tensor) -> None:
    """Raise a ValueError naming both shapes unless ``y_hat`` is (n, classes) scores and ``y`` n labels."""
    if y_hat.ndim != 2 or y.shape != (y_hat.shape[0],):
        raise ValueError(
            f"expected scores of shape (n, classes) and labels of shape (n,), got {tuple(y_hat.shape)} and "
            f"{tuple(y.shape)}"
        )


def count_correct(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Number of rows whose highest score is the label, as an int64 scalar tensor on their device."""
    check_scores(y_hat, y)
    return (y_hat.argmax(dim=1) == y).sum()


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of the rows of scores y_hat whose argmax is the label y."""
    check_scores(y_hat, y)  # (n, classes) and (n,), else a ValueError
    return (y_hat.argmax(dim=1) == y).sum().item() / y.shape[0]


def evaluate_accuracy(net: Callable[[torch.Tensor], torch.Tensor], data_iter: Batches) -> float:
    """Accuracy of ``net`` over every batch of ``data_iter`` (a module in eval mode, without autograd)."""
    if isinstance(net, nn.Module):
        net.eval()
    correct, seen = torch.zeros((), dtype=torch.int64), 0
    with torch.no_grad():
        for X, y in data_iter:
            correct = correct.to(X.device) + count_correct(net(X), y)
            seen += y.shape[0]
    return correct.item() / seen


def train_epoch(
    net: Callable[[torch.Tensor], torch.Tensor], train_iter: Batches, loss: Callable, updater: Updater
) -> tuple[float, float]:
    """One pass over ``train_iter``; returns the mean loss and the training accuracy.

    ``loss`` returns one loss per example (e.g. ``nn.CrossEntropyLoss(reduction="none")``). A
    ``torch.optim`` optimizer steps on the batch's mean loss; a from-scratch ``updater(batch_size)``
    (such as :func:`sgd`) gets the gradient of the sum and divides by the batch size itself, as
    MXNet's ``Trainer.step(batch_size)`` does.
    """
    if isinstance(net, nn.Module):
        net.train()
    loss_sum, correct, seen = torch.zeros(()), torch.zeros((), dtype=torch.int64), 0
    for X, y in train_iter:
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            batch_loss.mean().backward()
            updater.step()
        else:
            batch_loss.sum().backward()
            updater(X.shape[0])
        loss_sum = loss_sum.to(X.device) + batch_loss.detach().sum()
        correct = correct.to(X.device) + count_correct(y_hat.detach(), y)
        seen += X.shape[0]
    return loss_sum.item() / seen, correct.item() / seen


def train(
    net: Callable[[torch.Tensor], torch.Tensor],
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


# --- lesson 03: linear regression from scratch -----------------------------------------------
# The lesson's `# @save` cells, source-identical (a test compares them): the lesson's slides show
# this very code, without type hints, as the MXNet track's copies in d2l_utils/scratch.py.


def data_iter(batch_size, features, labels):
    """Yield minibatches (X, y) of batch_size random examples, each one once."""
    order = onp.random.permutation(len(features))  # a new order every epoch
    for start in range(0, len(features), batch_size):
        rows = torch.tensor(order[start:start + batch_size], device=features.device)
        yield features[rows], labels[rows]


def linreg(X, w, b):
    """The linear model X w + b: one prediction per row (example) of X."""
    return X @ w + b


def squared_loss(y_hat, y):
    """The loss (y - y_hat)^2 of each example."""
    return (y.reshape(y_hat.shape) - y_hat) ** 2


# --- lesson 04: stochastic gradient descent ---------------------------------------------------


def synchronize(device: torch.device) -> None:
    """Wait until ``device`` has finished its queued work, so that a clock read next times the work.

    CUDA and MPS compute asynchronously: a call returns once its work is queued. The CPU computes
    before it returns, so there is nothing to wait for.
    """
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


# --- lesson 05: softmax regression (softmax is its # @save cell; init_linear it imports) -----


def softmax(o: torch.Tensor) -> torch.Tensor:
    """Probabilities exp(o_y) / sum_i exp(o_i) along the last axis of o."""
    E = torch.exp(o - o.max(dim=-1, keepdim=True).values)  # minus the max: no overflow
    return E / E.sum(dim=-1, keepdim=True)


def init_linear(net: nn.Module, weight_init: Callable[[torch.Tensor], object]) -> nn.Module:
    """Gluon's ``net.initialize(init)``: every ``nn.Linear`` weight by ``weight_init``, every bias 0.

    PyTorch initializes each layer as it builds it; this replaces those values in place (the
    functions of ``nn.init`` end in ``_``: they write into the tensor) and returns ``net``.
    """
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.Linear):
                weight_init(module.weight)
                nn.init.zeros_(module.bias)
    return net


# --- lesson 06: multilayer perceptrons --------------------------------------------------------


def compiler_available() -> bool:
    """Can ``torch.compile`` build its code here? True if its C++ compiler is on the ``PATH``.

    PyTorch compiles with ``$CXX``, else g++ (clang++ on macOS, cl on Windows). Without one, the
    first call of a compiled network raises an ``InvalidCxxCompiler`` error: lesson 6 asks first.
    """
    default = {"darwin": "clang++", "win32": "cl"}.get(sys.platform, "g++")
    return shutil.which(os.environ.get("CXX") or default) is not None
