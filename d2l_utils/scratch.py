"""Functions the lessons write from scratch, kept here for the lessons that come after.

A lesson cell that starts with ``# @save`` defines these functions on its slides; the copies
below are identical, source text and docstring, so that later lessons import the very code
the audience saw (the D2L book's ``#@save`` idea). A test keeps each pair identical.
One block per lesson, in lesson order.
"""

from __future__ import annotations

import numpy as onp
from mxnet import np

# --- lesson 03: linear regression from scratch -----------------------------------------------


def data_iter(batch_size, features, labels):
    """Yield minibatches (X, y) of batch_size random examples, each one once."""
    order = onp.random.permutation(len(features))  # a new order every epoch
    for start in range(0, len(features), batch_size):
        rows = np.array(order[start:start + batch_size], ctx=features.ctx)
        yield features[rows], labels[rows]


def linreg(X, w, b):
    """The linear model X w + b: one prediction per row (example) of X."""
    return np.dot(X, w) + b


def squared_loss(y_hat, y):
    """The loss (y - y_hat)^2 of each example."""
    return (y.reshape(y_hat.shape) - y_hat) ** 2


def sgd(params, lr, batch_size):
    """One minibatch SGD step, in place: param <- param - lr * mean gradient."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


# --- lesson 05: softmax regression from scratch ----------------------------------------------


def softmax(o: np.ndarray) -> np.ndarray:
    """Probabilities exp(o_y) / sum_i exp(o_i) along the last axis of o."""
    E = np.exp(o - o.max(axis=-1, keepdims=True))  # minus the max: no overflow
    return E / E.sum(axis=-1, keepdims=True)
