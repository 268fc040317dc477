"""Every lesson notebook follows the course conventions that nbval alone cannot see."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_course_has_its_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00-introduction.ipynb"


def test_notebook_is_valid_and_every_cell_has_a_slide_type(notebook):
    nbformat.validate(notebook)
    assert notebook.metadata.get("title"), "a deck title in metadata.title"
    assert all(c.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES for c in notebook.cells)
    assert notebook.cells[0].metadata.slideshow.slide_type == "slide"


def test_outputs_come_from_one_full_run_in_order(notebook):
    counts = [c.execution_count for c in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make execute NB=...`"
    assert not [o for c in code_cells(notebook) for o in c.outputs if o.output_type == "error"]


def test_figures_are_png_and_never_cleared(notebook):
    mimetypes = {m for c in code_cells(notebook) for o in c.outputs for m in o.get("data", {})}
    assert "image/svg+xml" not in mimetypes, "nbval compares SVG as text: use PNG"
    sources = "\n".join(c.source for c in code_cells(notebook))
    assert "clear_output" not in sources and "Animator" not in sources, "use d2l_utils.LivePlot"


def test_random_sources_are_seeded_before_use(notebook):
    first_code = code_cells(notebook)[0].source if code_cells(notebook) else ""
    sources = "\n".join(c.source for c in code_cells(notebook))
    if "random" in sources or "load_data" in sources or "initialize" in sources:
        assert re.search(r"seed_everything\(\d+\)", sources.split("random")[0] + first_code)


def test_ends_with_exercises_and_hidden_solutions(notebook):
    headings = [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and "## Exercises" in c.source]
    assert headings, "an Exercises slide"
    exercises = notebook.cells[headings[-1]].source
    assert len(re.findall(r"^\d+\.", exercises, flags=re.M)) >= 3
    solutions = [c for c in notebook.cells[headings[-1] + 1 :] if c.metadata.slideshow.slide_type != "notes"]
    assert len(solutions) >= 3
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in solutions), "solutions start collapsed"
    assert all(c.metadata.slideshow.slide_type == "skip" for c in solutions), "solutions stay out of the slides"
