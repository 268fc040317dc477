"""The figures of lessons 03 and 04 draw what their slides say they show, in PNG, deterministically."""


import numpy as onp
import pytest

from d2l_utils.optim_figures import (
    FONT,
    draw_linear_network,
    plot_batch_size_tradeoff,
    plot_gd_paths,
    plot_goldilocks,
    plot_spot_prices,
)
from tests.figures import png_bytes

pytestmark = pytest.mark.usefixtures("close_figures")


def spot_data():
    months = onp.array([-3.0, -2.0, -1.5, -0.5, -2.5, -0.2])
    zones = onp.array([0, 0, 1, 1, 0, 1])
    prices = 0.37 + 0.01 * months + 0.02 * zones
    return months, prices, zones


def test_spot_prices_draws_one_series_per_zone_with_the_data():
    months, prices, zones = spot_data()
    fig = plot_spot_prices(months, prices, zones, ["a", "b"])
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_lines()[1].get_xdata().tolist() == [-1.5, -0.5, -0.2]
    assert ax.get_xlabel().startswith("month") and "price" in ax.get_ylabel()


def test_spot_forecast_splits_train_from_test_and_draws_predictions():
    months, prices, zones = spot_data()
    fig = plot_spot_prices(months, prices, zones, ["a", "b"], split=-1, predicted=prices + 0.001)
    ax = fig.axes[0]
    filled, hollow, line = ax.get_lines()[:3]  # zone a: train dots, test circles, prediction
    assert filled.get_xdata().tolist() == [-3.0, -2.0, -2.5]
    assert hollow.get_xdata().tolist() == [] and hollow.get_markerfacecolor() == "none"
    assert line.get_xdata().tolist() == [-3.0, -2.5, -2.0]  # sorted by month
    assert any(list(line.get_xdata()) == [-1, -1] for line in ax.get_lines())  # the split marker
    assert [t.get_text().strip() for t in ax.texts] == ["train", "test"]


def test_spot_prices_draws_only_the_chosen_rows_and_takes_mxnet_arrays():
    from mxnet import np

    months, prices, zones = spot_data()
    rows = months > -2.8  # drops the first example, zone a's month -3
    fig = plot_spot_prices(np.array(months), np.array(prices), np.array(zones), ["a", "b"],
                           rows=np.array(rows), split=-1, predicted=np.array(prices))
    ax = fig.axes[0]
    assert ax.get_lines()[0].get_xdata().tolist() == [-2.0, -2.5]  # zone a, training months
    assert ax.get_lines()[2].get_xdata().tolist() == [-2.5, -2.0]  # zone a's model line
    assert ax.get_lines()[4].get_xdata().tolist() == [-0.5, -0.2]  # zone b, test month


def test_spot_forecast_legend_and_labels_leave_every_data_point_free():
    """The legend sits outside the axes and the train/test labels above them: no point is covered."""
    rng = onp.random.default_rng(0)
    months = rng.uniform(-3, 0, 200)
    zones = rng.integers(0, 4, 200)
    prices = 0.37 + 0.01 * months + 0.02 * zones
    fig = plot_spot_prices(months, prices, zones, ["1a", "1c", "1d", "1e"], split=-1, predicted=prices)
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    points = ax.transData.transform(onp.column_stack([months, prices]))
    covering = [ax.get_legend().get_window_extent(renderer)] + [t.get_window_extent(renderer) for t in ax.texts]
    for box in covering:
        assert not any(box.contains(x, y) for x, y in points), box
    assert ax.get_legend().get_window_extent(renderer).x0 > ax.get_window_extent(renderer).x1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1a", "1c", "1d", "1e"]
    width, height = fig.get_size_inches() * fig.dpi
    assert all(0 <= b.x0 and b.x1 <= width and b.y1 <= height for b in covering)  # nothing cut off


def test_spot_prices_rejects_mismatched_lengths():
    months, prices, zones = spot_data()
    with pytest.raises(ValueError, match="one entry per example"):
        plot_spot_prices(months, prices[:-1], zones, ["a", "b"])


