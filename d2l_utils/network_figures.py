"""Figures of lessons 05 (softmax regression) and 06 (multilayer perceptrons), drawn by code.

Each helper draws one slide's picture in one call, so that a slide shows the call rather than
the plotting code. Every helper returns its matplotlib Figure (tests and notebooks can look at
what was drawn); in a notebook, assign it (``_ = draw_network(...)``) so that it shows once:
a trailing ``;`` is not enough under nbval, which then records the figure twice. The figures
are sized for a 1280x720 slide: at 100 dpi they are at least 3 inches (300 px) tall, with
13-15 pt type and thick lines, readable from the back of a room. They are deterministic: the
same inputs give the same PNG.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as onp
from matplotlib import patches
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from d2l_utils.plotting import ROOM_STYLE, show_images, to_numpy, use_png_display

# The course's room style (d2l_utils.plotting), with the thicker lines these figures draw.
STYLE = {**ROOM_STYLE, "lines.linewidth": 3}
POSITIVE, NEGATIVE = "tab:green", "tab:red"


def _numpy(array: Any) -> onp.ndarray:
    """A NumPy copy of an MXNet array or a PyTorch tensor (from any device), or of anything NumPy can read."""
    return onp.asarray(to_numpy(array))


def _figure(ncols: int, figsize: tuple[float, float]) -> tuple[Figure, list]:
    use_png_display()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained", squeeze=False)
    return fig, list(axes[0])


def _tick_size(*axes) -> None:
    for ax in axes:
        ax.tick_params(labelsize=STYLE["xtick.labelsize"])


# ---------------------------------------------------------------------------------------------
# Lesson 05: scores, probabilities, gradients, predictions


def plot_scores_and_probabilities(
    scores: Any, probabilities: Any, names: Sequence[str], rows: Sequence[int]
) -> Figure:
    """Bars of the scores ``o`` (left) and of softmax(o) (right) for the chosen ``rows``."""
    scores, probabilities = _numpy(scores), _numpy(probabilities)
    if scores.shape != probabilities.shape or len(names) != len(rows):
        raise ValueError(
            f"scores {scores.shape} and probabilities {probabilities.shape} must have one shape, "
            f"and one name per row ({len(names)} names for {len(rows)} rows)"
        )
    fig, (left, right) = _figure(2, (11, 3.6))
    classes = onp.arange(scores.shape[1])
    width = 0.8 / len(rows)
    for k, (row, name) in enumerate(zip(rows, names, strict=True)):
        shift = (k - (len(rows) - 1) / 2) * width
        with plt.rc_context(STYLE):
            left.bar(classes + shift, scores[row], width=width, label=name)
            right.bar(classes + shift, probabilities[row], width=width, label=name)
    with plt.rc_context(STYLE):
        left.set(title="scores $o_i$", xticks=classes, xlabel="class $i$")
        right.set(title=r"softmax$(\mathbf{o})_i$", xticks=classes, xlabel="class $i$", ylim=(0, 1))
        right.legend()
    _tick_size(left, right)
    return fig


def plot_gradient(probabilities: Any, label: Any, gradient: Any) -> Figure:
    """Bars of softmax(o), the label y and the gradient softmax(o) - y, class by class."""
    series = {
        r"softmax$(\mathbf{o})$": _numpy(probabilities),
        r"label $\mathbf{y}$": _numpy(label),
        r"gradient $\partial_{\mathbf{o}} l$": _numpy(gradient),
    }
    if len({values.shape for values in series.values()}) != 1:
        raise ValueError(f"expected three vectors of one shape, got {[v.shape for v in series.values()]}")
    fig, (ax,) = _figure(1, (11, 3.6))
    classes = onp.arange(len(series[r"label $\mathbf{y}$"]))
    with plt.rc_context(STYLE):
        for k, (name, values) in enumerate(series.items()):
            ax.bar(classes + (k - 1) * 0.27, values, width=0.27, label=name)
        ax.axhline(0, color="k", lw=1)
        ax.set(xticks=classes, xlabel="class $i$")
        ax.legend(loc="lower left")
    _tick_size(ax)
    return fig


def show_predictions(images: Any, labels: Any, predicted: Any, num_first: int = 6, num_mistakes: int = 6) -> list:
    """The first ``num_first`` images, then the first ``num_mistakes`` mistakes (titles in red).

    Each title reads *true label → prediction*. Returns the axes, one per image shown.
    """
    labels, predicted = _numpy(labels).astype(int), _numpy(predicted).astype(int)
    if labels.shape != predicted.shape or len(images) != len(labels):
        raise ValueError(f"one label and one prediction per image: {len(images)} images, "
                         f"labels {labels.shape}, predictions {predicted.shape}")
    mistakes = onp.flatnonzero(labels != predicted)[:num_mistakes].tolist()
    shown = list(range(min(num_first, len(labels)))) + mistakes
    titles = [f"{labels[i]} → {predicted[i]}" for i in shown]
    pictures = [_numpy(images[i]).reshape(28, 28) for i in shown]
    with plt.rc_context(STYLE):
        axes = show_images(pictures, 2, max(num_first, num_mistakes), titles=titles, scale=1.8)
    for ax, i in zip(axes, shown, strict=False):
        ax.title.set_fontsize(STYLE["axes.titlesize"])
        if labels[i] != predicted[i]:
            ax.title.set_color(NEGATIVE)
    return list(axes[: len(shown)])


# ---------------------------------------------------------------------------------------------
# Lesson 06: XOR, decision regions, activation functions, sweeps


def plot_xor(points: Any, classes: Any) -> Figure:
    """The four XOR points (green cross: class +, red dot: class -) and the two sign lines."""
    points, classes = _numpy(points), _numpy(classes)
    fig, (ax,) = _figure(1, (5.2, 3.6))
    with plt.rc_context(STYLE):
        ax.axvline(0, color="tab:blue", label="blue $= 0$")
        ax.axhline(0, color="tab:orange", label="orange $= 0$")
        for i, ((x1, x2), c) in enumerate(zip(points, classes, strict=True), start=1):
            positive = c > 0
            ax.plot(x1, x2, "P" if positive else "o", color=POSITIVE if positive else NEGATIVE, ms=16)
            ax.annotate(str(i), (x1, x2), xytext=(10, 8), textcoords="offset points", fontsize=15)
        ax.set(xlim=(-1.8, 1.8), ylim=(-1.8, 1.8), xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    _tick_size(ax)
    return fig


def decision_grid(
    net: Callable[[Any], Any], extent: float = 2.2, resolution: int = 200, to_input: Callable = onp.asarray
) -> tuple[onp.ndarray, onp.ndarray, onp.ndarray]:
    """The class that ``net`` predicts (argmax of its scores) at every point of a square grid.

    Returns the grid's x1 and x2 coordinates and the classes, each of shape (resolution, resolution).
    ``to_input`` turns the (resolution², 2) float32 grid into what ``net`` takes (e.g. an MXNet array).
    """
    g1, g2 = onp.meshgrid(onp.linspace(-extent, extent, resolution), onp.linspace(-extent, extent, resolution))
    grid = onp.stack([g1.ravel(), g2.ravel()], axis=1).astype("float32")
    scores = _numpy(net(to_input(grid)))
    if scores.shape[0] != grid.shape[0] or scores.ndim != 2:
        raise ValueError(f"net must return scores of shape ({grid.shape[0]}, classes), got {scores.shape}")
    return g1, g2, scores.argmax(axis=1).reshape(g1.shape)


def plot_decision_regions(nets: Sequence[Callable], X: Any, y: Any, titles: Sequence[str]) -> Figure:
    """One panel per network: the plane shaded by its predicted class, the data (X, y) on top.

    Class 1 is green (crosses), class 0 red (dots). The grid goes to each network as an array of
    the same kind and device as ``X``: an MXNet array (float32) if ``X`` is one, a PyTorch tensor of
    ``X``'s dtype if ``X`` is a tensor, else a NumPy array.
    """
    if len(nets) != len(titles):
        raise ValueError(f"one title per network: {len(nets)} networks, {len(titles)} titles")
    to_input = onp.asarray
    if hasattr(X, "asnumpy"):
        from mxnet import np as mxnp

        def to_input(grid: onp.ndarray) -> Any:
            return mxnp.array(grid, dtype="float32", ctx=X.ctx)
    elif hasattr(X, "new_tensor"):  # a PyTorch tensor: the grid with its dtype, on its device

        def to_input(grid: onp.ndarray) -> Any:
            return X.new_tensor(grid)

    points, classes = _numpy(X), _numpy(y)
    fig, axes = _figure(len(nets), (4.6 * len(nets), 3.6))
    for ax, net, title in zip(axes, nets, titles, strict=True):
        g1, g2, predicted = decision_grid(net, to_input=to_input)
        with plt.rc_context(STYLE):
            ax.contourf(g1, g2, predicted, levels=[-0.5, 0.5, 1.5], colors=[NEGATIVE, POSITIVE], alpha=0.25)
            ax.plot(*points[classes == 1].T, "P", color=POSITIVE, ms=7, ls="none")
            ax.plot(*points[classes == 0].T, "o", color=NEGATIVE, ms=6, ls="none")
            ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    _tick_size(*axes)
    return fig


def value_and_derivative(f: Callable[[Any], Any], x: Any) -> tuple[Any, Any]:
    """f(x) and its derivative f'(x), element by element, by the autograd of x's framework.

    ``x`` is an MXNet array or a PyTorch tensor (left unchanged: its copy is differentiated); both
    come back as arrays of that kind. ``f`` acts element by element, so the gradient of the sum of
    f(x) (the gradient MXNet's ``backward()`` takes for an array) is f'(x) at every point.
    """
    if hasattr(x, "attach_grad"):  # MXNet: record, then backward
        from mxnet import autograd

        x = x.copy()
        x.attach_grad()
        with autograd.record():
            y = f(x)
        y.backward()
        return y, x.grad
    if hasattr(x, "requires_grad_"):  # PyTorch: every operation on x is recorded
        x = x.detach().clone().requires_grad_()
        y = f(x)
        y.sum().backward()
        return y.detach(), x.grad
    raise TypeError(
        f"value_and_derivative needs an MXNet array or a PyTorch tensor, got {type(x).__name__}: "
        "convert x with mxnet.np.array(x) or torch.tensor(x)"
    )


def plot_activations(x: Any, activations: Mapping[str, Callable[[Any], Any]], step: bool = True) -> Figure:
    """Activation functions (left) and their derivatives by autograd (right), one curve each.

    ``activations`` maps a name to an element-wise function of MXNet arrays or PyTorch tensors,
    drawn at the points ``x`` (an array of that framework); ``step`` adds the step function (dotted)
    that the sigmoid smooths.
    """
    fig, (left, right) = _figure(2, (11, 3.3))
    points = _numpy(x)
    with plt.rc_context(STYLE):
        if step:
            left.plot(points, (points > 0).astype(float), "k:", label="step")
        for name, f in activations.items():
            values, derivatives = (_numpy(a) for a in value_and_derivative(f, x))
            if values.shape != points.shape:
                raise ValueError(f"{name} must act element by element: {values.shape} values for {points.shape} x")
            left.plot(points, values, label=name)
            right.plot(points, derivatives, label=name)
        left.set(title="activation $\\sigma(x)$", xlabel="$x$", ylim=(-0.5, 3))
        right.set(title="derivative $\\sigma'(x)$", xlabel="$x$", ylim=(-0.1, 1.1))
        left.legend(loc="upper left")
        right.legend(loc="center left")
    _tick_size(left, right)
    return fig


def plot_sweep(accuracies: Mapping[tuple[int, int], float]) -> Figure:
    """Test accuracy against hidden size, one line per number of hidden layers.

    ``accuracies`` maps (number of hidden layers, hidden size) to a test accuracy.
    """
    depths = sorted({depth for depth, _ in accuracies})
    widths = sorted({width for _, width in accuracies})
    missing = [(d, w) for d in depths for w in widths if (d, w) not in accuracies]
    if missing:
        raise ValueError(f"the sweep must cover every (depth, width) pair; missing {missing}")
    fig, (ax,) = _figure(1, (7.5, 4.0))
    with plt.rc_context(STYLE):
        for depth, marker in zip(depths, "osD^v", strict=False):
            ax.plot(widths, [accuracies[depth, w] for w in widths], marker=marker, ms=9,
                    label=f"{depth} hidden layer{'s' if depth > 1 else ''}")
        ax.set(xscale="log", xticks=widths, xticklabels=[str(w) for w in widths],
               xlabel="hidden size (units per layer)", ylabel="test accuracy")
        ax.minorticks_off()
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    _tick_size(ax)
    return fig


# ---------------------------------------------------------------------------------------------
# Network drawings (the seed's MLP diagrams)


def draw_network(layers: Sequence[tuple[str, str, int]], softmax: bool = False, weights: bool = True) -> Figure:
    """A layered network: one column of units per layer, every unit wired to the next layer's.

    ``layers`` lists (caption, symbol, units) from input to output, e.g.
    ``[("input", "x", 4), ("hidden", "h", 5), ("output", "o", 1)]``. A one-letter symbol numbers
    the units ($x_1, x_2, ...$); a longer one (``"h_1"``) labels only the column. ``weights`` writes
    $\\mathbf{W}_1, \\mathbf{W}_2, ...$ over the connections; ``softmax`` adds the predicted
    probabilities $\\hat{y}_1, ..., \\hat{y}_k$ computed from the outputs by a softmax.
    """
    if len(layers) < 2 or any(units < 1 for _, _, units in layers):
        raise ValueError(f"a network needs at least two layers of at least one unit each, got {list(layers)}")
    columns = [(caption, symbol, units, "#c6dbef") for caption, symbol, units in layers]
    columns[0] = (*columns[0][:3], "#fdd0a2")
    if softmax:
        columns.append(("probabilities", "y", layers[-1][2], "#c7e9c0"))
    tallest = max(max(units for _, _, units, _ in columns), 4)
    xlim = (-0.9, 2.3 * (len(columns) - 1) + 0.9)
    ylim = (-tallest / 2 - 1.5, tallest / 2 + 0.6)
    height = 3.3  # inches: 330 px at 100 dpi, and the width that keeps circles round
    fig, (ax,) = _figure(1, (height * (xlim[1] - xlim[0]) / (ylim[1] - ylim[0]), height))
    ax.set_axis_off()
    radius = 0.3

    def centers(column: int, units: int) -> list[tuple[float, float]]:
        return [(2.3 * column, (units - 1) / 2 - j) for j in range(units)]

    with plt.rc_context(STYLE):
        for k, (caption, symbol, units, color) in enumerate(columns):
            predicted = softmax and k == len(columns) - 1  # a prediction wears a hat, as in lesson 5
            unit, bold = symbol, f"\\mathbf{{{symbol[0]}}}"
            if predicted:
                unit, bold = f"\\hat{{{symbol}}}", f"\\hat{{{bold}}}"
            for j, (cx, cy) in enumerate(centers(k, units), start=1):
                ax.add_patch(patches.Circle((cx, cy), radius, facecolor=color, edgecolor="k", lw=1.5, zorder=3))
                if len(symbol) == 1:
                    ax.text(cx, cy, f"${unit}_{{{j}}}$", ha="center", va="center", fontsize=14, zorder=4)
            vector = f"${bold}{symbol[1:]}$"
            ax.text(2.3 * k, -tallest / 2 - 0.35, f"{caption}\n{vector}", ha="center", va="top", fontsize=14)
            if k == 0:
                continue
            previous = centers(k - 1, columns[k - 1][2])
            for sx, sy in previous:
                for tx, ty in centers(k, units):
                    ax.plot([sx + radius, tx - radius], [sy, ty], color="0.55", lw=1, zorder=1)
            if softmax and k == len(columns) - 1:
                ax.text(2.3 * (k - 0.5), tallest / 2 + 0.05, "softmax", ha="center", va="bottom", fontsize=14,
                        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "k"})  # above the wires
            elif weights:
                letter = "w" if units == 1 else "W"  # one output: a weight vector, as in o = w^T h + b
                ax.text(2.3 * (k - 0.5), tallest / 2 + 0.05, f"$\\mathbf{{{letter}}}_{{{k}}}$", ha="center",
                        va="bottom", fontsize=15)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    return fig
