"""The figures of lessons 00-02 (introduction, linear algebra, autograd), drawn by code as PNG.

A slide calls one of these in a single short line, so that the audience reads the picture and
not the plotting code. Each returns its matplotlib Figure, which the tests inspect. Type is at
least 16 pt on a 72-dpi inline figure (16 px, what a browser shows as 12 pt) and lines are
thick, so the figures read from the back of a room.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as onp
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from d2l_utils.plotting import use_png_display

FONT = 16  # points; every text of these figures is at least this large
HIGHLIGHT, PLAIN, RESULT = "#9ecae1", "white", "#fdae6b"

# ImageNet (ILSVRC) classification: top-5 error (%) of the winning entry, from the challenge's
# published results; human top-5 error from Russakovsky et al., IJCV 2015 (one annotator).
ILSVRC_TOP5_ERROR = {
    2010: ("NEC-UIUC", 28.2),
    2011: ("XRCE", 25.8),
    2012: ("AlexNet", 15.3),
    2013: ("Clarifai", 11.7),
    2014: ("GoogLeNet", 6.7),
    2015: ("ResNet", 3.6),
    2016: ("Trimps-Soushen", 3.0),
    2017: ("SENet", 2.3),
}
HUMAN_TOP5_ERROR = 5.1
FIRST_DEEP_WINNER = 2012


def _as_numpy(array) -> onp.ndarray:
    """A NumPy copy of a NumPy or MXNet array (MXNet's have ``asnumpy``)."""
    return onp.asarray(array.asnumpy() if hasattr(array, "asnumpy") else array, dtype=float)


def _figure(width: float, height: float, **kwargs) -> tuple[Figure, object]:
    use_png_display()
    fig, ax = plt.subplots(figsize=(width, height), **kwargs)
    return fig, ax


def plot_imagenet_top5() -> Figure:
    """Bars of the ImageNet challenge's winning top-5 error per year, with the human error as a
    line: the figure behind "deep networks took over image classification in 2012"."""
    fig, ax = _figure(13, 3.6)
    years = list(ILSVRC_TOP5_ERROR)
    errors = [error for _, error in ILSVRC_TOP5_ERROR.values()]
    colors = ["C7" if year < FIRST_DEEP_WINNER else "C0" for year in years]
    bars = ax.bar(years, errors, color=colors, width=0.7)
    for bar, error in zip(bars, errors, strict=True):
        ax.text(
            bar.get_x() + bar.get_width() / 2,
            error + 0.5,
            f"{error:.1f}",
            ha="center",
            va="bottom",
            fontsize=FONT + 2,
            zorder=3,
            bbox=dict(fc="white", ec="none", pad=0.5),
        )
    human = ax.axhline(HUMAN_TOP5_ERROR, color="C3", lw=3, ls="--")
    ax.legend(
        [Patch(color="C7"), Patch(color="C0"), human],
        ["hand-designed features", "deep networks", f"a human: {HUMAN_TOP5_ERROR}%"],
        fontsize=FONT,
        frameon=False,
        loc="upper right",
    )
    names = [name.replace("-", "-\n") for name, _ in ILSVRC_TOP5_ERROR.values()]  # long names on two lines
    ax.set_xticks(years, [f"{year}\n{name}" for year, name in zip(years, names, strict=True)], fontsize=FONT)
    ax.tick_params(axis="y", labelsize=FONT)
    ax.set_ylim(0, 33)
    ax.set_ylabel("top-5 error (%)", fontsize=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_vector_arrows(a: Sequence[float], b: Sequence[float], alphas: Sequence[float] = (2.0, -0.5)) -> Figure:
    """Two panels: c = a + b as arrows head to tail, and b scaled by each of ``alphas``."""
    a, b = _as_numpy(a), _as_numpy(b)
    fig, axes = _figure(12, 4.2, ncols=2)
    origin = onp.zeros(2)
    panels = {
        "c = a + b": [(origin, a, "C0", "a"), (a, b, "C1", "b"), (origin, a + b, "C2", "a + b")],
        r"c = $\alpha \cdot$ b": [(origin, alpha * b, f"C{3 + k}", f"{alpha:g} b") for k, alpha in enumerate(alphas)]
        + [(origin, b, "C1", "b")],
    }
    for ax, (title, arrows) in zip(axes, panels.items(), strict=True):
        for start, vector, color, label in arrows:
            ax.quiver(*start, *vector, angles="xy", scale_units="xy", scale=1, width=0.018, color=color, label=label)
        ends = onp.array([s + v for s, v, *_ in arrows] + [s for s, *_ in arrows])
        low, high = ends.min(axis=0) - 0.7, ends.max(axis=0) + 0.7
        ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), aspect="equal")
        ax.set_title(title, fontsize=FONT + 2)
        ax.tick_params(labelsize=FONT)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=FONT, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return fig


