"""``make notebooks``: each track's notebooks, generated from the lessons' one source.

Every lesson (and its solutions) is one MyST markdown file under ``lessons/``, read by jupytext,
which keeps each cell's metadata (slide types, tags). A cell tagged ``mxnet`` or ``pytorch``
belongs to that track alone; every other cell belongs to both. A track's notebook is the source's
cells for that track, its framework tag dropped, with deterministic cell ids; a source's
``track_metadata`` gives a track its own notebook metadata (a deck title naming its framework).
A notebook whose cells (type, source, metadata) already match keeps its stored outputs; the
others are rewritten without outputs and listed, for ``make execute`` to run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jupytext
import nbformat

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
# Where each track's notebooks live; MXNet, the course's design, is the default track.
TRACK_FOLDERS = {"mxnet": "notebooks", "pytorch": "notebooks-pytorch"}
TRACKS = tuple(TRACK_FOLDERS)
# Notebook metadata that stays out of the generated notebooks (jupytext's own bookkeeping).
DROPPED_METADATA = ("jupytext",)
# A source's per-track notebook metadata, e.g. ``track_metadata: {pytorch: {title: ...}}``:
# merged into that track's notebook metadata, over the shared keys.
TRACK_METADATA = "track_metadata"


def source_files(lessons: Path = LESSONS) -> list[Path]:
    """Every lesson source: ``lessons/NN-*.md`` and ``lessons/solutions/NN-*.md``."""
    return sorted(lessons.glob("[0-9][0-9]-*.md")) + sorted(lessons.glob("solutions/[0-9][0-9]-*.md"))


def notebook_path(source: Path, track: str, lessons: Path = LESSONS, repo: Path = REPO) -> Path:
    """Where ``track``'s notebook generated from ``source`` lives."""
    return repo / TRACK_FOLDERS[track] / source.relative_to(lessons).with_suffix(".ipynb")


def cell_tracks(cell: dict) -> set[str]:
    """The tracks a cell belongs to: those its tags name, or every track when they name none."""
    named = set(cell.get("metadata", {}).get("tags", [])) & set(TRACKS)
    return named or set(TRACKS)


def track_cell(cell: dict, track: str, index: int) -> dict:
    """``cell`` as ``track``'s notebook holds it: no framework tags, a deterministic id, no outputs."""
    metadata = dict(cell.get("metadata", {}))
    tags = [tag for tag in metadata.pop("tags", []) if tag not in TRACKS]
    if tags:
        metadata["tags"] = tags
    kind = cell["cell_type"]
    made = {"cell_type": kind, "id": f"c{index:03d}", "metadata": metadata, "source": cell["source"]}
    if kind == "code":
        made.update(execution_count=None, outputs=[])
    return made


def build_notebook(source: Path, track: str) -> nbformat.NotebookNode:
    """``track``'s notebook from the lesson source ``source``, without outputs."""
    if track not in TRACKS:
        raise ValueError(f"{track!r} is no track of the course: use one of {', '.join(TRACKS)}")
    text = jupytext.read(source, fmt="md:myst")
    cells = [cell for cell in text.cells if track in cell_tracks(cell)]
    metadata = {key: value for key, value in text.metadata.items() if key not in DROPPED_METADATA}
    metadata.update(metadata.pop(TRACK_METADATA, {}).get(track, {}))
    notebook = nbformat.v4.new_notebook(metadata=metadata)
    notebook.cells = [nbformat.from_dict(track_cell(cell, track, i)) for i, cell in enumerate(cells)]
    return notebook


def cell_signature(notebook: dict) -> list[tuple[str, str, str]]:
    """What the source decides about a notebook: each cell's type, source and metadata (no outputs)."""
    def source(cell: dict) -> str:
        text = cell["source"]
        return text if isinstance(text, str) else "".join(text)

    return [(c["cell_type"], source(c), json.dumps(c.get("metadata", {}), sort_keys=True)) for c in notebook["cells"]]


def differs(path: Path, wanted: nbformat.NotebookNode) -> bool:
    """True when the notebook at ``path`` is missing, or its cells or metadata are not ``wanted``'s."""
    if not path.exists():
        return True
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored_metadata = {k: v for k, v in stored["metadata"].items() if k != "language_info"}
    return cell_signature(stored) != cell_signature(wanted) or stored_metadata != dict(wanted.metadata)


def drifted(source: Path, track: str, lessons: Path = LESSONS, repo: Path = REPO) -> bool:
    """True when ``track``'s notebook for ``source`` is missing or no longer matches it."""
    return differs(notebook_path(source, track, lessons, repo), build_notebook(source, track))


def unexecuted(path: Path) -> bool:
    """True when a code cell of the notebook at ``path`` never ran (its run was interrupted, say)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(cell["cell_type"] == "code" and cell.get("execution_count") is None for cell in cells)


def write_track(track: str, lessons: Path = LESSONS, repo: Path = REPO) -> list[Path]:
    """Regenerate ``track``'s drifted notebooks (outputs cleared); return them and any not yet run."""
    stale = []
    for source in source_files(lessons):
        path = notebook_path(source, track, lessons, repo)
        wanted = build_notebook(source, track)
        if differs(path, wanted):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".ipynb.partial")
            nbformat.write(wanted, partial)
            partial.replace(path)
        if unexecuted(path):
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check only list) the track's notebooks that drifted from their sources."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--track", choices=TRACKS, required=True)
    parser.add_argument("--check", action="store_true", help="only list the drifted notebooks; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        sources = source_files(LESSONS)
        stale = [notebook_path(s, args.track, LESSONS, REPO) for s in sources if drifted(s, args.track, LESSONS, REPO)]
        for path in stale:
            print(f"{path.relative_to(REPO)} drifted from its source: run `make notebooks`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_track(args.track, LESSONS, REPO):
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
