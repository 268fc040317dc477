"""`make student`: the lessons without outputs and without any trace of their solutions.

Built from the real lessons into a temporary folder. `make test-student` also executes the
edition (nbval-lax).
"""

import json
import zipfile
from pathlib import Path

import pytest

from edition.student import lessons, write_edition

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("edition") / "student"
    write_edition(NOTEBOOKS, dest)
    return dest


def test_every_lesson_and_nothing_else(edition):
    assert SOLUTIONS, "the lessons have no solutions notebooks to leave out"
    assert sorted(p.name for p in edition.iterdir()) == sorted([p.name for p in lessons(NOTEBOOKS)] + ["rise.css"])
    with zipfile.ZipFile(edition.with_suffix(".zip")) as zipped:
        assert sorted(zipped.namelist()) == sorted(f"student/{p.name}" for p in edition.iterdir())


def test_no_outputs_and_no_execution_counts(edition):
    for lesson in lessons(edition):
        for cell in cells(lesson):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, lesson.name


def test_no_solution_and_no_link_to_one(edition):
    for solution in SOLUTIONS:
        lesson = edition / solution.name.replace("-solutions", "")
        kept = "\n".join(text(cell) for cell in cells(lesson))
        assert "solutions" not in kept.lower() and "**Solution" not in kept, lesson.name
        # Every worked solution (the solutions notebook's code and prose, past its copy of the
        # exercises and the line that reruns the lesson) is absent from the edition.
        for cell in cells(solution):
            body = text(cell).strip()
            if body and not body.startswith(("## Exercises", "%%capture", "# Solutions")):
                assert body not in kept, f"{lesson.name} holds a solution: {body[:80]}"


def test_exercises_stay_with_the_same_slide_metadata(edition):
    for lesson in lessons(NOTEBOOKS):
        source = json.loads(lesson.read_text(encoding="utf-8"))
        student = json.loads((edition / lesson.name).read_text(encoding="utf-8"))
        assert student["metadata"] == source["metadata"]
        kept = [cell for cell in source["cells"] if "solutions/" not in text(cell)]
        assert [(c["cell_type"], text(c), c["metadata"]) for c in student["cells"]] == [
            (c["cell_type"], text(c), c["metadata"]) for c in kept
        ]
        assert any(text(c).startswith("## Exercises") for c in student["cells"]), lesson.name
