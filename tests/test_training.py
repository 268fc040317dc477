import pytest
from mxnet import gluon, init, np

from d2l_utils import ArrayLoader, History, LivePlot, accuracy, evaluate_accuracy, seed_everything, sgd, train
from d2l_utils.training import train_epoch


def test_accuracy_counts_argmax_matches():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert accuracy(scores, np.array([1, 0, 0, 0], dtype="int32")) == 0.75


def test_accuracy_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"scores of shape \(n, classes\) and labels of shape \(n,\)"):
        accuracy(np.zeros((4,)), np.zeros((4,)))


def test_evaluate_accuracy_over_batches():
    X = np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0]] * 3)
    y = np.array([0, 0, 1, 1, 1, 0], dtype="int32")
    assert evaluate_accuracy(lambda batch: batch, ArrayLoader(X, y, batch_size=4)) == pytest.approx(4 / 6)


def separable_data(n=200):
    """Two Gaussian blobs, labels 0 and 1, linearly separable."""
    seed_everything(0)
    y = (np.random.uniform(size=n) > 0.5).astype("int32")
    X = np.random.normal(0, 0.5, (n, 2)) + np.stack([y * 3.0, y * 3.0], axis=1)
    return ArrayLoader(X, y, batch_size=20, shuffle=True)


def test_train_epoch_with_scratch_updater_learns():
    data = separable_data()
    W = np.random.normal(0, 0.01, (2, 2))
    b = np.zeros(2)
    for p in (W, b):
        p.attach_grad()
    net = lambda X: np.dot(X, W) + b  # noqa: E731
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    first_loss, _ = train_epoch(net, data, loss, lambda batch_size: sgd([W, b], 0.5, batch_size))
    for _ in range(3):
        last_loss, last_acc = train_epoch(net, data, loss, lambda batch_size: sgd([W, b], 0.5, batch_size))
    assert last_loss < first_loss / 2
    assert last_acc > 0.95


def test_train_with_gluon_trainer_returns_history():
    data = separable_data()
    net = gluon.nn.Dense(2)
    net.initialize(init.Normal(0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    history = train(net, data, data, gluon.loss.SoftmaxCrossEntropyLoss(), 3, trainer, live_plot=False)
    assert isinstance(history, History)
    assert len(history.train_loss) == len(history.test_acc) == 3
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.test_acc[-1] > 0.95


def test_live_plot_records_points_headless():
    board = LivePlot(["loss", "acc"], xlabel="epoch")
    board.add(1, (0.5, 0.8))
    board.add(2, (0.25, 0.9))
    assert board.x == [1, 2] and board.ys == [[0.5, 0.25], [0.8, 0.9]]
    assert [line.get_ydata().tolist() for line in board.axes.get_lines()] == [[0.5, 0.25], [0.8, 0.9]]
    with pytest.raises(ValueError, match=r"expected 2 values \(loss, acc\), got 1"):
        board.add(3, (0.1,))
