"""Figures for the notebooks, always rendered inline as PNG.

nbval compares SVG output as text (so every re-run would differ) but skips PNG, so the
course switches d2l's plotting helpers from SVG to PNG and keeps figures checkable.
"""

from __future__ import annotations

from collections.abc import Sequence

import d2l.mxnet as d2l
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


# d2l's set_figsize, plot and Animator call use_svg_display(); route them to PNG instead.
d2l.use_svg_display = use_png_display
set_figsize = d2l.set_figsize
set_axes = d2l.set_axes
plot = d2l.plot


def show_images(
    images: Sequence, num_rows: int, num_cols: int, titles: Sequence[str] | None = None, scale: float = 1.5
) -> list:
    """A grid of grayscale images with optional titles (e.g. true and predicted labels)."""
    use_png_display()
    with plt.rc_context({"image.cmap": "gray_r"}):
        return d2l.show_images(images, num_rows, num_cols, titles=titles, scale=scale)


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
