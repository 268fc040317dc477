"""``make site``: the course as a static web site that works offline.

The site holds every lesson as an HTML page with its stored outputs, each lesson's worked
solutions on a page of its own (each solution folded in a ``<details>`` element until opened,
linked from the lesson's exercises), the slide decks and their PDFs (a copy of slides/build/
from ``make slides-pdf``), the student edition's zip (``make student``) and an index page with
the course map. nbconvert's HTML pages load require.js, MathJax and mermaid from CDNs; these
load nothing from the web: MathJax comes from the decks' local copy, the rest is left out.

The site is built in a temporary folder beside its destination and moved into place only when
complete, so an interrupted build leaves the previous site (or none), never half of one.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mistune
import nbformat
from nbconvert import HTMLExporter

from edition.student import lessons
from slides.build_slides import COURSE, MATHJAX_CONFIG, Deck

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
SOLUTIONS = "solutions"
# Where things go inside the site.
LESSONS_DIR = "lessons"
SLIDES_DIR = "slides"

# A worked solution opens with a markdown cell "**Solution k.** ..." and runs to the next one.
SOLUTION_START = re.compile(r"\s*\*\*Solution (\d+)\.\*\*")
# A markdown link to another notebook of the course, e.g. (solutions/01-ndarray-solutions.ipynb).
NOTEBOOK_LINK = re.compile(r"\]\((?![a-z]+:)([^)\s]+)\.ipynb(#[^)\s]*)?\)")


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course: its notebook, title, one-line summary and solutions notebook."""

    notebook: Path
    title: str
    summary: str
    solutions: Path

    @property
    def page(self) -> str:
        """The lesson's page, relative to the site's root."""
        return f"{LESSONS_DIR}/{self.notebook.stem}.html"

    @property
    def solutions_page(self) -> str:
        """The page of its worked solutions, relative to the site's root."""
        return f"{LESSONS_DIR}/{SOLUTIONS}/{self.solutions.stem}.html"

    def deck_in(self, folder: Path) -> Deck:
        """Its slide deck as ``make slides`` writes it into ``folder``."""
        return Deck(self.notebook, self.title, folder / f"{self.notebook.stem}.html")

    @property
    def deck(self) -> str:
        """Its slide deck, relative to the site's root."""
        return self.deck_in(Path(SLIDES_DIR)).html.as_posix()

    @property
    def pdf(self) -> str:
        """Its slides as PDF, relative to the site's root."""
        return self.deck_in(Path(SLIDES_DIR)).pdf.as_posix()


def summary(nb: nbformat.NotebookNode) -> str:
    """The lesson in one line, from its title slide: the numbered outline items joined with
    semicolons, or, where the title slide has no outline, its first paragraph of prose."""
    first = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    items = re.findall(r"^\d+\.\s+(.+)$", first, flags=re.MULTILINE)
    if items:
        return "; ".join(items)
    paragraphs = [p.strip() for p in first.split("\n\n")]
    prose = [p for p in paragraphs if p and not p.startswith(("#", "|", "-", "*", "1."))]
    if not prose:
        raise SystemExit("a lesson's first cell has neither an outline nor a paragraph to summarize it")
    return " ".join(prose[0].split())


def read_lesson(notebook: Path) -> Lesson:
    """The lesson of ``notebook``; stops with a clear message if its solutions notebook is missing."""
    nb = nbformat.read(notebook, as_version=4)
    solutions = notebook.parent / SOLUTIONS / f"{notebook.stem}-solutions.ipynb"
    if not solutions.exists():
        raise SystemExit(f"{notebook.name}: its solutions notebook {solutions} is missing")
    return Lesson(notebook, nb.metadata.get("title", notebook.stem), summary(nb), solutions)