def _draw_matrix(
    ax, values: onp.ndarray, left: float, top: float, name: str, marked: onp.ndarray, color: str = HIGHLIGHT
) -> None:
    """Cells of a matrix (a vector is one column) with their values, ``marked`` ones coloured."""
    rows, cols = values.shape
    for (i, j), value in onp.ndenumerate(values):
        ax.add_patch(Rectangle((left + j, top - i - 1), 1, 1, lw=2, ec="black", fc=color if marked[i, j] else PLAIN))
        ax.text(left + j + 0.5, top - i - 0.5, f"{value:g}", ha="center", va="center", fontsize=FONT + 2)
    ax.text(left + cols / 2, top + 0.35, name, ha="center", va="bottom", fontsize=FONT + 4)


def _product_axes(width_cells: float, height_cells: float) -> tuple[Figure, object]:
    scale = 0.62  # inches per cell
    width = max(width_cells + 0.6, 11.0)
    fig, ax = _figure(width * scale, (height_cells + 3.4) * scale)
    ax.set(xlim=(-0.3, width - 0.3), ylim=(-2.2, height_cells + 1.2), aspect="equal")
    ax.axis("off")
    return fig, ax


def _factor(value: float) -> str:
    """A number as a factor of a product: negative ones in parentheses, ``(-1)·2``."""
    return f"({value:g})" if value < 0 else f"{value:g}"


def _sum_text(row: onp.ndarray, column: onp.ndarray) -> str:
    return " + ".join(f"{_factor(a)}·{_factor(b)}" for a, b in zip(row, column, strict=True))


def _caption(ax, text: str) -> None:
    """The worked sum under a product picture, left-aligned below the matrices."""
    ax.text(0, -1.2, text, ha="left", va="center", fontsize=FONT + 2)


def plot_matrix_vector(A, b, row: int = 0) -> Figure:
    """c = A b as pictures of cells: row ``row`` of A and all of b give entry c[row], the sum under it
    written in code notation (indices from 0, as the array's)."""
    A, b = _as_numpy(A), _as_numpy(b)
    if A.ndim != 2 or b.shape != (A.shape[1],):
        raise ValueError(f"A must be (m, n) and b (n,); got {A.shape} and {b.shape}")
    m, n = A.shape
    c = A @ b
    fig, ax = _product_axes(n + 1 + 3 + 1, max(m, n))
    top = max(m, n)
    marked_rows = onp.zeros_like(A, dtype=bool)
    marked_rows[row] = True
    _draw_matrix(ax, A, 0, top, f"A  {m}×{n}", marked_rows)
    _draw_matrix(ax, b[:, None], n + 1, top, f"b  ({n},)", onp.ones((n, 1), dtype=bool))
    ax.text(n + 2.75, top - max(m, n) / 2, "=", ha="center", va="center", fontsize=FONT + 10)
    marked_c = onp.zeros((m, 1), dtype=bool)
    marked_c[row] = True
    _draw_matrix(ax, c[:, None], n + 3.5, top, f"c  ({m},)", marked_c, color=RESULT)
    _caption(ax, f"c[{row}] = $\\sum_j$ A[{row}, j]·b[j] = {_sum_text(A[row], b)} = {c[row]:g}")
    return fig


