"""Every lesson notebook of both tracks follows the course conventions that nbval alone cannot see."""

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
# Each track's notebooks: MXNet's (notebooks/) and PyTorch's (notebooks-pytorch/).
TRACK_DIRS = [REPO / "notebooks", REPO / "notebooks-pytorch"]
NOTEBOOKS = sorted(p for d in TRACK_DIRS for p in d.glob("*.ipynb"))
SOLUTIONS = sorted(p for d in TRACK_DIRS for p in (d / "solutions").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
SOLUTION_MARK = re.compile(r"^\*\*Solution (\d+)\.\*\*", re.M)


def solutions_path(lesson: Path) -> Path:
    return lesson.parent / "solutions" / f"{lesson.stem}-solutions.ipynb"


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO).with_suffix("")) for p in paths]


@pytest.fixture(params=NOTEBOOKS, ids=ids(NOTEBOOKS))
def notebook(request):
    return nbformat.read(request.param, as_version=4)


@pytest.fixture(params=NOTEBOOKS + SOLUTIONS, ids=ids(NOTEBOOKS + SOLUTIONS))
def any_notebook(request):
    """Every notebook that nbval checks: the lessons and their solutions."""
    return nbformat.read(request.param, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("track", TRACK_DIRS, ids=[d.name for d in TRACK_DIRS])
def test_each_track_has_its_notebooks(track):
    lessons = sorted(track.glob("*.ipynb"))
    assert lessons and lessons[0].name == "00-introduction.ipynb"


def test_notebook_is_valid_and_every_cell_has_a_slide_type(notebook):
    nbformat.validate(notebook)
    assert notebook.metadata.get("title"), "a deck title in metadata.title"
    assert all(c.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES for c in notebook.cells)
    assert notebook.cells[0].metadata.slideshow.slide_type == "slide"


def test_outputs_come_from_one_full_run_in_order(any_notebook):
    counts = [c.execution_count for c in code_cells(any_notebook)]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make execute NB=...`"
    assert not [o for c in code_cells(any_notebook) for o in c.outputs if o.output_type == "error"]


def test_figures_are_png_and_never_cleared(any_notebook):
    mimetypes = {m for c in code_cells(any_notebook) for o in c.outputs for m in o.get("data", {})}
    assert "image/svg+xml" not in mimetypes, "nbval compares SVG as text: use PNG"
    sources = "\n".join(c.source for c in code_cells(any_notebook))
    assert "clear_output" not in sources and "Animator" not in sources, "use d2l_utils.LivePlot"


# Code that draws random numbers: shuffled data, initialized parameters, random tensors (both tracks).
RANDOM_USE = re.compile(r"random|load_data|initialize|torch\.rand|torch\.normal|nn\.Linear")


def test_random_sources_are_seeded_before_use(notebook):
    first_code = code_cells(notebook)[0].source if code_cells(notebook) else ""
    sources = "\n".join(c.source for c in code_cells(notebook))
    if first_use := RANDOM_USE.search(sources):
        assert re.search(r"seed_everything\(\d+\)", sources[: first_use.start()] + first_code)


def exercises_cell(nb) -> nbformat.NotebookNode:
    headings = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Exercises")]
    assert len(headings) == 1, "one Exercises cell"
    return headings[0]


def test_ends_with_exercises_and_keeps_no_solution(notebook):
    exercises = exercises_cell(notebook)
    assert len(re.findall(r"^\d+\.", exercises.source, flags=re.M)) >= 3
    assert notebook.cells.index(exercises) >= len(notebook.cells) - 3, "the Exercises slide ends the lesson"
    revealing = [c.source[:40] for c in notebook.cells if SOLUTION_MARK.search(c.source)]
    assert not revealing, "solutions live in solutions/, where running the lesson cannot reveal them"


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_the_lesson_links_a_solution_for_every_exercise(lesson):
    nb = nbformat.read(lesson, as_version=4)
    target = solutions_path(lesson)
    link = f"(solutions/{target.name})"
    linking = [c for c in nb.cells if link in c.source]
    assert linking and all(c.metadata.slideshow.slide_type == "skip" for c in linking), "a link, not on a slide"
    solutions = nbformat.read(target, as_version=4)
    exercises = exercises_cell(nb).source
    assert exercises_cell(solutions).source == exercises, "the solutions notebook repeats the exercises verbatim"
    numbers = [int(n) for n in re.findall(r"^(\d+)\.", exercises, flags=re.M)]
    solved = [int(n) for c in solutions.cells if c.cell_type == "markdown" for n in SOLUTION_MARK.findall(c.source)]
    assert solved == numbers, "one worked solution per exercise, in order"
    code = code_cells(solutions)
    if code:
        assert code[0].source == f"%%capture\n%run ../{lesson.name}", "first, the lesson itself, quietly"
        assert f"[{lesson.name}](../{lesson.name})" in solutions.cells[0].source, "a link back to the lesson"


def test_every_solutions_notebook_belongs_to_a_lesson():
    assert [p.relative_to(REPO) for p in SOLUTIONS] == [solutions_path(p).relative_to(REPO) for p in NOTEBOOKS]
