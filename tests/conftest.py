"""Shared fixtures (tiny IDX files written on the fly, the real MNIST directory), and skips made loud.

A skipped test is a check that did not run. Under ``CI=true`` it fails instead, unless it is marked
``ci_may_skip`` (the GPU route, which CI never installs). Every run writes its skips, grouped by
reason, to test-artifacts/skipped-tests.txt, which ``make test`` prints at its end.
"""

from __future__ import annotations

import collections
import gzip
import os
from importlib.util import find_spec
from pathlib import Path

import numpy as onp
import pytest
from matplotlib import pyplot as plt

from d2l_utils.datasets import MNIST_MD5, data_dir, md5_hex

# The MXNet track's tests use MXNet's NumPy semantics; the PyTorch track's (tests/torch, run in
# .venv-pytorch, which holds no MXNet) share these fixtures and the rule on skips.
if find_spec("mxnet") is not None:
    from mxnet import npx

    npx.set_np()

# `make unit-pytorch` names another file (D2L_SKIPPED_TESTS), so that each track's run keeps its own list.
DEFAULT_SKIPPED_TESTS_FILE = Path(__file__).resolve().parent.parent / "test-artifacts" / "skipped-tests.txt"
SKIPPED_TESTS_FILE = Path(os.environ.get("D2L_SKIPPED_TESTS") or DEFAULT_SKIPPED_TESTS_FILE)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ci_may_skip: a skip that CI expects, e.g. the GPU route it never installs")


def skip_reason(report: pytest.TestReport) -> str:
    return report.longrepr[2].removeprefix("Skipped: ") if isinstance(report.longrepr, tuple) else str(report.longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Under CI=true, a skip without the ``ci_may_skip`` mark is a failure: the check must run there."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and running_in_ci():
        if item.get_closest_marker("ci_may_skip") is None:
            report.outcome = "failed"
            report.longrepr = f"skipped under CI=true, where every check must run: {skip_reason(report)}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Write the skipped tests, grouped by reason, for ``make test`` to show last."""
    reasons = collections.Counter(skip_reason(r) for r in terminalreporter.stats.get("skipped", []))
    SKIPPED_TESTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    SKIPPED_TESTS_FILE.write_text("".join(f"  {n:3d} skipped: {reason}\n" for reason, n in reasons.most_common()))


def idx_bytes(array: onp.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(onp.uint8).tobytes()


@pytest.fixture
def tiny_idx_dataset(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, onp.ndarray]]:
    """A 6-train / 2-test data set of 28x28 images on disk, with its MD5 table."""
    rng = onp.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (6, 28, 28), dtype=onp.uint8),
        "train-labels-idx1-ubyte": onp.arange(6, dtype=onp.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (2, 28, 28), dtype=onp.uint8),
        "t10k-labels-idx1-ubyte": onp.array([7, 9], dtype=onp.uint8),
    }
    checksums = {}
    for name, array in arrays.items():
        raw = idx_bytes(array)
        (tmp_path / name).write_bytes(raw)
        (tmp_path / (name + ".gz")).write_bytes(gzip.compress(raw))
        checksums[name] = md5_hex(raw)
    return tmp_path, checksums, arrays


@pytest.fixture
def close_figures():
    """Close every figure a test drew (figure tests: ``pytest.mark.usefixtures("close_figures")``)."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The verified MNIST files of ``make data`` (which ``make test`` runs first)."""
    directory = data_dir()
    missing = [n for n in MNIST_MD5 if not (directory / n).exists()]
    if missing:
        pytest.fail(f"MNIST missing in {directory} ({', '.join(missing)}): run `make data` first")
    return directory
