"""The figures of lessons 05 and 06: what each helper draws, from the data it is given."""


import numpy as onp
import pytest
from matplotlib import patches
from mxnet import np

from d2l_utils.network_figures import (
    decision_grid,
    draw_network,
    plot_activations,
    plot_decision_regions,
    plot_gradient,
    plot_scores_and_probabilities,
    plot_sweep,
    plot_xor,
    show_predictions,
)
from tests.figures import png_bytes

pytestmark = pytest.mark.usefixtures("close_figures")


def heights(ax) -> list[list[float]]:
    """Bar heights per bar container."""
    return [[bar.get_height() for bar in container] for container in ax.containers]


def test_draw_network_draws_every_unit_and_every_connection():
    fig = draw_network([("input", "x", 4), ("hidden", "h", 5), ("output", "o", 3)])
    (ax,) = fig.axes
    circles = [p for p in ax.patches if isinstance(p, patches.Circle)]
    assert len(circles) == 4 + 5 + 3
    assert len(ax.lines) == 4 * 5 + 5 * 3
    texts = [t.get_text() for t in ax.texts]
    assert {"$x_{1}$", "$x_{4}$", "$h_{5}$", "$o_{3}$"} <= set(texts)
    assert "input\n$\\mathbf{x}$" in texts and "output\n$\\mathbf{o}$" in texts
    assert "$\\mathbf{W}_{1}$" in texts and "$\\mathbf{W}_{2}$" in texts
    assert fig.get_size_inches()[1] * fig.dpi >= 290, "large enough for a slide about it"


def test_draw_network_one_output_has_a_weight_vector_and_softmax_adds_probabilities():
    single = draw_network([("input", "x", 3), ("hidden", "h", 2), ("output", "o", 1)])
    assert "$\\mathbf{w}_{2}$" in [t.get_text() for t in single.axes[0].texts]
    fig = draw_network([("input", "x", 2), ("hidden", "h", 3), ("output", "o", 3)], softmax=True)
    (ax,) = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert "softmax" in texts and "$\\hat{y}_{3}$" in texts and "probabilities\n$\\hat{\\mathbf{y}}$" in texts
    label = next(t for t in ax.texts if t.get_text() == "softmax")
    tops = [p.center[1] + p.radius for p in ax.patches]
    assert label.get_position()[1] > max(tops), "the softmax label sits above the units, hiding none"
    assert len(ax.lines) == 2 * 3 + 3 * 3 + 3 * 3


def test_draw_network_labels_only_the_columns_of_numbered_hidden_layers():
    fig = draw_network([("input", "x", 2), ("hidden", "h_1", 3), ("hidden", "h_2", 3), ("output", "o", 2)])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "hidden\n$\\mathbf{h}_1$" in texts and "hidden\n$\\mathbf{h}_2$" in texts
    assert not [t for t in texts if t.startswith("$h")], "no unit labels in layers with a numbered symbol"
    assert "$\\mathbf{W}_{3}$" in texts


def test_draw_network_is_deterministic_and_rejects_empty_layers():
    layers = [("input", "x", 3), ("hidden", "h", 4), ("output", "o", 2)]
    assert png_bytes(draw_network(layers)) == png_bytes(draw_network(layers))
    with pytest.raises(ValueError, match="at least two layers of at least one unit"):
        draw_network([("input", "x", 3), ("output", "o", 0)])


def test_scores_and_probabilities_draws_the_given_rows():
    scores = onp.array([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])
    probs = onp.exp(scores) / onp.exp(scores).sum(axis=1, keepdims=True)
    fig = plot_scores_and_probabilities(np.array(scores), probs, ["a", "b"], rows=[0, 1])
    left, right = fig.axes
    assert heights(left) == [scores[0].tolist(), scores[1].tolist()]
    assert onp.allclose(heights(right), probs)
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="one name per row"):
        plot_scores_and_probabilities(scores, probs, ["a"], rows=[0, 1])


def test_plot_gradient_draws_probabilities_label_and_gradient():
    p, y = onp.array([0.2, 0.5, 0.3]), onp.array([0.0, 1.0, 0.0])
    fig = plot_gradient(p, y, p - y)
    (ax,) = fig.axes
    assert onp.allclose(heights(ax), [p, y, p - y])
    assert len(ax.get_legend().get_texts()) == 3
    with pytest.raises(ValueError, match="one shape"):
        plot_gradient(p, y[:2], p - y)