def link_pages(nb: nbformat.NotebookNode) -> None:
    """Point the markdown links between notebooks at their pages (``x.ipynb`` -> ``x.html``)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(r"](\1.html\2)", cell.source)


def fold_solutions(nb: nbformat.NotebookNode, notebook: Path) -> None:
    """Mark the cells of each worked solution (from its "**Solution k.**" cell to the next) for
    the template, which folds them into ``<details>``."""
    starts = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and SOLUTION_START.match(c.source)]
    if not starts:
        raise SystemExit(f"{notebook}: no worked solution found (a markdown cell starting **Solution 1.**)")
    for start, end in zip(starts, [*starts[1:], len(nb.cells)], strict=True):
        number = int(SOLUTION_START.match(nb.cells[start].source).group(1))
        nb.cells[start].metadata["site"] = {"solution_opens": number}
        nb.cells[end - 1].metadata.setdefault("site", {})["solution_closes"] = True


def render_page(notebook: Path, page: Path, root: str, nav: list[tuple[str, str]], solutions: bool) -> None:
    """Render ``notebook`` with its stored outputs to ``page``; ``root`` is the relative path from
    the page to the site's root, ``nav`` the links at its top."""
    nb = nbformat.read(notebook, as_version=4)
    link_pages(nb)
    if solutions:
        fold_solutions(nb, notebook)
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="site",
        mathjax_url=f"{root}{SLIDES_DIR}/assets/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
    )
    resources = {"metadata": {"name": notebook.stem}, "site": {"nav": nav}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")


def render_lesson(lesson: Lesson, site: Path) -> None:
    """Write the lesson's page and its solutions page into ``site``."""
    render_page(
        lesson.notebook,
        site / lesson.page,
        "../",
        [("Course map", "../index.html"), ("Slides", f"../{lesson.deck}"), ("PDF", f"../{lesson.pdf}"),
         ("Solutions", f"../{lesson.solutions_page}")],
        solutions=False,
    )  # fmt: skip
    render_page(
        lesson.solutions,
        site / lesson.solutions_page,
        "../../",
        [("Course map", "../../index.html"), (f"Lesson: {lesson.title}", f"../{lesson.notebook.stem}.html")],
        solutions=True,
    )


def inline_markdown(text: str) -> str:
    """``text`` (one line of markdown: bold, code) as inline HTML."""
    rendered = mistune.create_markdown(escape=True)(text).strip()
    return rendered.removeprefix("<p>").removesuffix("</p>")


def write_index(lessons_: list[Lesson], student_zip: str, site: Path) -> None:
    """Write the site's ``index.html``: the course map and the student edition's download."""
    rows = []
    for lesson in lessons_:
        rows.append(
            f'<li><h2><a href="{lesson.page}">{html.escape(lesson.title)}</a></h2>'
            f'<p class="summary">{inline_markdown(lesson.summary)}</p>'
            f'<p class="links"><a href="{lesson.page}">Lesson</a> · <a href="{lesson.deck}">Slides</a>'
            f' · <a href="{lesson.pdf}">Slides (PDF)</a> · <a href="{lesson.solutions_page}">Solutions</a>'
            f" <small>({html.escape(lesson.notebook.name)})</small></p></li>"
        )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(COURSE)}</title>
<style>
body {{ font-family: sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
ol.course-map h2 {{ font-size: 1.15em; margin: 1.2em 0 .2em; }}
ol.course-map p {{ margin: .2em 0; }}
small {{ color: #666; }}
.download {{ background: #f3f6fa; border: 1px solid #cdd8e6; border-radius: 4px; padding: .8em 1em; }}
</style>
</head>
<body>
<h1>{html.escape(COURSE)}</h1>
<p>Every lesson is a Jupyter notebook, shown here with the outputs of its last run, beside its slides
(a Reveal.js deck, and a PDF) and the worked solutions of its exercises. Everything on this site
works offline.</p>
<p class="download"><strong>Student edition:</strong> <a href="{student_zip}" download>{html.escape(student_zip)}</a>,
the lesson notebooks without outputs and without solutions, to run yourself.
All decks on one page: <a href="{SLIDES_DIR}/index.html">slides</a>.</p>
<ol class="course-map" start="0">
{chr(10).join(rows)}
</ol>
</body>
</html>
"""
    (site / "index.html").write_text(page, encoding="utf-8")


def check_inputs(lessons_: list[Lesson], slides: Path, student_zip: Path) -> None:
    """Stop with the command to run if the decks, their PDFs or the student edition are missing."""
    decks = [lesson.deck_in(slides) for lesson in lessons_]
    missing = [path for deck in decks for path in (deck.html, deck.pdf) if not path.exists()]
    if missing or not (slides / "index.html").exists():
        raise SystemExit(f"the decks or their PDFs are missing ({', '.join(map(str, missing))}): run `make slides-pdf`")
    if not student_zip.exists():
        raise SystemExit(f"{student_zip} is missing: run `make student`")


def build(notebooks: Path, slides: Path, student_zip: Path, dest: Path) -> Path:
    """Build the site from ``notebooks``, the built decks in ``slides`` and ``student_zip`` into
    ``dest``, replacing any previous site only once the new one is complete."""
    found = [read_lesson(notebook) for notebook in lessons(notebooks)]
    if not found:
        raise SystemExit(f"no lessons (NN-*.ipynb) in {notebooks}")
    check_inputs(found, slides, student_zip)
    dest.parent.mkdir(parents=True, exist_ok=True)
    for leftover in dest.parent.glob(f".{dest.name}-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        shutil.copytree(slides, staging / SLIDES_DIR, ignore=shutil.ignore_patterns(".*"))  # not make's stamps
        shutil.copy2(student_zip, staging / student_zip.name)
        for lesson in found:
            render_lesson(lesson, staging)
        write_index(found, student_zip.name, staging)
        staging.chmod(0o755)
        old = staging.with_name(staging.name + "-old")
        if dest.exists():
            dest.replace(old)
        staging.replace(dest)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest / "index.html"


def main() -> None:
    """Command line of ``make site``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--slides", type=Path, default=REPO / "slides" / "build", help="the built decks and PDFs")
    parser.add_argument("--student-zip", type=Path, default=REPO / "dist" / "d2l-in-1-day-student.zip")
    parser.add_argument("--dest", type=Path, default=REPO / "dist" / "site")
    args = parser.parse_args()
    index = build(args.notebooks, args.slides, args.student_zip, args.dest)
    print(f"course site: {index}")


if __name__ == "__main__":
    main()
