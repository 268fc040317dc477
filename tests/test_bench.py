"""The benchmark's reusable logic: workload arithmetic, the timing protocol, the report's tables.

Nothing here times real work or asserts on a timing: the clock is a stand-in.
"""

import itertools

import pytest

from bench import report
from bench.timing import gflops, median_seconds
from bench.workload import NUM_EXAMPLES, Gemm, epoch_flops, mlp_gemms


def test_mlp_gemms_are_the_lesson_mlp_products_without_the_data_gradient():
    gemms = {g.name: (g.m, g.k, g.n) for g in mlp_gemms(256)}
    assert gemms == {
        "layer 1 forward": (256, 784, 256),
        "layer 1 weight gradient": (256, 256, 784),
        "layer 2 forward": (256, 256, 10),
        "layer 2 weight gradient": (10, 256, 256),
        "layer 2 input gradient": (256, 10, 256),
    }


def test_epoch_flops_counts_two_per_multiply_add():
    per_example = 2 * (784 * 256 + 256 * 10) * 2 + 2 * 256 * 10
    assert epoch_flops() == NUM_EXAMPLES * per_example == 49_090_560_000
    assert Gemm("g", 2, 3, 4).flops == 48


def fake_clock(ticks):
    """A clock that advances by the given steps, one per reading."""
    now = itertools.accumulate(itertools.chain([0.0], ticks))
    return lambda: next(now)


def test_median_seconds_skips_warmup_and_takes_the_median():
    calls = []
    # Each timed run reads the clock at its start and end: runs of 3, 1 and 8 s, 10 s apart -> median 3
    # (their mean is 4, their minimum 1).
    clock = fake_clock([3.0, 10.0, 1.0, 10.0, 8.0])
    assert median_seconds(lambda: calls.append(1), repeats=3, warmup=2, clock=clock) == 3.0
    assert len(calls) == 5


def test_median_seconds_rejects_no_repeats():
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        median_seconds(lambda: None, repeats=0)


def test_gflops():
    assert gflops(3_000_000_000, 1.5) == 2.0


def uniform_rates(**rate_by_backend):
    return {backend: {g.name: rate for g in mlp_gemms()} for backend, rate in rate_by_backend.items()}


def test_limit_seconds_uses_the_best_backend_per_gemm():
    rates = uniform_rates(slow=50.0, fast=100.0)
    assert report.limit_seconds(rates, ["slow"]) == pytest.approx(epoch_flops() / 50e9)
    assert report.limit_seconds(rates, ["slow", "fast"]) == pytest.approx(epoch_flops() / 100e9)
    rates["slow"]["layer 1 forward"] = 1000.0
    forward = Gemm("", NUM_EXAMPLES, 784, 256).flops
    expected = forward / 1000e9 + (epoch_flops() - forward) / 100e9
    assert report.limit_seconds(rates, ["slow", "fast"]) == pytest.approx(expected)


def test_markdown_table_aligns_columns():
    table = report.markdown_table(("name", "x"), [("a", "1.00"), ("longer", "10.00")])
    assert table.splitlines() == [
        "| name   |     x |",
        "|:-------|------:|",
        "| a      |  1.00 |",
        "| longer | 10.00 |",
    ]


def test_epoch_table_gives_ratios_to_pytorch_and_the_limits():
    rates = uniform_rates(**{"torch": 100.0, "mxnet-dot": 50.0, "mxnet-fc": 50.0})
    limit = epoch_flops() / 100e9
    table = report.epoch_table({"course": 2 * limit, "PyTorch": limit}, rates, reference="PyTorch")
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]] for line in table.splitlines()[2:]}
    assert rows["course"][2:] == ["2.00", "1.00", "2.00"]
    assert rows["PyTorch"][2:] == ["1.00", "0.50", "1.00"]
    assert rows["course"][1] == f"{NUM_EXAMPLES / (2 * limit):,.0f}"
    assert len(rows) == 4


def test_course_table_adds_a_row_of_sums():
    times = {"kernel start": 1.0, "imports": 2.0, "lesson": 3.0, "kernel stop": 0.5, "total": 6.5}
    table = report.course_table({"a.ipynb": times, "b.ipynb": times})
    last_row = [cell.strip() for cell in table.splitlines()[-1].split("|")[1:-1]]
    assert last_row == ["all", "2.0", "4.0", "6.0", "1.0", "13.0"]


def test_target_lines_say_met_or_missed():
    lines = report.target_lines(course=1.1, pytorch=1.0, d2l=4.0, course_seconds=301.0)
    assert lines[0].endswith(": met") and "1.10" in lines[0]
    assert lines[1].startswith("D2L book / course epoch time: 3.6") and lines[1].endswith(": missed")
    assert lines[2] == "whole course: 301 sec (target < 300): missed"
    assert len(report.target_lines(course=1.3, pytorch=1.0, d2l=10.0, course_seconds=None)) == 2


def test_tracks_table_puts_each_lesson_of_both_tracks_side_by_side():
    def times(total):
        return {"kernel start": 0.0, "imports": 0.0, "lesson": total, "kernel stop": 0.0, "total": total}

    mxnet = {"00-intro.ipynb": times(2.0), "01-ndarray.ipynb": times(4.0)}
    pytorch = {"01-ndarray.ipynb": times(3.0), "00-intro.ipynb": times(5.0), "02-autograd.ipynb": times(1.0)}
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in report.tracks_table(mxnet, pytorch).splitlines()]
    assert rows[0] == ["notebook", "MXNet", "PyTorch", "PyTorch / MXNet"]
    assert rows[2:] == [
        ["00-intro.ipynb", "2.0", "5.0", "2.50"],
        ["01-ndarray.ipynb", "4.0", "3.0", "0.75"],
        ["02-autograd.ipynb", "-", "1.0", "-"],
        ["all", "6.0", "9.0", "1.50"],
    ]


def test_pytorch_track_lines_compare_its_course_path_with_plain_pytorch():
    lines = report.pytorch_track_lines(course=0.66, pytorch=0.6, course_seconds=120.0)
    assert lines == [
        "course (PyTorch track) / PyTorch epoch time: 1.10 (target <= 1.2): met",
        "whole course, PyTorch track: 120 sec (target < 300): met",
    ]
    assert report.pytorch_track_lines(course=0.9, pytorch=0.6, course_seconds=None) == [
        "course (PyTorch track) / PyTorch epoch time: 1.50 (target <= 1.2): missed"
    ]