def test_show_predictions_shows_first_images_then_mistakes_in_red():
    images = onp.zeros((8, 784))
    labels = onp.array([0, 1, 2, 3, 4, 5, 6, 7])
    predicted = onp.array([0, 1, 9, 3, 4, 5, 6, 1])
    axes = show_predictions(images, labels, predicted, num_first=2, num_mistakes=3)
    assert [ax.get_title() for ax in axes] == ["0 → 0", "1 → 1", "2 → 9", "7 → 1"]
    assert [ax.title.get_color() for ax in axes][2:] == ["tab:red", "tab:red"]
    assert "tab:red" not in [ax.title.get_color() for ax in axes[:2]], "right answers stay black"


def test_plot_xor_marks_each_point_by_its_class():
    points = onp.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])
    fig = plot_xor(points, onp.array([1, -1, -1, 1]))
    (ax,) = fig.axes
    markers = [(line.get_marker(), line.get_color()) for line in ax.lines if line.get_marker() in ("P", "o")]
    assert markers == [("P", "tab:green"), ("o", "tab:red"), ("o", "tab:red"), ("P", "tab:green")]
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "4"]


def sign_of_x1(X):
    """Scores of a fixed classifier: class 1 where x1 > 0."""
    return np.stack([-X[:, 0], X[:, 0]], axis=1)


def test_decision_grid_is_the_argmax_of_the_net_on_the_grid():
    g1, g2, classes = decision_grid(lambda X: onp.stack([-X[:, 0], X[:, 0]], axis=1), extent=1, resolution=5)
    assert g1.shape == g2.shape == classes.shape == (5, 5)
    assert (classes == (g1 > 0)).all()
    with pytest.raises(ValueError, match="scores of shape"):
        decision_grid(lambda X: X[:, 0], resolution=4)


def test_plot_decision_regions_feeds_mxnet_nets_and_draws_data_on_the_regions():
    X = np.array([[1.0, 1.0], [-1.0, 1.0], [0.5, -1.0]])
    y = np.array([1, 0, 1], dtype="int32")
    fig = plot_decision_regions([sign_of_x1, sign_of_x1], X, y, titles=["a", "b"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    ax = fig.axes[0]
    assert len(ax.collections) >= 1, "the shaded regions"
    class_1, class_0 = ax.lines
    assert class_1.get_xdata().tolist() == [1.0, 0.5] and class_0.get_xdata().tolist() == [-1.0]
    with pytest.raises(ValueError, match="one title per network"):
        plot_decision_regions([sign_of_x1], X, y, titles=["a", "b"])


def test_plot_activations_draws_values_and_autograd_derivatives():
    x = np.array(onp.linspace(-2, 2, 8))  # no point at 0, where max(z, 0) has no derivative
    fig = plot_activations(x, {"ReLU": lambda z: np.maximum(z, 0), "square": lambda z: z * z}, step=True)
    left, right = fig.axes
    assert [line.get_label() for line in left.lines] == ["step", "ReLU", "square"]
    points = x.asnumpy()
    assert left.lines[1].get_ydata().tolist() == onp.maximum(points, 0).tolist()
    assert right.lines[0].get_ydata().tolist() == (points > 0).astype(float).tolist()
    assert onp.allclose(right.lines[1].get_ydata(), 2 * points), "the derivative of z^2 is 2z"
    with pytest.raises(ValueError, match="element by element"):
        plot_activations(x, {"sum": lambda z: z.sum()})


def test_plot_sweep_draws_one_line_per_depth_over_the_widths():
    accuracies = {(1, 16): 0.90, (1, 64): 0.93, (2, 16): 0.88, (2, 64): 0.92}
    fig = plot_sweep(accuracies)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.lines] == ["1 hidden layer", "2 hidden layers"]
    assert [line.get_ydata().tolist() for line in ax.lines] == [[0.90, 0.93], [0.88, 0.92]]
    assert ax.lines[0].get_xdata().tolist() == [16, 64]
    with pytest.raises(ValueError, match="missing"):
        plot_sweep({(1, 16): 0.9, (2, 64): 0.9})
