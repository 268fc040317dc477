"""Figures for the notebooks, always rendered inline as PNG, for both tracks (MXNet and PyTorch).

nbval compares SVG output as text (so every re-run would differ) but skips PNG, so the course's
versions of d2l's plotting helpers (``set_figsize``, ``set_axes``, ``plot``, ``show_images``, with
d2l's signatures) draw PNG and keep figures checkable. They take NumPy arrays, lists, MXNet arrays
and PyTorch tensors alike and import neither framework, so one module serves both tracks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as onp
from IPython import display, get_ipython
from matplotlib import pyplot as plt
from matplotlib_inline import backend_inline

# Figures read from the back of a room: text of at least 12 pt at the figure's size (the inline
# backend draws 72 dpi, 1 pt = 1 px at 100%), and thick lines. Every helper applies it before
# drawing (through use_png_display); a lesson that wants other sizes uses plt.rc_context.
ROOM_STYLE = {
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.linewidth": 1.2,
}


def use_png_display() -> None:
    """Render inline figures as PNG, in the course's style for a room (``ROOM_STYLE``)."""
    backend_inline.set_matplotlib_formats("png")
    plt.rcParams.update(ROOM_STYLE)


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """PNG figures in the room's style, ``figsize`` inches wide and high from now on."""
    use_png_display()
    plt.rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend) -> None:  # noqa: ANN001 (d2l's signature)
    """Label, scale and bound ``axes``, add the legend if any, and draw its grid."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def to_numpy(values: object) -> object:
    """An MXNet array or a PyTorch tensor as a NumPy array (from any device); anything else as it is."""
    if hasattr(values, "asnumpy"):
        return values.asnumpy()
    if hasattr(values, "detach"):
        return values.detach().cpu().numpy()
    return values


def _has_one_axis(values: object) -> bool:
    """True for one curve's values: a 1-d array or a flat list."""
    if hasattr(values, "ndim"):
        return values.ndim == 1
    return isinstance(values, list) and not hasattr(values[0], "__len__")


def plot(
    X,  # noqa: N803 (d2l's signature)
    Y=None,  # noqa: N803
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend: Sequence[str] = (),
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    xscale: str = "linear",
    yscale: str = "linear",
    fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
    figsize: tuple[float, float] = (3.5, 2.5),
    axes=None,
) -> None:
    """Plot one or more curves: ``Y`` against ``X``, or ``X`` against its index when ``Y`` is None."""
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts, strict=False):
        if len(x):
            axes.plot(to_numpy(x), to_numpy(y), fmt)
        else:
            axes.plot(to_numpy(y), fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def show_images(
    images: Sequence, num_rows: int, num_cols: int, titles: Sequence[str] | None = None, scale: float = 1.5
) -> onp.ndarray:
    """A grid of grayscale images with optional titles (e.g. true and predicted labels); returns its axes."""
    use_png_display()
    with plt.rc_context({"image.cmap": "gray_r"}):
        _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)
        axes = axes.flatten()
        for i, (ax, image) in enumerate(zip(axes, images, strict=False)):
            ax.imshow(to_numpy(image))
            ax.axes.get_xaxis().set_visible(False)
            ax.axes.get_yaxis().set_visible(False)
            if titles:
                ax.set_title(titles[i])
    return axes


def in_notebook() -> bool:
    """True inside a Jupyter kernel, where figures can be shown and updated in place."""
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in shell.config


class LivePlot:
    """Curves that grow while a model trains, redrawn in place in a notebook.

    It updates one display (no ``clear_output``, which nbval cannot replay); outside a
    notebook it only records the points, and ``figure`` can be saved at the end.
    """

    def __init__(
        self,
        legend: Sequence[str],
        xlabel: str | None = None,
        ylabel: str | None = None,
        xlim: tuple[float, float] | None = None,
        ylim: tuple[float, float] | None = None,
        figsize: tuple[float, float] = (3.5, 2.5),
    ) -> None:
        use_png_display()
        self.legend = list(legend)
        self.x: list[float] = []
        self.ys: list[list[float]] = [[] for _ in self.legend]
        self.figure, self.axes = plt.subplots(figsize=figsize)
        plt.close(self.figure)  # shown through the display handle only, not again at cell end
        self._limits = dict(xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim)
        self._handle = display.display(self.figure, display_id=True) if in_notebook() else None

    def add(self, x: float, ys: Sequence[float]) -> None:
        """Append one point per curve and redraw."""
        if len(ys) != len(self.legend):
            raise ValueError(f"expected {len(self.legend)} values ({', '.join(self.legend)}), got {len(ys)}")
        self.x.append(x)
        for series, y in zip(self.ys, ys, strict=True):
            series.append(float(y))
        self.axes.cla()
        for series, fmt in zip(self.ys, ("-", "m--", "g-.", "r:"), strict=False):
            self.axes.plot(self.x, series, fmt)
        set_axes(self.axes, xscale="linear", yscale="linear", legend=self.legend, **self._limits)
        if self._handle is not None:
            self._handle.update(self.figure)
