"""The from-scratch functions of the lessons, as kept in d2l_utils.scratch for later lessons."""

import numpy as onp
from mxnet import autograd, np, npx

from d2l_utils.reproducibility import seed_everything
from d2l_utils.scratch import data_iter, linreg, sgd, squared_loss

npx.set_np()


def test_data_iter_covers_every_example_once_in_random_minibatches():
    seed_everything(0)
    features = np.arange(23).reshape(-1, 1).astype("float32")
    labels = np.arange(23).astype("float32")
    batches = list(data_iter(5, features, labels))
    assert [X.shape[0] for X, _ in batches] == [5, 5, 5, 5, 3]
    seen = onp.concatenate([X.asnumpy().ravel() for X, _ in batches])
    assert sorted(seen.tolist()) == list(range(23)) and seen.tolist() != list(range(23))
    assert all(onp.array_equal(X.asnumpy().ravel(), y.asnumpy()) for X, y in batches)  # rows stay paired


def test_linreg_and_squared_loss():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    w, b = np.array([[1.0], [-1.0]]), 0.5
    assert linreg(X, w, b).asnumpy().ravel().tolist() == [-0.5, -0.5]
    y = np.array([0.5, 1.5])
    assert squared_loss(linreg(X, w, b), y).asnumpy().ravel().tolist() == [1.0, 4.0]


def test_sgd_updates_in_place_with_the_mean_gradient():
    w = np.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        loss = (w ** 2).sum() * 4  # gradient 8 w, as if summed over a batch of 4
    loss.backward()
    same = w
    sgd([w], lr=0.1, batch_size=4)
    assert same is w
    assert onp.allclose(w.asnumpy(), [1.0 - 0.1 * 2.0, 2.0 - 0.1 * 4.0])
    with autograd.record():  # the gradient buffer survives the update
        loss = (w ** 2).sum()
    loss.backward()
    assert onp.allclose(w.grad.asnumpy(), 2 * w.asnumpy())
