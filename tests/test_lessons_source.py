"""The lessons' one source (lessons/*.md) and the two tracks' notebooks generated from it.

First the generator on a small source made here: framework-tagged cells go to their track alone,
the tag is dropped, and a notebook that drifted is found and rewritten. Then the course: every
track's notebook matches its source (cells and metadata; outputs are the run's), and both tracks
show the same slides.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from edition import lessons

SOURCES = lessons.source_files()
SOURCE_IDS = [str(s.relative_to(lessons.LESSONS).with_suffix("")) for s in SOURCES]

SMALL_SOURCE = """---
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
title: A small lesson
track_metadata:
  pytorch:
    title: A small lesson in PyTorch
---

+++ {"slideshow": {"slide_type": "slide"}}

# A small lesson

```{code-cell} ipython3
---
slideshow:
  slide_type: fragment
tags: [mxnet]
---
from mxnet import np
```

```{code-cell} ipython3
---
slideshow:
  slide_type: fragment
tags: [pytorch, nbval-ignore-output]
---
import torch
```

+++ {"slideshow": {"slide_type": "subslide"}, "tags": ["pytorch"]}

## Tensors in PyTorch

+++ {"slideshow": {"slide_type": "subslide"}, "tags": ["mxnet"]}

## Tensors in MXNet

