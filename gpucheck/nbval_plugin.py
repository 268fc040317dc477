"""A pytest plugin for the GPU check: nbval with a numeric tolerance, and seconds per notebook.

nbval compares each output text after its sanitizers, exactly. With this plugin the comparison
goes on where exact equality fails: the texts still agree if they differ only in numbers within
the tolerance of :mod:`gpucheck.tolerance`. Every cell that passed only so is listed with its
largest difference at the end, beside the seconds each notebook took (kernel start and stop
included), so a report shows what the device changed.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from gpucheck.tolerance import Difference, compare

# Differences seen while the current cell was compared: (reference, test) pairs within tolerance.
_seen: list[Difference] = []


class TolerantText(str):
    """An output text that equals another one when the two agree within ``rtol`` (see the module)."""

    rtol: float = 0.0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        agree, difference = compare(str(self), str(other), self.rtol)
        if agree and difference is not None:
            _seen.append(difference)
        return agree

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__


class NbvalTolerance:
    """Registered by ``gpucheck.run``: patches nbval's sanitizing so that its texts compare with tolerance."""

    def __init__(self, rtol: float, times_path: Path | None = None) -> None:
        self.rtol = rtol
        self.times_path = times_path
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self.cells: dict[str, int] = collections.Counter()
        self.failed: set[str] = set()
        self.tolerated: list[tuple[str, Difference]] = []
        self.original_sanitize = None

    def pytest_configure(self, config: pytest.Config) -> None:
        """Wrap every sanitized text of nbval in a :class:`TolerantText`.

        nbval is imported here, not at the top: pytest rewrites the asserts of the plugins it loads,
        which it can only do for modules not imported before it starts.
        """
        from nbval.plugin import IPyNbCell

        original = self.original_sanitize = IPyNbCell.sanitize
        tolerant = type("TolerantText", (TolerantText,), {"rtol": self.rtol})

        def sanitize(cell: IPyNbCell, text: object) -> object:
            text = original(cell, text)
            return tolerant(text) if isinstance(text, str) else text

        IPyNbCell.sanitize = sanitize

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """Give nbval its own sanitizing back."""
        from nbval.plugin import IPyNbCell

        if self.original_sanitize is not None:
            IPyNbCell.sanitize = self.original_sanitize

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        """Attribute the differences tolerated while ``item`` ran to it."""
        _seen.clear()
        yield
        if _seen:
            self.tolerated.append((f"{item.location[0]}::{item.name}", max(_seen, key=lambda d: d.relative)))
        _seen.clear()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Add each phase's seconds to its notebook's (kernel start is the first cell's setup)."""
        notebook = report.location[0]
        self.seconds[notebook] += report.duration
        if report.when == "call":
            self.cells[notebook] += 1
        if report.failed:
            self.failed.add(notebook)

    def pytest_terminal_summary(self, terminalreporter, exitstatus: int, config: pytest.Config) -> None:
        """Seconds per notebook, then the cells that matched only within the tolerance."""
        write = terminalreporter.write_line
        terminalreporter.section("seconds per notebook")
        width = max((len(n) for n in self.seconds), default=8)
        for notebook, seconds in self.seconds.items():
            verdict = "FAILED" if notebook in self.failed else "passed"
            write(f"{notebook:<{width}}  {self.cells[notebook]:3d} cells  {seconds:7.1f} s  {verdict}")
        write(f"{'all':<{width}}  {sum(self.cells.values()):3d} cells  {sum(self.seconds.values()):7.1f} s")
        terminalreporter.section(f"outputs equal within the tolerance (rtol {self.rtol:g}), not exactly")
        for nodeid, difference in self.tolerated:
            write(f"{nodeid}: {difference.reference} vs {difference.test} (relative {difference.relative:.1e})")
        if not self.tolerated:
            write("none: every compared output was equal after sanitizing")
        if self.times_path:
            self.times_path.write_text(json.dumps({"seconds": self.seconds, "cells": self.cells}, indent=2))
