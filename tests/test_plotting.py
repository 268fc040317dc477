import d2l.mxnet as d2l
import numpy as onp
from matplotlib import pyplot as plt

from d2l_utils import plot, show_images
from d2l_utils.plotting import ROOM_STYLE, LivePlot, use_png_display


def test_d2l_helpers_render_png_not_svg():
    assert d2l.use_svg_display is use_png_display


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
