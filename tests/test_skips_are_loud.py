"""A check that cannot run says so: under CI=true it fails, elsewhere `make test` ends by naming it."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SKIPPING_TESTS = '''
import pytest

def test_needs_a_browser():
    pytest.skip("browser tests need Chromium")

@pytest.mark.ci_may_skip
def test_needs_a_gpu():
    pytest.skip("needs a GPU")

def test_runs():
    pass
'''


def run_pytest(tmp_path: Path, ci: str | None, **extra_env: str) -> subprocess.CompletedProcess:
    """Run three tests (two skip) under the course's conftest, with CI set to ``ci``."""
    suite = tmp_path / "tests"
    suite.mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "conftest.py", suite)
    (suite / "test_example.py").write_text(SKIPPING_TESTS)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "D2L_SKIPPED_TESTS")} | ({"CI": ci} if ci else {})
    env |= extra_env
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_under_ci_a_skip_fails_unless_ci_may_skip_it(tmp_path):
    result = run_pytest(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed, 1 skipped" in result.stdout
    assert "skipped under CI=true, where every check must run: browser tests need Chromium" in result.stdout


def test_elsewhere_skips_pass_and_are_written_down_by_reason(tmp_path):
    result = run_pytest(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 2 skipped" in result.stdout
    written = (tmp_path / "test-artifacts" / "skipped-tests.txt").read_text().splitlines()
    assert sorted(line.split(": ", 1)[1] for line in written) == ["browser tests need Chromium", "needs a GPU"]


def test_the_pytorch_tracks_run_writes_its_skips_to_a_file_of_its_own(tmp_path):
    own = tmp_path / "skipped-pytorch.txt"
    assert run_pytest(tmp_path, ci=None, D2L_SKIPPED_TESTS=str(own)).returncode == 0
    assert "needs a GPU" in own.read_text()
    assert not (tmp_path / "test-artifacts" / "skipped-tests.txt").exists()


def make_test_prerequisites() -> list[str]:
    """What `make test` runs first, read from the Makefile (all assumed done here, only the summary runs)."""
    line = re.search(r"^test: (.*?) ##", (ROOT / "Makefile").read_text(), flags=re.M)
    return line.group(1).split()


def test_make_test_ends_with_the_skipped_checks(tmp_path):
    skipped = tmp_path / "skipped.txt"
    skipped.write_text("   31 skipped: browser tests need Chromium and chromedriver\n")
    prerequisites = make_test_prerequisites()
    assert {"unit", "nbval", "unit-pytorch", "nbval-pytorch"} <= set(prerequisites)
    result = subprocess.run(
        ["make", "-s", *[f"--assume-old={p}" for p in prerequisites], "test", f"SKIPPED_TESTS={skipped}",
         f"PYTORCH_SKIPPED_TESTS={tmp_path / 'none.txt'}"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MAKEFLAGS=""), timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-2:] == [
        "make test passed, but these checks did not run (install what each names, then rerun):",
        "   31 skipped: browser tests need Chromium and chromedriver",
    ]
    skipped.write_text("")
    quiet = subprocess.run(
        ["make", "-s", *[f"--assume-old={p}" for p in prerequisites], "test", f"SKIPPED_TESTS={skipped}",
         f"PYTORCH_SKIPPED_TESTS={tmp_path / 'none.txt'}"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MAKEFLAGS=""), timeout=60,
    )  # fmt: skip
    assert quiet.stdout.strip() == ""
    (tmp_path / "none.txt").write_text("    2 skipped: needs a GPU\n")
    pytorch = subprocess.run(
        ["make", "-s", *[f"--assume-old={p}" for p in prerequisites], "test", f"SKIPPED_TESTS={skipped}",
         f"PYTORCH_SKIPPED_TESTS={tmp_path / 'none.txt'}"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, MAKEFLAGS=""), timeout=60,
    )  # fmt: skip
    assert pytorch.stdout.strip().splitlines()[-1] == "    2 skipped: needs a GPU"
