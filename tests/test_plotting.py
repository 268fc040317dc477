import d2l.mxnet as d2l
import numpy as onp
from matplotlib import pyplot as plt

from d2l_utils import plot, show_images
from d2l_utils.plotting import use_png_display


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
