import base64
import io

import nbformat
import numpy as onp
import pytest
from matplotlib import pyplot as plt
from nbclient import NotebookClient

from d2l_utils import plot, plotting, show_images
from d2l_utils.plotting import ROOM_STYLE, LivePlot


def test_the_helpers_render_png_not_svg(monkeypatch):
    formats = []
    monkeypatch.setattr(plotting.backend_inline, "set_matplotlib_formats", formats.append)
    plotting.set_figsize((2, 1))
    plot(onp.arange(3))
    show_images([onp.eye(2)], 1, 1)
    assert formats == ["png", "png", "png"]
    assert tuple(plt.rcParams["figure.figsize"]) == (3.5, 2.5), "plot's own size, after set_figsize's"
    plt.close("all")


def test_the_helpers_take_mxnet_arrays():
    from mxnet import np

    x = np.arange(4)
    plot(x, [x, x * 2])
    assert [line.get_ydata().tolist() for line in plt.gca().get_lines()] == [[0, 1, 2, 3], [0, 2, 4, 6]]
    axes = show_images([np.ones((2, 2)) * i for i in range(2)], 1, 2)
    assert axes[1].images[0].get_array().tolist() == [[1, 1], [1, 1]]
    plt.close("all")


def test_show_images_titles_each_image_in_grayscale():
    images = [onp.eye(28) * i for i in range(1, 7)]
    axes = show_images(images, 2, 3, titles=[str(i) for i in range(6)])
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes] == ["0", "1", "2", "3", "4", "5"]
    assert axes[0].images[0].get_cmap().name == "gray_r"
    plt.close("all")


def test_plot_draws_one_line_per_series():
    x = onp.arange(5)
    plot(x, [x, x**2], xlabel="x", legend=["x", "x^2"])
    lines = plt.gca().get_lines()
    assert [line.get_ydata().tolist() for line in lines] == [x.tolist(), (x**2).tolist()]
    assert plt.gca().get_xlabel() == "x"
    plt.close("all")


def large_and_thick(axes) -> bool:
    """Tick labels and axis label of at least 12 pt, lines of at least 2.5 pt."""
    labels = [*axes.get_xticklabels(), *axes.get_yticklabels(), axes.xaxis.label]
    return min(t.get_fontsize() for t in labels) >= 12 and min(x.get_linewidth() for x in axes.get_lines()) >= 2.5


def test_figures_are_drawn_for_a_room_by_every_route():
    """d2l's plot, LivePlot and show_images draw with text of at least 12 pt and thick lines."""
    assert all(ROOM_STYLE[key] >= 12 for key in ROOM_STYLE if key.endswith(("font.size", "labelsize", "fontsize")))
    plt.rcdefaults()  # matplotlib's own 10 pt text and 1.5 pt lines, as before any helper ran
    _, axes = plt.subplots()
    axes.plot([0, 1])
    axes.set_xlabel("x")
    assert not large_and_thick(axes), "matplotlib's defaults already pass: the test would prove nothing"
    plt.close("all")

    plt.rcdefaults()
    plot(onp.arange(3), [onp.arange(3)], xlabel="x", legend=["y"])
    assert large_and_thick(plt.gca())
    plt.close("all")

    plt.rcdefaults()
    live = LivePlot(["loss"], xlabel="epoch")
    live.add(1, [0.5])
    assert large_and_thick(live.axes)

    plt.rcdefaults()
    axes = show_images([onp.eye(4), onp.eye(4)], 1, 2, titles=["a", "b"])
    assert axes[0].title.get_fontsize() >= 12
    plt.close("all")


def test_in_notebook_only_inside_a_jupyter_kernel(monkeypatch):
    assert not plotting.in_notebook()  # plain pytest: no IPython shell at all

    class Shell:
        def __init__(self, config):
            self.config = config

    monkeypatch.setattr(plotting, "get_ipython", lambda: Shell({"IPKernelApp": {}}))
    assert plotting.in_notebook()
    monkeypatch.setattr(plotting, "get_ipython", lambda: Shell({"TerminalIPythonApp": {}}))
    assert not plotting.in_notebook()


def test_live_plot_records_points_and_draws_each_curve_with_its_legend_headless():
    board = LivePlot(["loss", "acc"], xlabel="epoch", ylabel="value", xlim=(1, 3), ylim=(0, 1))
    board.add(1, (0.5, 0.8))
    board.add(2, (0.25, 0.9))
    assert board.x == [1, 2] and board.ys == [[0.5, 0.25], [0.8, 0.9]]
    lines = board.axes.get_lines()
    assert [line.get_ydata().tolist() for line in lines] == [[0.5, 0.25], [0.8, 0.9]]
    assert [line.get_linestyle() for line in lines] == ["-", "--"], "curves stay apart in black and white"
    assert [text.get_text() for text in board.axes.get_legend().get_texts()] == ["loss", "acc"]
    assert (board.axes.get_xlabel(), board.axes.get_ylabel()) == ("epoch", "value")
    assert board.axes.get_xlim() == (1, 3) and board.axes.get_ylim() == (0, 1)
    with pytest.raises(ValueError, match=r"expected 2 values \(loss, acc\), got 1"):
        board.add(3, (0.1,))


def test_live_plot_in_a_notebook_updates_one_display_with_the_drawn_figure(monkeypatch):
    """In a kernel the figure is displayed once, then redrawn in that display at every point."""
    displayed, shown = [], []

    class Handle:
        def update(self, figure):
            axes = figure.axes[0]
            legend = [text.get_text() for text in axes.get_legend().get_texts()]
            shown.append((figure, [line.get_ydata().tolist() for line in axes.get_lines()], legend))

    def display(figure, display_id):
        displayed.append((figure, display_id))
        return Handle()

    monkeypatch.setattr(plotting, "in_notebook", lambda: True)
    monkeypatch.setattr(plotting.display, "display", display)
    board = LivePlot(["train acc", "test acc"])
    assert displayed == [(board.figure, True)]
    board.add(1, (0.5, 0.4))
    board.add(2, (0.7, 0.6))
    assert shown == [
        (board.figure, [[0.5], [0.4]], ["train acc", "test acc"]),
        (board.figure, [[0.5, 0.7], [0.4, 0.6]], ["train acc", "test acc"]),
    ]


LIVE_PLOT_CELL = """
from d2l_utils import LivePlot
board = LivePlot(["train acc", "test acc"], xlabel="epoch", xlim=(1, 3), ylim=(0, 1))
for epoch in (1, 2, 3):
    board.add(epoch, (0.5 + 0.1 * epoch, 0.2 + 0.1 * epoch))
"""


def test_live_plot_shows_its_curves_in_a_real_kernel():
    """What a learner sees: one PNG output, updated in place, with both curves drawn in their colours."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LIVE_PLOT_CELL)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"], outputs
    image = plt.imread(io.BytesIO(base64.b64decode(outputs[0].data["image/png"])))[..., :3]
    blue, magenta = onp.array([0x1F, 0x77, 0xB4]) / 255, onp.array([0xBF, 0x00, 0xBF]) / 255  # "-" and "m--"
    for colour in (blue, magenta):
        assert (onp.abs(image - colour).max(axis=-1) < 0.05).sum() > 100, f"no curve drawn in {colour}"
