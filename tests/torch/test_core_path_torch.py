"""Every lesson of the PyTorch track runs on its core path alone, its optional slides left out.

The same check as the MXNet track's (tests/test_core_path.py, which also shows ``core_path``
leaving out exactly the optional slides), on notebooks-pytorch/, in the PyTorch track's
environment: the two tracks' cells differ, so each track's core path is run on its own.
"""

from pathlib import Path

import pytest

from tests.test_core_path import run_core_path

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks-pytorch"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_pytorch_track_has_lessons():
    assert NOTEBOOKS, "no notebooks in notebooks-pytorch/: `make notebooks`"


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_without_its_optional_slides(lesson: Path):
    run_core_path(lesson)
