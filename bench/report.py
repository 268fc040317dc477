"""Turn the measurements of ``bench.run`` into the Markdown tables that ``make bench`` prints.

Pure arithmetic and formatting, so it is tested without timing anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bench.workload import BATCH_SIZE, NUM_EXAMPLES, mlp_gemms

TARGET_VS_PYTORCH = 1.2  # the course's epoch at most this many times PyTorch's
TARGET_VS_D2L = 4.0  # and at least this many times faster than the D2L book's pipeline
TARGET_COURSE_SECONDS = 300.0  # the whole course executes in under five minutes

Rates = Mapping[str, Mapping[str, float]]  # backend -> GEMM name -> GFLOP/s


def limit_seconds(rates: Rates, backends: Iterable[str]) -> float:
    """Least time for the matrix products of one epoch, each at the best rate that ``backends`` reached on it."""
    backends = list(backends)
    return sum(
        gemm.flops / (max(rates[backend][gemm.name] for backend in backends) * 1e9) for gemm in mlp_gemms(NUM_EXAMPLES)
    )


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned (they hold numbers)."""
    rows = [list(row) for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(":" + "-" * (w + 1) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def epoch_table(epochs: Mapping[str, float], rates: Rates, reference: str) -> str:
    """Seconds per epoch and examples per second of each pipeline, as ratios to ``reference`` and to the limits.

    ``epochs`` maps a pipeline's label to its seconds per epoch; ``rates`` holds the GEMM rates of
    every library measured, MXNet's under "mxnet-dot" and "mxnet-fc".
    """
    mxnet_limit = limit_seconds(rates, ["mxnet-dot", "mxnet-fc"])
    machine_limit = limit_seconds(rates, rates.keys())
    rows_seconds = {
        **epochs,
        "MXNet's kernel limit (its best GEMMs, nothing else)": mxnet_limit,
        "machine limit (best GEMM measured, nothing else)": machine_limit,
    }
    rows = [
        (
            label,
            f"{seconds:.2f}",
            f"{NUM_EXAMPLES / seconds:,.0f}",
            f"{seconds / epochs[reference]:.2f}",
            f"{seconds / mxnet_limit:.2f}",
            f"{seconds / machine_limit:.2f}",
        )
        for label, seconds in rows_seconds.items()
    ]
    headers = ("pipeline", "sec/epoch", "examples/sec", "x PyTorch", "x MXNet limit", "x machine limit")
    return markdown_table(headers, rows)


def gemm_table(rates: Rates) -> str:
    """GFLOP/s of each of the MLP's matrix products (batch 256), one column per backend of ``bench.gemm``."""
    backends = list(rates)
    rows = [
        (f"{gemm.name} ({gemm.m}x{gemm.k} @ {gemm.k}x{gemm.n})", *(f"{rates[b][gemm.name]:.0f}" for b in backends))
        for gemm in mlp_gemms(BATCH_SIZE)
    ]
    return markdown_table(("GEMM", *backends), rows)


def course_table(notebooks: Mapping[str, Mapping[str, float]]) -> str:
    """Seconds per notebook, split into kernel start, imports, lesson cells and kernel stop, and their sums."""
    columns = ("kernel start", "imports", "lesson", "kernel stop", "total")
    totals = {column: sum(times[column] for times in notebooks.values()) for column in columns}
    rows = [(name, *(f"{times[c]:.1f}" for c in columns)) for name, times in {**notebooks, "all": totals}.items()]
    return markdown_table(("notebook", *columns), rows)


def tracks_table(mxnet: Mapping[str, Mapping[str, float]], pytorch: Mapping[str, Mapping[str, float]]) -> str:
    """Each lesson's total seconds on both tracks (the notebooks share their names) and their ratio, and the sums.

    A notebook that only one track has shows a dash for the other and counts in that track's sum alone.
    """
    names = sorted(set(mxnet) | set(pytorch))
    rows = []
    for name in [*names, "all"]:
        if name == "all":
            left = sum(times["total"] for times in mxnet.values())
            right = sum(times["total"] for times in pytorch.values())
        else:
            left = mxnet[name]["total"] if name in mxnet else None
            right = pytorch[name]["total"] if name in pytorch else None
        ratio = f"{right / left:.2f}" if left and right is not None else "-"
        rows.append((name, "-" if left is None else f"{left:.1f}", "-" if right is None else f"{right:.1f}", ratio))
    return markdown_table(("notebook", "MXNet", "PyTorch", "PyTorch / MXNet"), rows)


def verdict(met: bool) -> str:
    """How a target line ends."""
    return "met" if met else "missed"


def target_lines(course: float, pytorch: float, d2l: float, course_seconds: float | None) -> list[str]:
    """One line per target of the course: the measured ratio or time, the target, and whether it is met."""
    lines = [
        f"course / PyTorch epoch time: {course / pytorch:.2f} (target <= {TARGET_VS_PYTORCH}): "
        f"{verdict(course / pytorch <= TARGET_VS_PYTORCH)}",
        f"D2L book / course epoch time: {d2l / course:.1f} (target >= {TARGET_VS_D2L:.0f}): "
        f"{verdict(d2l / course >= TARGET_VS_D2L)}",
    ]
    if course_seconds is not None:
        lines.append(
            f"whole course: {course_seconds:.0f} sec (target < {TARGET_COURSE_SECONDS:.0f}): "
            f"{verdict(course_seconds < TARGET_COURSE_SECONDS)}"
        )
    return lines


def pytorch_track_lines(course: float, pytorch: float, course_seconds: float | None) -> list[str]:
    """The PyTorch track's lines: its course path against plain PyTorch, and its whole course's time."""
    lines = [
        f"course (PyTorch track) / PyTorch epoch time: {course / pytorch:.2f} (target <= {TARGET_VS_PYTORCH}): "
        f"{verdict(course / pytorch <= TARGET_VS_PYTORCH)}"
    ]
    if course_seconds is not None:
        lines.append(
            f"whole course, PyTorch track: {course_seconds:.0f} sec (target < {TARGET_COURSE_SECONDS:.0f}): "
            f"{verdict(course_seconds < TARGET_COURSE_SECONDS)}"
        )
    return lines
