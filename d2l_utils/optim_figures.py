"""Figures of lessons 03 (linear regression) and 04 (SGD), drawn for a room to read.

Each helper draws one slide's picture in one call, so that a slide shows the call and
the figure, not the plotting code. Sizes are chosen for a 1280x720 slide: the figures are
about 380 px tall as rendered inline (100 dpi), with 14 pt text and thick lines.
Every helper returns its ``Figure``; in a notebook the inline backend shows it as PNG.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import numpy as onp
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from d2l_utils.plotting import use_png_display

FONT = {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 13,
        "xtick.labelsize": 13, "ytick.labelsize": 13, "lines.linewidth": 2.5, "lines.markersize": 7}
HEIGHT = 3.8  # inches: 380 px at matplotlib's 100 dpi, about half of a 720 px slide


def _readable(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw with the course's large fonts and thick lines, whatever the global settings."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> Figure:
        use_png_display()
        # Only FONT's keys are set and restored: plt.rc_context would also restore the backend
        # setting, which makes the inline backend show the figure twice.
        saved = {key: plt.rcParams[key] for key in FONT}
        plt.rcParams.update(FONT)
        try:
            return draw(*args, **kwargs)
        finally:
            plt.rcParams.update(saved)

    return wrapper


def _figure(ncols: int = 1, width: float = 10.0, height: float = HEIGHT) -> tuple[Figure, list]:
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained", squeeze=False)
    return fig, list(axes[0])


def _style(ax, title: str = "", xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=FONT["axes.titlesize"])
    ax.set_xlabel(xlabel, fontsize=FONT["axes.labelsize"])
    ax.set_ylabel(ylabel, fontsize=FONT["axes.labelsize"])
    ax.tick_params(labelsize=FONT["xtick.labelsize"])


def _numpy(values) -> onp.ndarray:
    """A flat NumPy copy of an array: MXNet arrays (``asnumpy``), NumPy arrays or lists."""
    return (values.asnumpy() if hasattr(values, "asnumpy") else onp.asarray(values)).ravel()


@_readable
def plot_spot_prices(
    months,
    prices,
    zones,
    zone_names: Sequence[str],
    rows=None,
    split: float | None = None,
    predicted=None,
) -> Figure:
    """Price against month, one colour per zone; optionally a train/test split and predictions.

    The arrays (MXNet or NumPy) have one entry per example; ``rows``, a boolean mask, picks the
    examples to draw (e.g. one server). With ``split``, months before it are the training data
    (filled dots) and the rest the test data (open circles), labelled above the plot; with
    ``predicted`` the model's prices are drawn as a line per zone. The legend sits to the right
    of the axes, where it covers no data.
    """
    months, prices, zones = (_numpy(a) for a in (months, prices, zones))
    if not len(months) == len(prices) == len(zones):
        raise ValueError(f"months, prices and zones must have one entry per example, got "
                         f"{len(months)}, {len(prices)} and {len(zones)}")
    keep = onp.ones(len(months), dtype=bool) if rows is None else _numpy(rows).astype(bool)
    if predicted is not None:
        predicted = _numpy(predicted)
    fig, (ax,) = _figure(width=10.0)
    for j, name in enumerate(zone_names):
        zone = keep & (zones == j)
        colour = f"C{j}"
        train = zone if split is None else zone & (months < split)
        ax.plot(months[train], prices[train], "o", color=colour, label=name, ms=5)
        if split is not None:
            test = zone & (months >= split)
            ax.plot(months[test], prices[test], "o", mfc="none", color=colour, ms=6, mew=1.5)
        if predicted is not None:
            order = onp.argsort(months[zone])
            ax.plot(months[zone][order], predicted[zone][order], "-", color=colour)
    if split is not None:
        ax.axvline(split, color="gray", ls="--", lw=2)
        above = ax.get_xaxis_transform()  # x in months, y in axes units: 1 is the top edge
        ax.text(split - 0.05, 1.02, "train", ha="right", va="bottom", transform=above, fontsize=14)
        ax.text(split + 0.05, 1.02, "test", ha="left", va="bottom", transform=above, fontsize=14)
    _style(ax, xlabel="month (0 = 6/10/2019)", ylabel="price ($/hour)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
              fontsize=FONT["legend.fontsize"], title="zone", title_fontsize=FONT["legend.fontsize"])
    return fig


@_readable
def draw_linear_network(num_inputs_label: str = "d") -> Figure:
    """The linear model as a network: inputs x_1 ... x_d, each joined by a weight to one output."""
    fig, (ax,) = _figure(width=7.0)
    inputs = [(3, "$x_1$"), (2, "$x_2$"), (0, f"$x_{num_inputs_label}$")]
    node = dict(boxstyle="circle,pad=0.4", fc="white", ec="black", lw=2)
    for y_pos, name in inputs:
        ax.annotate("", xy=(2, 1.5), xytext=(0, y_pos),
                    arrowprops=dict(arrowstyle="->", lw=2, shrinkA=22, shrinkB=22))
        ax.text(0, y_pos, name, ha="center", va="center", bbox=node, fontsize=18)
    ax.text(0, 1, r"$\vdots$", ha="center", va="center", fontsize=22)
    ax.text(2, 1.5, "$o_1$", ha="center", va="center", bbox=node, fontsize=18)
    ax.text(1.0, 2.55, "$w_1$", ha="center", fontsize=16)
    ax.text(1.0, 0.5, f"$w_{num_inputs_label}$", ha="center", fontsize=16)
    ax.text(0, 3.8, "input layer", ha="center", fontsize=16)
    ax.text(2, 3.8, "output layer", ha="center", fontsize=16)
    ax.set(xlim=(-0.8, 2.8), ylim=(-0.6, 4.2), xticks=[], yticks=[], frame_on=False)
    return fig


@_readable
def plot_goldilocks(f: Callable[[onp.ndarray], onp.ndarray], traces: Mapping[str, Sequence[float]]) -> Figure:
    """One panel per learning rate: the curve f and the iterates of gradient descent on it.

    ``traces`` maps a panel title (e.g. "too small: eta = 0.05") to the iterates x_0, x_1, ...,
    numbers or scalar arrays (MXNet or NumPy), as gradient descent returns them.
    """
    # A little lower than the others: its slide also shows the few lines that compute the traces.
    fig, axes = _figure(ncols=len(traces), width=12.0, height=3.5)
    for ax, (title, xs) in zip(axes, traces.items(), strict=True):
        xs = onp.array([float(x) for x in xs])
        grid = onp.linspace(-1.1, 1.1, 201) * max(10.0, onp.abs(xs).max())
        ax.plot(grid, f(grid), "k-", lw=2)
        ax.plot(xs, f(xs), "o-", color="tab:orange")
        ax.plot(xs[:1], f(xs[:1]), "s", color="tab:red", ms=10)
        _style(ax, title=title, xlabel="$x$", ylabel="$f(x)$" if ax is axes[0] else "")
    return fig


@_readable
def plot_gd_paths(f2: Callable[[onp.ndarray, onp.ndarray], onp.ndarray],
                  paths: Mapping[str, onp.ndarray]) -> Figure:
    """Contour lines of f2(x1, x2) with one gradient descent path per panel.

    ``paths`` maps a panel title to an array of iterates of shape (steps + 1, 2).
    """
    fig, axes = _figure(ncols=len(paths), width=12.0)
    x1, x2 = onp.meshgrid(onp.linspace(-5, 5, 201), onp.linspace(-3.5, 3.5, 201))
    for ax, (title, path) in zip(axes, paths.items(), strict=True):
        path = onp.asarray(path, dtype=float)
        ax.contour(x1, x2, f2(x1, x2), levels=8, colors="gray", linewidths=1)
        ax.plot(path[:, 0], path[:, 1], "o-", color="tab:orange")
        ax.plot(path[:1, 0], path[:1, 1], "s", color="tab:red", ms=10)
        ax.set(xlim=(-5, 5), ylim=(-3.5, 3.5))
        _style(ax, title=title, xlabel="$x_1$", ylabel="$x_2$" if ax is axes[0] else "")
    return fig


@_readable
def plot_batch_size_tradeoff(curves: Mapping[int, Mapping[int, float]],
                             step_seconds: Mapping[int, float]) -> Figure:
    """Test accuracy against examples seen (left) and against estimated seconds (right).

    ``curves`` maps a batch size to its checkpoints ``{examples seen: test accuracy}``;
    ``step_seconds`` maps it to the measured seconds of one SGD step. The right panel's time
    is estimated, steps times step time (examples / batch size * step_seconds), so that the
    accuracies stay those of one deterministic run while the clock shows the hardware's cost.
    """
    if set(curves) - set(step_seconds):
        raise ValueError(f"step_seconds needs a time for every batch size of curves, "
                         f"missing: {sorted(set(curves) - set(step_seconds))}")
    fig, (per_example, per_second) = _figure(ncols=2, width=12.0)
    for j, (batch_size, points) in enumerate(curves.items()):
        seen = onp.asarray(list(points), dtype=float)
        acc = onp.asarray(list(points.values()), dtype=float)
        style = dict(color=f"C{j}", marker="o", label=f"|B| = {batch_size}")
        per_example.plot(seen, acc, **style)
        per_second.plot(seen / batch_size * step_seconds[batch_size], acc, **style)
    _style(per_example, title="per example seen", xlabel="examples seen", ylabel="test accuracy")
    _style(per_second, title="per second (estimated)", xlabel="seconds: steps x step time")
    for ax in (per_example, per_second):
        ax.set_xscale("log")
        ax.set_ylim(0.0, 1.0)
        ax.grid(alpha=0.3)
    # Right of the panels, where it covers no curve.
    per_second.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                      fontsize=FONT["legend.fontsize"])
    return fig
