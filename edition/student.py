"""``make student``: the student edition of the lessons, ready to hand out.

Each lesson loses its stored outputs and every cell that points at its solutions (the link after
the Exercises slide, speaker notes naming the solutions notebook); the exercises stay, and every
kept cell keeps its slide metadata. The solutions folder is left out. The edition is written to a
temporary folder first and moved into place only when complete, then zipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = "solutions"
# Files that lessons need beside them (RISE reads rise.css next to the notebook).
LESSON_ASSETS = ("rise.css",)


def mentions_solutions(cell: dict) -> bool:
    """True for a cell that links to, or names, the solutions folder."""
    return f"{SOLUTIONS}/" in "".join(cell["source"])


def student_notebook(notebook: dict) -> dict:
    """``notebook`` without outputs, execution counts and cells that point at its solutions."""
    cells = []
    for cell in notebook["cells"]:
        if mentions_solutions(cell):
            continue
        cell = dict(cell)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    return {**notebook, "cells": cells}


def lessons(notebooks: Path) -> list[Path]:
    """The lesson notebooks (NN-name.ipynb), not their solutions."""
    return sorted(notebooks.glob("[0-9][0-9]-*.ipynb"))


def write_edition(notebooks: Path, dest: Path) -> Path:
    """Write the student edition of ``notebooks`` into ``dest`` and ``dest``.zip; return the zip."""
    found = lessons(notebooks)
    if not found:
        raise SystemExit(f"no lessons (NN-*.ipynb) in {notebooks}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        staging = Path(tmp) / dest.name
        staging.mkdir()
        for lesson in found:
            edition = student_notebook(json.loads(lesson.read_text(encoding="utf-8")))
            text = json.dumps(edition, indent=1, ensure_ascii=False) + "\n"
            (staging / lesson.name).write_text(text, encoding="utf-8")
        for asset in LESSON_ASSETS:
            shutil.copy2(notebooks / asset, staging / asset)
        archive = Path(tmp) / "edition.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(staging.iterdir()):
                zipped.write(path, f"{dest.name}/{path.name}")
        shutil.rmtree(dest, ignore_errors=True)
        staging.replace(dest)
        archive.replace(dest.with_suffix(".zip"))
    return dest.with_suffix(".zip")


def main() -> None:
    """Command line of ``make student``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--dest", type=Path, default=REPO / "dist" / "d2l-in-1-day-student")
    args = parser.parse_args()
    archive = write_edition(args.notebooks, args.dest)
    print(f"student edition: {args.dest}/ and {archive}")


if __name__ == "__main__":
    main()
