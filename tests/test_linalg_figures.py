"""The figures of lessons 00-02 draw what their slides say they show."""


import numpy as onp
import pytest
from matplotlib.patches import Rectangle

from d2l_utils import linalg_figures as lf
from tests.figures import png_bytes

A = onp.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
b = onp.array([1.0, 2.0, 3.0])
B = onp.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])


pytestmark = pytest.mark.usefixtures("close_figures")


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def cells(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def coloured_values(ax, color) -> list[str]:
    """The values written in the cells filled with ``color``, in drawing order."""
    from matplotlib.colors import to_rgba

    filled = [c for c in cells(ax) if c.get_facecolor() == to_rgba(color)]
    centres = {(c.get_x() + 0.5, c.get_y() + 0.5) for c in filled}
    return [t.get_text() for t in ax.texts if tuple(onp.round(t.get_position(), 6)) in centres]


@pytest.mark.parametrize(
    "draw",
    [
        lf.plot_imagenet_top5,
        lambda: lf.plot_vector_arrows([3, 1], [1, 2]),
        lambda: lf.plot_matrix_vector(A, b),
        lambda: lf.plot_matrix_matrix(A, B),
        lambda: lf.plot_selections(onp.arange(16).reshape(4, 4), {"X[1]": 1}),
        lambda: lf.plot_tangent(onp.sin, 1.0, onp.cos(1.0)),
        lf.draw_compute_graph,
    ],
    ids=["imagenet", "arrows", "matrix-vector", "matrix-matrix", "selections", "tangent", "graph"],
)
def test_every_figure_is_a_deterministic_png_with_large_type(draw):
    first, second = png_bytes(draw(), dpi=72), png_bytes(draw(), dpi=72)
    assert first.startswith(b"\x89PNG") and first == second
    fig = draw()
    sizes = [t.get_fontsize() for ax in fig.axes for t in ax.texts + [ax.title] if t.get_text()]
    sizes += [
        label.get_fontsize()
        for ax in fig.axes
        for label in ax.get_xticklabels() + ax.get_yticklabels()
        if label.get_text() and ax.axison
    ]
    assert sizes and min(sizes) >= 16, "16 px on a 72-dpi figure: 12 pt in the browser"


def test_imagenet_bars_are_the_top5_errors_and_deep_networks_are_coloured():
    fig = lf.plot_imagenet_top5()
    ax = fig.axes[0]
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [error for _, error in lf.ILSVRC_TOP5_ERROR.values()]
    assert heights[0] == 28.2 and lf.ILSVRC_TOP5_ERROR[2015][1] < 5 < lf.ILSVRC_TOP5_ERROR[2014][1]
    colours = {bar.get_facecolor() for bar in ax.patches[:2]} | {bar.get_facecolor() for bar in ax.patches[2:]}
    assert len(colours) == 2, "hand-designed and deep winners in two colours"
    assert "top-5" in ax.get_ylabel()
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [lf.HUMAN_TOP5_ERROR]


def test_vector_arrows_draw_a_plus_b_head_to_tail_and_the_scaled_b():
    fig = lf.plot_vector_arrows([3, 1], [1, 2], alphas=(2.0, -0.5))
    total, scaled = fig.axes[0], fig.axes[1]
    ends = {q.get_label(): (onp.array([q.X, q.Y]).ravel(), onp.array([q.U, q.V]).ravel()) for q in total.collections}
    assert ends["b"][0].tolist() == [3, 1], "b starts where a ends"
    assert ends["a + b"][1].tolist() == [4, 3]
    labels = [q.get_label() for q in scaled.collections]
    assert labels == ["2 b", "-0.5 b", "b"]
    assert onp.array([scaled.collections[1].U, scaled.collections[1].V]).ravel().tolist() == [-0.5, -1.0]


def test_matrix_vector_marks_one_row_of_A_all_of_b_and_its_entry_of_c():
    ax = lf.plot_matrix_vector(A, b, row=1).axes[0]
    assert len(cells(ax)) == A.size + b.size + 2
    assert coloured_values(ax, lf.HIGHLIGHT) == ["0", "-1", "3", "1", "2", "3"]
    assert coloured_values(ax, lf.RESULT) == ["7"]
    assert texts(ax.figure)[-1] == "c[1] = $\\sum_j$ A[1, j]·b[j] = 0·1 + (-1)·2 + 3·3 = 7"


def test_matrix_matrix_marks_a_row_of_A_a_column_of_B_and_their_entry_of_C():
    ax = lf.plot_matrix_matrix(A, B, row=1, col=1).axes[0]
    assert len(cells(ax)) == A.size + B.size + 4
    assert coloured_values(ax, lf.HIGHLIGHT) == ["0", "-1", "3", "0", "1", "2"]
    assert coloured_values(ax, lf.RESULT) == ["5"]
    assert texts(ax.figure)[-1] == "C[1, 1] = $\\sum_j$ A[1, j]·B[j, 1] = 0·0 + (-1)·1 + 3·2 = 5"


@pytest.mark.parametrize("draw", [lambda: lf.plot_matrix_vector(A, B), lambda: lf.plot_matrix_matrix(A, A)])
def test_products_of_mismatched_shapes_are_refused_with_the_shapes(draw):
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        draw()


def test_selections_colour_exactly_the_indexed_entries():
    X = onp.arange(1, 17).reshape(4, 4)
    fig = lf.plot_selections(X, {"X[1, :]": onp.s_[1, :], "X[::3, ::2]": onp.s_[::3, ::2]})
    row, strided = (ax.images[0].get_array() for ax in fig.axes)
    assert onp.argwhere(row).tolist() == [[1, 0], [1, 1], [1, 2], [1, 3]]
    assert onp.argwhere(strided).tolist() == [[0, 0], [0, 2], [3, 0], [3, 2]]
    assert [ax.get_title() for ax in fig.axes] == ["X[1, :]", "X[::3, ::2]"]
    assert [t.get_text() for t in fig.axes[0].texts][:5] == ["1", "2", "3", "4", "5"]


def test_tangent_touches_the_curve_with_the_given_slope():
    ax = lf.plot_tangent(onp.sin, 1.0, onp.cos(1.0), name="sin(x)").axes[0]
    curve, tangent, point = ax.get_lines()
    xs, ys = tangent.get_data()
    assert onp.allclose(onp.diff(ys) / onp.diff(xs), onp.cos(1.0))
    assert onp.allclose(point.get_data(), ([1.0], [onp.sin(1.0)]))
    assert onp.allclose(curve.get_ydata(), onp.sin(curve.get_xdata()))
    assert ax.get_legend().get_texts()[1].get_text() == "tangent at x = 1, slope 0.5403"


def test_compute_graph_draws_every_edge_forward_and_backward_with_the_gradients():
    fig = lf.draw_compute_graph()
    arrows = [a for a in fig.axes[0].texts if getattr(a, "arrow_patch", None) is not None]
    forward = [a for a in arrows if a.arrow_patch.get_linestyle() in ("-", "solid")]
    backward = [a for a in arrows if a.arrow_patch.get_linestyle() not in ("-", "solid")]
    assert len(forward) == len(backward) == len(lf.GRAPH_EDGES) == 5
    labels = texts(fig)
    for name, (_, _, gradient) in lf.GRAPH_NODES.items():
        assert f"∂z/∂{name} = {gradient}" in labels
    assert r"∂z/∂w = $2r\,\mathbf{x}^\top$" in labels, "the gradient the lesson computes by hand"
    assert sum(label.startswith("× ") for label in labels) == 5, "a local derivative on every backward arrow"
