"""`make site`: the course site, built once per session, read as files and in headless Chromium.

Every page (the index, each lesson, each lesson's solutions) is opened from disk in headless
Chromium that cannot resolve any host name, and must load with no request leaving the machine and
none failing. The index must map every lesson in order, and every link on it must resolve; a lesson
page must show its notebook's outputs (each figure drawn) and its math typeset, and link its
solutions from its exercises; each solution must stay folded until opened. The student edition's
zip on the site must hold every lesson and no solution. Screenshots go to test-artifacts/site/.
Building the site prints the decks to PDF, so without Chromium the whole module skips (loudly).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from edition import site as site_module
from edition.student import lessons
from slides import build_slides
from tests.test_slides import RAW_MATH_JS, network_events, remote_references

REPO = build_slides.REPO_DIR
NOTEBOOKS = build_slides.NOTEBOOKS_DIR
LESSONS = lessons(NOTEBOOKS)
SITE = REPO / "dist" / "site"
ARTIFACTS = REPO / "test-artifacts" / "site"
STUDENT_ZIP = "d2l-in-1-day-student.zip"

pytestmark = pytest.mark.skipif(
    build_slides.chromium_paths() is None,
    reason=f"the site (its PDFs) and its tests need Chromium and chromedriver: {build_slides.CHROMIUM_INSTALL_HINT}",
)

# Waits until the page is loaded and, where it loads MathJax, MathJax has typeset everything;
# answers "MathJax did not load" at once if the page's MathJax script did not run.
WAIT_FOR_PAGE_JS = """
var done = arguments[arguments.length - 1];
(function wait() {
    if (document.readyState !== "complete") { return setTimeout(wait, 50); }
    if (!document.querySelector("script[src*='MathJax.js']")) { return done("ready"); }
    if (!window.MathJax) { return done("MathJax did not load"); }
    if (!MathJax.isReady) { return setTimeout(wait, 50); }
    MathJax.Hub.Queue(function () { done("ready"); });
})();
"""

# What a lesson page shows: its outputs, figures (drawn, not broken), links and text.
PAGE_REPORT_JS = """
var outputs = document.querySelectorAll(".jp-OutputArea-output");
var images = Array.from(document.querySelectorAll(".jp-OutputArea-output img"));
return {
    outputs: outputs.length,
    images: images.length,
    images_drawn: images.filter(function (img) { return img.complete && img.naturalWidth > 0; }).length,
    links: Array.from(document.querySelectorAll("a[href]")).map(function (a) { return a.href; }),
    text: document.body.innerText
};
"""

# Scrolls the page's first figure in sight (not folded away) into view; answers whether there is one.
SCROLL_TO_FIGURE_JS = """
var figure = Array.from(document.querySelectorAll(".jp-OutputArea-output img")).find(function (img) {
    return img.checkVisibility();
});
if (figure) { figure.scrollIntoView({block: "center"}); }
return !!figure;
"""


def read(notebook: Path) -> nbformat.NotebookNode:
    return nbformat.read(notebook, as_version=4)


def solutions_notebook(lesson: Path) -> Path:
    return NOTEBOOKS / "solutions" / f"{lesson.stem}-solutions.ipynb"


def exercises(lesson: Path) -> int:
    """How many exercises the lesson's Exercises slide numbers."""
    cell = next(c for c in read(lesson).cells if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    return len(re.findall(r"^\d+\.\s", cell.source, flags=re.MULTILINE))


def notebook_pages() -> list[str]:
    """The pages of the lessons and of their solutions, relative to the site's root."""
    lesson_pages = [f"lessons/{lesson.stem}.html" for lesson in LESSONS]
    solution_pages = [f"lessons/solutions/{lesson.stem}-solutions.html" for lesson in LESSONS]
    return [*lesson_pages, *solution_pages]


def pages() -> list[str]:
    """Every page of the site but the decks themselves (tested by test_slides.py)."""
    return ["index.html", "slides/index.html", *notebook_pages()]


def local_file(url: str) -> Path:
    """The file a file:// URL points at (query and fragment dropped)."""
    parsed = urlparse(url)
    assert parsed.scheme == "file", f"not a file on this machine: {url}"
    return Path(unquote(parsed.path))


def show(browser, site: Path, page: str) -> None:
    """Open ``page`` of the site in the browser, unless it is open already, and wait until it is ready."""
    if browser.current_url != (site / page).as_uri():
        browser.get((site / page).as_uri())
        state = browser.execute_async_script(WAIT_FOR_PAGE_JS)
        assert state == "ready", f"{page}: {state}"


@pytest.fixture(scope="session")
def site() -> Path:
    """``make site``: the decks, their PDFs, the student edition and the site, as make sees fit."""
    result = subprocess.run(["make", "--no-print-directory", "site"], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`make site` failed:\n{result.stdout}\n{result.stderr}")
    return SITE


@pytest.fixture(scope="module")
def browser():
    with build_slides.headless_chromium() as driver:
        driver.set_script_timeout(120)
        yield driver


@pytest.fixture(scope="module")
def page_reports(site: Path, browser):
    """Each page opened once, on demand: its requests, console errors, math and what it shows,
    with a screenshot of its top."""
    reports: dict[str, dict] = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def report(page: str) -> dict:
        if page not in reports:
            network_events(browser)  # start both logs afresh
            browser.get_log("browser")
            browser.get("about:blank")
            show(browser, site, page)
            urls, failed = network_events(browser)
            errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            shot = ARTIFACTS / page.replace("/", "-").removesuffix(".html")
            browser.save_screenshot(f"{shot}.png")
            if browser.execute_script(SCROLL_TO_FIGURE_JS):
                browser.save_screenshot(f"{shot}-figure.png")
            reports[page] = {
                "urls": urls,
                "failed": failed,
                "console_errors": errors,
                "math": browser.execute_script(RAW_MATH_JS, "body"),
                **browser.execute_script(PAGE_REPORT_JS),
            }
        return reports[page]

    return report


# --------------------------------------------------------------------------------------------
# Built as files


def test_make_site_is_up_to_date_once_built(site: Path) -> None:
    """A second `make site` rebuilds nothing (make -q: exit 0 when up to date)."""
    assert subprocess.run(["make", "-q", "site"], cwd=REPO).returncode == 0


def test_site_holds_every_page_deck_pdf_and_the_student_zip(site: Path) -> None:
    for lesson in LESSONS:
        for path in (f"lessons/{lesson.stem}.html", f"lessons/solutions/{lesson.stem}-solutions.html",
                     f"slides/{lesson.stem}.html", f"slides/pdf/{lesson.stem}.pdf"):  # fmt: skip
            assert (site / path).stat().st_size > 10_000, path
    assert (site / "slides" / "assets" / "mathjax" / "MathJax.js").exists()
    assert (site / STUDENT_ZIP).exists()


@pytest.mark.parametrize("page", pages())
def test_page_names_nothing_on_the_web(site: Path, page: str) -> None:
    assert remote_references((site / page).read_text()) == []


def test_student_zip_holds_every_lesson_and_no_solution(site: Path) -> None:
    with zipfile.ZipFile(site / STUDENT_ZIP) as zipped:
        names = sorted(Path(name).name for name in zipped.namelist())
        texts = {name: zipped.read(name).decode() for name in zipped.namelist()}
    assert names == sorted([lesson.name for lesson in LESSONS] + ["rise.css"])
    worked = [
        cell.source.strip()
        for lesson in LESSONS
        for cell in read(solutions_notebook(lesson)).cells
        if cell.source.startswith("**Solution") or (cell.cell_type == "code" and "%run" not in cell.source)
    ]
    assert worked, "the solutions notebooks hold no worked solution to look for"
    for name, text in texts.items():
        assert "**Solution" not in text and "solutions/" not in text, name
        if name.endswith(".ipynb"):
            sources = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
            assert not [body for body in worked if body in sources], f"{name} holds a worked solution"
            assert all(cell.get("outputs", []) == [] for cell in json.loads(text)["cells"]), f"{name} has outputs"


def test_an_interrupted_build_leaves_the_previous_site(site: Path, tmp_path: Path, monkeypatch) -> None:
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "index.html").write_text("the previous site")
    (tmp_path / ".site-killed").mkdir()  # what a build killed outright leaves: the next one removes it

    def fail(*args) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(site_module, "render_lesson", fail)
    with pytest.raises(KeyboardInterrupt):
        site_module.build(NOTEBOOKS, REPO / "slides" / "build", site / STUDENT_ZIP, dest)
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "a half-built site was left behind"
    assert (dest / "index.html").read_text() == "the previous site"


def test_missing_pdfs_name_the_command_that_makes_them(site: Path, tmp_path: Path) -> None:
    slides = tmp_path / "slides"
    shutil.copytree(REPO / "slides" / "build", slides, ignore=shutil.ignore_patterns("pdf", "assets"))
    with pytest.raises(SystemExit, match="make slides-pdf"):
        site_module.build(NOTEBOOKS, slides, site / STUDENT_ZIP, tmp_path / "site")
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------------------------
# In a real browser


@pytest.mark.parametrize("page", pages())
def test_page_loads_offline_without_errors(page_reports, page: str) -> None:
    report = page_reports(page)
    leaving = [url for url in report["urls"] if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert not leaving, f"{page}: requests that would leave the machine: {leaving}"
    assert any(url.endswith(page) for url in report["urls"])
    assert not report["failed"], f"{page}: failed requests: {report['failed']}"
    assert not report["console_errors"], f"{page}: console errors: {report['console_errors']}"


def test_index_maps_every_lesson_in_order(site: Path, browser) -> None:
    show(browser, site, "index.html")
    entries = browser.execute_script(
        "return Array.from(document.querySelectorAll('ol.course-map > li')).map(function (li) {"
        "  return {title: li.querySelector('h2').innerText, summary: li.querySelector('.summary').innerText,"
        "          links: Array.from(li.querySelectorAll('a')).map(function (a) { return a.getAttribute('href'); })};"
        "});"
    )
    assert [entry["title"] for entry in entries] == [read(lesson).metadata["title"] for lesson in LESSONS]
    for lesson, entry in zip(LESSONS, entries, strict=True):
        first_cell = re.sub(r"[*`]", "", read(lesson).cells[0].source)
        opening = " ".join(entry["summary"].split())[:30]  # the summary comes from the lesson's title slide
        assert len(opening) == 30 and opening in " ".join(first_cell.split()), (lesson.name, entry["summary"])
        assert {f"lessons/{lesson.stem}.html", f"slides/{lesson.stem}.html", f"slides/pdf/{lesson.stem}.pdf",
                f"lessons/solutions/{lesson.stem}-solutions.html"} <= set(entry["links"])  # fmt: skip
    assert browser.execute_script(f"return document.querySelector('a[href=\"{STUDENT_ZIP}\"][download]') !== null")


@pytest.mark.parametrize("page", pages())
def test_every_link_resolves(page_reports, page: str) -> None:
    links = page_reports(page)["links"]
    assert links, f"{page} links nowhere"
    missing = [url for url in links if not local_file(url).is_file()]
    assert not missing, f"{page}: links to files that do not exist: {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_page_shows_its_outputs(page_reports, lesson: Path) -> None:
    """Every stored output is on the page, every figure drawn, and the last printed lines shown."""
    code = [cell for cell in read(lesson).cells if cell.cell_type == "code"]
    outputs = [output for cell in code for output in cell.outputs]
    figures = sum("image/png" in output.get("data", {}) for output in outputs)
    report = page_reports(f"lessons/{lesson.stem}.html")
    assert report["outputs"] == len(outputs) > 0
    assert report["images"] == report["images_drawn"] == figures
    printed = [output.text for output in outputs if output.output_type == "stream"]
    assert printed, f"{lesson.name} prints nothing to look for"
    assert " ".join(printed[-1].split()) in " ".join(report["text"].split())


def notebook_of(page: str) -> Path:
    """The notebook a lesson or solutions page shows."""
    return NOTEBOOKS / Path(page).relative_to("lessons").with_suffix(".ipynb")


@pytest.mark.parametrize("page", notebook_pages())
def test_math_is_typeset(page_reports, page: str) -> None:
    markdown = [cell.source for cell in read(notebook_of(page)).cells if cell.cell_type == "markdown"]
    has_math = any(re.search(r"\$[^$]+\$", source) for source in markdown)
    math = page_reports(page)["math"]
    assert not math["raw"], f"{page}: TeX left untypeset: {math['raw'][:10]}"
    assert math["errors"] == 0, f"{page}: {math['errors']} formulas MathJax could not typeset"
    if has_math:
        assert math["typeset"] > 0, f"{page}: no formula typeset"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_exercises_link_the_solutions_page(site: Path, browser, lesson: Path) -> None:
    show(browser, site, f"lessons/{lesson.stem}.html")
    href = f"solutions/{lesson.stem}-solutions.html"
    after_exercises = browser.execute_script(
        "var heading = Array.from(document.querySelectorAll('h2')).find(function (h) {"
        "  return h.textContent.startsWith('Exercises'); });"
        "var link = document.querySelector('main a[href=\"' + arguments[0] + '\"]');"
        "return !!heading && !!link && !!(heading.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING);",
        href,
    )
    assert after_exercises, f"{lesson.stem}: no link to {href} after the Exercises heading"


# Each <details> of a solutions page: its summary, whether open, and whether its solution's text shows.
SOLUTIONS_JS = """
return Array.from(document.querySelectorAll("main details.solution")).map(function (details) {
    var body = details.querySelector(".jp-RenderedMarkdown p");
    return {
        summary: details.querySelector("summary").innerText,
        open: details.open,
        text: body.textContent,
        visible: body.checkVisibility()
    };
});
"""


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_solutions_are_folded_until_opened(site: Path, browser, lesson: Path) -> None:
    page = f"lessons/solutions/{lesson.stem}-solutions.html"
    browser.get("about:blank")  # afresh: every solution folded
    show(browser, site, page)
    folded = browser.execute_script(SOLUTIONS_JS)
    count = exercises(lesson)
    assert [s["summary"] for s in folded] == [f"Solution {k}" for k in range(1, count + 1)]
    assert not any(s["open"] or s["visible"] for s in folded), f"{page}: a solution shows before it is opened"
    assert all(s["text"].startswith(f"Solution {k}.") for k, s in enumerate(folded, 1))
    first = browser.find_element("css selector", "main details.solution > summary")
    browser.execute_script("arguments[0].scrollIntoView();", first)
    first.click()
    opened = browser.execute_script(SOLUTIONS_JS)
    assert opened[0]["open"] and opened[0]["visible"], f"{page}: solution 1 does not show once opened"
    assert not any(s["visible"] for s in opened[1:])
    browser.save_screenshot(str(ARTIFACTS / f"solutions-{lesson.stem}-opened.png"))