def plot_matrix_matrix(A, B, row: int = 0, col: int = 0) -> Figure:
    """C = A B as pictures of cells: row ``row`` of A and column ``col`` of B give C[row, col]."""
    A, B = _as_numpy(A), _as_numpy(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"A must be (m, n) and B (n, p); got {A.shape} and {B.shape}")
    (m, n), p = A.shape, B.shape[1]
    C = A @ B
    fig, ax = _product_axes(n + 1 + p + 1.5 + p, max(m, n))
    top = max(m, n)
    marked_a = onp.zeros_like(A, dtype=bool)
    marked_a[row] = True
    marked_b = onp.zeros_like(B, dtype=bool)
    marked_b[:, col] = True
    marked_c = onp.zeros_like(C, dtype=bool)
    marked_c[row, col] = True
    _draw_matrix(ax, A, 0, top, f"A  {m}×{n}", marked_a)
    _draw_matrix(ax, B, n + 1, top, f"B  {n}×{p}", marked_b)
    ax.text(n + p + 1.75, top - max(m, n) / 2, "=", ha="center", va="center", fontsize=FONT + 10)
    _draw_matrix(ax, C, n + p + 2.5, top, f"C  {m}×{p}", marked_c, color=RESULT)
    worked_sum = _sum_text(A[row], B[:, col])
    _caption(ax, f"C[{row}, {col}] = $\\sum_j$ A[{row}, j]·B[j, {col}] = {worked_sum} = {C[row, col]:g}")
    return fig


def plot_selections(X, selections: Mapping[str, object]) -> Figure:
    """One panel per index expression: the grid of X with the entries that the index selects coloured.

    ``selections`` maps a title (e.g. ``"X[1, :]"``) to an index (e.g. ``numpy.s_[1, :]``).
    """
    X = _as_numpy(X)
    fig, axes = _figure(3.1 * len(selections), 3.9, ncols=len(selections))
    for ax, (title, index) in zip(onp.atleast_1d(axes), selections.items(), strict=True):
        selected = onp.zeros(X.shape, dtype=bool)
        selected[index] = True
        ax.imshow(selected, cmap="Blues", vmin=0, vmax=1.5)
        for (i, j), value in onp.ndenumerate(X):
            ax.text(j, i, f"{value:g}", ha="center", va="center", fontsize=FONT)
        ax.set_title(title, fontsize=FONT + 2, family="monospace", pad=28)
        ax.set_xticks(range(X.shape[1]))
        ax.set_yticks(range(X.shape[0]))
        ax.tick_params(labelsize=FONT, length=0)
        ax.xaxis.tick_top()
    return fig


