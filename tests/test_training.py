import math

import pytest
from mxnet import gluon, init, np

from d2l_utils import ArrayLoader, History, accuracy, evaluate_accuracy, seed_everything, sgd, train
from d2l_utils import epochs as epochs_module
from d2l_utils.plotting import LivePlot
from d2l_utils.training import train_epoch


def test_accuracy_counts_argmax_matches():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert accuracy(scores, np.array([1, 0, 0, 0], dtype="int32")) == 0.75


def test_accuracy_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"scores of shape \(n, classes\) and labels of shape \(n,\)"):
        accuracy(np.zeros((4,)), np.zeros((4,)))
    with pytest.raises(ValueError, match=r"got \(4, 2\) and \(3,\)"):
        accuracy(np.zeros((4, 2)), np.zeros((3,)))


def test_evaluate_accuracy_over_batches():
    X = np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0]] * 3)
    y = np.array([0, 0, 1, 1, 1, 0], dtype="int32")
    assert evaluate_accuracy(lambda batch: batch, ArrayLoader(X, y, batch_size=4)) == pytest.approx(4 / 6)


# Five examples in batches of 2, 2 and 1 (a short last batch), scored by a fixed linear map: the
# scores are the rows of X themselves. Their cross-entropy, worked out by hand, and which rows'
# highest score is the label, are the expected results below.
FIXED_X = [[2.0, 0.0], [0.0, 1.0], [1.0, 2.0], [3.0, 0.0], [0.0, 0.5]]
FIXED_Y = [0, 1, 0, 1, 1]  # argmax of each row: 0, 1, 1, 0, 1 -> rows 0, 1 and 4 right


def cross_entropy_by_hand(scores, label):
    return math.log(sum(math.exp(s) for s in scores)) - scores[label]


FIXED_MEAN_LOSS = sum(map(cross_entropy_by_hand, FIXED_X, FIXED_Y)) / 5
FIXED_ACCURACY = 3 / 5


def fixed_model():
    """The identity as a trainable linear model, and an updater that records its calls and changes nothing."""
    W = np.array([[1.0, 0.0], [0.0, 1.0]])
    W.attach_grad()
    calls = []
    return (lambda X: np.dot(X, W)), calls, calls.append


def fixed_data(labels=FIXED_Y):
    return ArrayLoader(np.array(FIXED_X), np.array(labels, dtype="int32"), batch_size=2)


def test_train_epoch_returns_the_mean_loss_per_example_and_the_accuracy():
    net, calls, updater = fixed_model()
    mean_loss, train_acc = train_epoch(net, fixed_data(), gluon.loss.SoftmaxCrossEntropyLoss(), updater)
    assert FIXED_MEAN_LOSS == pytest.approx(1.0552, abs=1e-4)  # (0.127 + 0.313 + 1.313 + 3.049 + 0.474) / 5
    assert mean_loss == pytest.approx(FIXED_MEAN_LOSS, rel=1e-5)
    assert train_acc == FIXED_ACCURACY
    assert calls == [2, 2, 1], "one update per batch, each told its batch's size"


class RecordingPlot(LivePlot):
    """A LivePlot that remembers every instance, to look at what training drew."""

    made: list["RecordingPlot"] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingPlot.made.append(self)


def test_train_measures_test_accuracy_on_the_test_set_and_plots_each_curve(monkeypatch):
    net, calls, updater = fixed_model()
    flipped = [1 - label for label in FIXED_Y]  # the test set: every label wrong where the training one is right
    RecordingPlot.made = []
    monkeypatch.setattr(epochs_module, "LivePlot", RecordingPlot)
    history = train(net, fixed_data(), fixed_data(flipped), gluon.loss.SoftmaxCrossEntropyLoss(), 2, updater)
    assert history.test_acc == [1 - FIXED_ACCURACY] * 2
    assert history.train_acc == [FIXED_ACCURACY] * 2
    assert history.train_loss == pytest.approx([FIXED_MEAN_LOSS] * 2, rel=1e-5)
    assert calls == [2, 2, 1] * 2
    (board,) = RecordingPlot.made
    assert board.x == [1, 2]
    curves = dict(zip(board.legend, board.ys, strict=True))
    assert curves == {"train loss": history.train_loss, "train acc": history.train_acc, "test acc": history.test_acc}
    assert board.axes.get_xlim() == (1, 2) and board.axes.get_xlabel() == "epoch"


def test_train_without_live_plot_draws_nothing(monkeypatch):
    net, _, updater = fixed_model()
    RecordingPlot.made = []
    monkeypatch.setattr(epochs_module, "LivePlot", RecordingPlot)
    history = train(net, fixed_data(), fixed_data(), gluon.loss.SoftmaxCrossEntropyLoss(), 1, updater, live_plot=False)
    assert RecordingPlot.made == [] and len(history.test_acc) == 1


def separable_data(n=200, seed=0):
    """Two Gaussian blobs, labels 0 and 1, linearly separable."""
    seed_everything(seed)
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
    # The first epoch starts at log 2 per example (scores near 0) and ends close to 0.
    assert 0.05 < first_loss < math.log(2)
    assert last_loss < first_loss / 2
    assert last_acc > 0.95


def test_train_with_gluon_trainer_returns_history():
    train_data, test_data = separable_data(seed=0), separable_data(seed=1)
    net = gluon.nn.Dense(2)
    net.initialize(init.Normal(0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    history = train(net, train_data, test_data, gluon.loss.SoftmaxCrossEntropyLoss(), 3, trainer, live_plot=False)
    assert isinstance(history, History)
    assert len(history.train_loss) == len(history.train_acc) == len(history.test_acc) == 3
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.test_acc[-1] > 0.95
    assert history.test_acc[-1] == evaluate_accuracy(net, test_data)