```{code-cell} ipython3
print(1 + 1)
```
"""


@pytest.fixture
def small_course(tmp_path: Path) -> tuple[Path, Path]:
    """A repository holding one lesson source, ``lessons/01-small.md``; returns (lessons, repo)."""
    source = tmp_path / "lessons" / "01-small.md"
    source.parent.mkdir()
    source.write_text(SMALL_SOURCE, encoding="utf-8")
    return source.parent, tmp_path


def sources_of(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells]


def test_each_track_gets_its_tagged_cells_and_every_untagged_one(small_course):
    lessons_dir, _ = small_course
    source = lessons_dir / "01-small.md"
    mxnet = lessons.build_notebook(source, "mxnet")
    pytorch = lessons.build_notebook(source, "pytorch")
    assert sources_of(mxnet) == ["# A small lesson", "from mxnet import np", "## Tensors in MXNet", "print(1 + 1)"]
    assert sources_of(pytorch) == ["# A small lesson", "import torch", "## Tensors in PyTorch", "print(1 + 1)"]
    assert pytorch.cells[1].metadata == {"slideshow": {"slide_type": "fragment"}, "tags": ["nbval-ignore-output"]}
    assert "tags" not in mxnet.cells[1].metadata, "the framework tag is the source's, not the notebook's"
    assert [c.id for c in pytorch.cells] == ["c000", "c001", "c002", "c003"]
    assert mxnet.metadata == {"kernelspec": pytorch.metadata["kernelspec"], "title": "A small lesson"}
    assert pytorch.metadata["title"] == "A small lesson in PyTorch", "a track's own metadata"
    nbformat.validate(mxnet)


def test_an_unknown_track_is_refused_by_name(small_course):
    lessons_dir, _ = small_course
    with pytest.raises(ValueError, match=r"'tensorflow' is no track of the course: use one of mxnet, pytorch"):
        lessons.build_notebook(lessons_dir / "01-small.md", "tensorflow")


def test_writing_a_track_creates_then_keeps_then_rewrites_a_drifted_notebook(small_course):
    lessons_dir, repo = small_course
    source = lessons_dir / "01-small.md"
    notebook = repo / "notebooks-pytorch" / "01-small.ipynb"
    assert lessons.write_track("pytorch", lessons_dir, repo) == [notebook], "new, and not yet run"
    assert not lessons.drifted(source, "pytorch", lessons_dir, repo)

    ran = json.loads(notebook.read_text())
    for number, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = number + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "a real output\n"}]
    notebook.write_text(json.dumps(ran))
    assert lessons.write_track("pytorch", lessons_dir, repo) == [], "in step and run: nothing to do"
    assert "a real output" in notebook.read_text(), "a notebook in step keeps its outputs"

    source.write_text(SMALL_SOURCE.replace("print(1 + 1)", "print(2 + 2)"), encoding="utf-8")
    assert lessons.drifted(source, "pytorch", lessons_dir, repo)
    assert lessons.write_track("pytorch", lessons_dir, repo) == [notebook]
    assert "print(2 + 2)" in notebook.read_text() and "a real output" not in notebook.read_text()
    assert not list(notebook.parent.glob("*.partial")), "written whole, then moved into place"


def test_a_changed_cell_tag_or_notebook_title_is_drift(small_course):
    lessons_dir, repo = small_course
    source = lessons_dir / "01-small.md"
    lessons.write_track("mxnet", lessons_dir, repo)
    notebook = repo / "notebooks" / "01-small.ipynb"
    stored = json.loads(notebook.read_text())
    stored["cells"][1]["metadata"]["tags"] = ["nbval-ignore-output"]
    notebook.write_text(json.dumps(stored))
    assert lessons.drifted(source, "mxnet", lessons_dir, repo)
    lessons.write_track("mxnet", lessons_dir, repo)
    stored = json.loads(notebook.read_text())
    stored["metadata"]["title"] = "Another title"
    notebook.write_text(json.dumps(stored))
    assert lessons.drifted(source, "mxnet", lessons_dir, repo)


def test_the_check_names_each_drifted_notebook_and_the_fix(small_course, monkeypatch, capsys):
    lessons_dir, repo = small_course
    monkeypatch.setattr(lessons, "LESSONS", lessons_dir)
    monkeypatch.setattr(lessons, "REPO", repo)
    assert lessons.main(["--track", "mxnet", "--check"]) == 1
    assert "notebooks/01-small.ipynb drifted from its source: run `make notebooks`" in capsys.readouterr().err
    assert lessons.main(["--track", "mxnet"]) == 0
    assert lessons.main(["--track", "mxnet", "--check"]) == 0


# --------------------------------------------------------------------------------------------
# The course


def test_every_lesson_and_solutions_notebook_has_a_source():
    for track, folder in lessons.TRACK_FOLDERS.items():
        notebooks = sorted((lessons.REPO / folder).glob("**/*.ipynb"))
        expected = sorted(lessons.notebook_path(s, track) for s in SOURCES)
        assert notebooks == expected, f"{folder}/ holds exactly the notebooks lessons/ generates"


@pytest.mark.parametrize("track", lessons.TRACKS)
@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_the_notebook_is_what_its_source_generates(source, track):
    assert not lessons.drifted(source, track), f"edit {source.relative_to(lessons.REPO)}, then `make notebooks`"
    assert not lessons.unexecuted(lessons.notebook_path(source, track)), "run it: `make notebooks`"


# Slide headings may name the track's framework; otherwise both tracks' decks read the same. Each
# track's words for one thing become one placeholder (longer phrases first).
TRACK_WORDS = {
    "mxnet": [("Deep NumPy", "<arrays>"), ("`np.dot`", "<matmul>"), ("`hybridize()`", "<compile>"),
              ("Gluon", "<framework>"), ("MXNet", "<framework>")],
    "pytorch": [("PyTorch tensors", "<arrays>"), ("`torch.matmul`", "<matmul>"), ("`torch.compile`", "<compile>"),
                ("PyTorch", "<framework>")],
}


def slide_headings(notebook: nbformat.NotebookNode, track: str) -> list[str]:
    """The first line of every cell that opens a slide, the track's own words made placeholders."""
    headings = []
    for cell in notebook.cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide"):
            heading = cell.source.split("\n", 1)[0]
            for word, placeholder in TRACK_WORDS[track]:
                heading = heading.replace(word, placeholder)
            headings.append(heading)
    return headings


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_both_tracks_show_the_same_slides(source):
    mxnet, pytorch = (slide_headings(lessons.build_notebook(source, track), track) for track in lessons.TRACKS)
    assert pytorch == mxnet


def test_both_tracks_read_the_same_stylesheet():
    for folder in lessons.TRACK_FOLDERS.values():
        copy = lessons.REPO / folder / "rise.css"
        assert copy.read_bytes() == (lessons.LESSONS / "rise.css").read_bytes(), f"run `make notebooks` ({copy})"


def test_framework_tags_are_spelled_as_the_tracks():
    """A typo (``torch``, ``MXNet``) would put a cell in both tracks: only the tracks' names tag a framework."""
    lookalikes = re.compile(r"^(torch|pytorch|mxnet|gluon)$", re.I)
    for source in SOURCES:
        for cell in lessons.jupytext.read(source, fmt="md:myst").cells:
            odd = [t for t in cell.metadata.get("tags", []) if lookalikes.match(t) and t not in lessons.TRACKS]
            assert not odd, f"{source.name}: tag {odd} is none of {lessons.TRACKS}"

