"""Every lesson runs on its core path alone, with the cells of its optional slides left out.

An instructor may skip the optional slides and a learner may skip running them, so the core
slides and the `skip` cells (setup and checks) must not use a name that only an optional slide
defines, nor depend on the random draws an optional slide makes. The one exception is explicit:
a code cell on an optional slide tagged `core-setup` (data or a function that a core slide uses,
shown on the optional slide for those who want to see how it is made) stays on the core path.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from slides.build_slides import is_optional_start, slide_type

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


CORE_SETUP = "core-setup"


def core_path(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without its optional slides: each ``Optional:`` subslide cell and every
    cell after it up to the next ``slide`` or ``subslide`` cell (notes and `skip` cells too),
    except the code cells tagged ``core-setup``."""
    kept, optional = [], False
    for cell in nb.cells:
        if slide_type(cell) in ("slide", "subslide"):
            optional = is_optional_start(cell)
        if not optional or CORE_SETUP in cell.get("metadata", {}).get("tags", []):
            kept.append(cell)
    core = nbformat.from_dict(nb)
    core.cells = [nbformat.from_dict(cell) for cell in kept]
    return core


def cell(source: str, slide: str, cell_type: str = "markdown", tags=()) -> nbformat.NotebookNode:
    make = nbformat.v4.new_markdown_cell if cell_type == "markdown" else nbformat.v4.new_code_cell
    return make(source, metadata={"slideshow": {"slide_type": slide}, "tags": list(tags)})


def test_core_path_leaves_out_exactly_the_optional_slides():
    nb = nbformat.v4.new_notebook(cells=[
        cell("# Lesson", "slide"),
        cell("x = 1", "skip", "code"),
        cell("### Optional: a deep dive", "subslide"),
        cell("y = x + 1", "fragment", "code"),
        cell("more about y", "notes"),
        cell("assert y == 2", "skip", "code"),
        cell("data = [x]", "-", "code", tags=["core-setup"]),
        cell("## Optional: only a heading of a core slide", "slide"),
        cell("z = x", "fragment", "code"),
        cell("### Core subslide", "subslide"),
        cell("print(z)", "-", "code"),
    ])
    sources = [c.source for c in core_path(nb).cells]
    assert sources == ["# Lesson", "x = 1", "data = [x]", "## Optional: only a heading of a core slide",
                       "z = x", "### Core subslide", "print(z)"]
    assert len(nb.cells) == 11, "the notebook itself is left as it was"


def run_core_path(lesson: Path) -> None:
    """Run ``lesson``'s core path in a fresh kernel, in the lesson's folder (each track's tests call this)."""
    core = core_path(nbformat.read(lesson, as_version=4))
    for code in (c for c in core.cells if c.cell_type == "code"):
        code.outputs, code.execution_count = [], None
    client = NotebookClient(core, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(lesson.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, if a core or skip cell fails
    ran = [c for c in core.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in ran), "every cell of the core path ran"


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_without_its_optional_slides(lesson: Path):
    run_core_path(lesson)