def test_linear_network_has_inputs_one_output_and_an_arrow_per_input():
    fig = draw_linear_network()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert {"$x_1$", "$x_2$", "$x_d$", "$o_1$"} <= set(labels)
    assert sum(1 for child in ax.get_children() if type(child).__name__ == "Annotation"
               and child.arrow_patch is not None) == 3


def test_goldilocks_draws_the_curve_and_the_iterates_per_panel():
    traces = {"small": [10.0, 9.0, 8.1], "big": [10.0, -12.0, 14.4]}
    fig = plot_goldilocks(lambda x: x ** 2, traces)
    assert [ax.get_title() for ax in fig.axes] == ["small", "big"]
    iterates = fig.axes[1].get_lines()[1]
    assert iterates.get_xdata().tolist() == [10.0, -12.0, 14.4]
    assert onp.allclose(iterates.get_ydata(), [100.0, 144.0, 207.36])
    assert fig.axes[1].get_lines()[0].get_xdata().max() >= 14.4  # the curve spans the iterates
    assert fig.axes[0].title.get_fontsize() >= 12 and fig.axes[0].get_lines()[0].get_linewidth() >= 2
    assert fig.get_size_inches()[1] * fig.dpi >= 290  # still at least 40% of a 720 px slide


def test_goldilocks_takes_the_scalar_arrays_gradient_descent_returns():
    from mxnet import np

    fig = plot_goldilocks(lambda x: x ** 2, {"mxnet": [np.array(10.0), np.array(-12.0)]})
    assert fig.axes[0].get_lines()[1].get_xdata().tolist() == [10.0, -12.0]


def test_gd_paths_draws_contours_and_each_path():
    paths = {"a": onp.array([[-4.0, 1.5], [-3.0, 0.5]]), "b": onp.array([[-4.0, 1.5], [1.0, -2.0]])}
    fig = plot_gd_paths(lambda x1, x2: x1 ** 2 + 2 * x2 ** 2, paths)
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    for ax, path in zip(fig.axes, paths.values(), strict=True):
        assert ax.collections, "contour lines"
        assert ax.get_lines()[0].get_ydata().tolist() == path[:, 1].tolist()


def test_batch_size_tradeoff_plots_accuracy_per_example_and_per_estimated_second():
    curves = {1: {1: 0.5, 3: 0.6}, 100: {100: 0.55, 300: 0.8}}
    fig = plot_batch_size_tradeoff(curves, {1: 0.01, 100: 0.02})
    per_example, per_second = fig.axes
    assert per_example.get_lines()[1].get_xdata().tolist() == [100, 300]
    assert per_second.get_lines()[0].get_xdata().tolist() == [0.01, 0.03]  # steps x step time
    assert per_second.get_lines()[1].get_xdata().tolist() == [0.02, 0.06]
    assert per_second.get_lines()[0].get_ydata().tolist() == [0.5, 0.6]
    assert [t.get_text() for t in per_second.get_legend().get_texts()] == ["|B| = 1", "|B| = 100"]
    assert per_example.get_xscale() == per_second.get_xscale() == "log"
    assert per_example.get_ylabel() == "test accuracy" and "step time" in per_second.get_xlabel()
    fig.canvas.draw()
    legend = per_second.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert legend.x0 > per_second.get_window_extent(fig.canvas.get_renderer()).x1  # beside, not on, the curves
    assert legend.x1 <= fig.get_size_inches()[0] * fig.dpi  # and not cut off


def test_batch_size_tradeoff_names_a_batch_size_without_a_step_time():
    with pytest.raises(ValueError, match=r"missing: \[100\]"):
        plot_batch_size_tradeoff({1: {1: 0.5}, 100: {100: 0.5}}, {1: 0.01})


def test_figures_are_large_and_deterministic():
    months, prices, zones = spot_data()
    first = plot_spot_prices(months, prices, zones, ["a", "b"])
    again = plot_spot_prices(months, prices, zones, ["a", "b"])
    assert png_bytes(first).startswith(b"\x89PNG")
    assert png_bytes(first) == png_bytes(again)
    assert first.get_size_inches()[1] * first.dpi >= 290  # at least 40% of a 720 px slide
    assert FONT["font.size"] >= 12