def plot_tangent(
    f: Callable, x0: float, slope: float, xlim: tuple[float, float] = (-1.0, 3.5), name: str = "f(x)"
) -> Figure:
    """The curve of f over ``xlim`` and its tangent at x0 with the given slope (the derivative)."""
    x0, slope = float(_as_numpy(x0)), float(_as_numpy(slope))
    xs = onp.linspace(*xlim, 200)
    ys = _as_numpy(f(xs))
    y0 = float(_as_numpy(f(onp.array(x0))))
    fig, ax = _figure(10, 3.3)
    ax.plot(xs, ys, lw=3, label=name)
    ax.plot(xs, y0 + slope * (xs - x0), "--", lw=3, label=f"tangent at x = {x0:g}, slope {slope:.4f}")
    ax.plot([x0], [y0], "o", color="C3", ms=10)
    ax.set_xlabel("x", fontsize=FONT)
    ax.set_ylabel("y", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.set_ylim(min(ys.min(), -1.2), max(ys.max(), 1.2) + 0.8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=FONT, loc="upper left", frameon=False)
    return fig


# The compute graph of z = (<x, w> - y)^2 with the residual r = a - y:
# node -> (position, label, gradient of z at that node).
GRAPH_NODES = {
    "x": ((0.0, 3.0), r"$\mathbf{x}$", r"$2r\,\mathbf{w}^\top$"),
    "w": ((0.0, 0.6), r"$\mathbf{w}$", r"$2r\,\mathbf{x}^\top$"),
    "a": ((4.0, 1.8), r"$a = \langle \mathbf{x}, \mathbf{w} \rangle$", r"$2r \cdot 1$"),
    "y": ((4.0, -1.2), "$y$", r"$2r \cdot (-1)$"),
    "r": ((8.0, 0.6), "$r = a - y$", "$2r$"),
    "z": ((11.5, 0.6), "$z = r^2$", "$1$"),
}
# Edges (source, target, the local derivative d target / d source).
GRAPH_EDGES = [
    ("x", "a", r"$\mathbf{w}^\top$"),
    ("w", "a", r"$\mathbf{x}^\top$"),
    ("a", "r", "$1$"),
    ("y", "r", "$-1$"),
    ("r", "z", "$2r$"),
]
BACKWARD_BEND = -0.35  # the red arrows arc below the black ones


def draw_compute_graph() -> Figure:
    """The compute graph of z = (<x, w> - y)^2 with both passes: black arrows carry values
    forward; red dashed arrows carry the gradient back, each multiplied by the local derivative
    written on it; the red label under each node is dz/d(node), so dz/dw = 2r x^T is read off
    (r = a - y is the residual; b is kept for the bias)."""
    fig, ax = _figure(14, 4.6)
    ax.set(xlim=(-1.2, 12.8), ylim=(-2.6, 4.2))
    ax.axis("off")
    boxes = {}
    for name, ((x, y), label, _) in GRAPH_NODES.items():
        is_input = name in "xwy"
        boxes[name] = ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=FONT + 6,
            zorder=3,
            bbox=dict(
                boxstyle="square,pad=0.3" if is_input else "round,pad=0.3", fc="C0" if is_input else "C1", alpha=0.35
            ),
        )
    for src, dst, local in GRAPH_EDGES:
        ax.annotate(
            "",
            xy=(0, 0.6),
            xycoords=boxes[dst],
            xytext=(1, 0.6),
            textcoords=boxes[src],
            arrowprops=dict(arrowstyle="-|>", lw=3, color="black", mutation_scale=25),
        )
        ax.annotate(
            "",
            xy=(1, 0.3),
            xycoords=boxes[src],
            xytext=(0, 0.3),
            textcoords=boxes[dst],
            arrowprops=dict(
                arrowstyle="-|>",
                lw=3,
                color="C3",
                ls="--",
                mutation_scale=25,
                connectionstyle=f"arc3,rad={BACKWARD_BEND}",
            ),
        )
        (x1, y1), (x0, y0) = GRAPH_NODES[src][0], GRAPH_NODES[dst][0]  # the red arrow runs dst -> src
        bend = BACKWARD_BEND / 2 + 0.12  # the arc's midpoint, and a little beyond it
        ax.text(
            (x0 + x1) / 2 + bend * (y1 - y0),
            (y0 + y1) / 2 - bend * (x1 - x0),
            f"× {local}",
            color="C3",
            ha="center",
            va="center",
            fontsize=FONT + 2,
        )
    for name, ((x, y), _, gradient) in GRAPH_NODES.items():
        above = name == "x"  # below x runs the red arrow into it
        ax.text(
            x,
            y + 0.45 if above else y - 0.45,
            f"∂z/∂{name} = {gradient}",
            color="C3",
            ha="center",
            va="bottom" if above else "top",
            fontsize=FONT + 2,
        )
    ax.set_title(
        "forward: values, black, left to right      backward: gradients, red, right to left", fontsize=FONT + 2
    )
    return fig
