"""The static slide decks (``make slides``, ``make slides-pdf``), checked as built and in headless Chromium.

The decks are built once per session through ``make slides`` (a no-op when up to date). Every deck
is then opened in headless Chromium that cannot resolve any host name, and must load with no request
leaving the machine and none failing, show as many Reveal slides as its notebook's slideshow
metadata asks for, typeset its math, and keep the slide rules of slides/slide_rules.py on every
slide: type a room can read (prose >= 24 px, code and output >= 18 px as rendered in 1280x720),
at most 12 code lines, figures at least 40% of the slide's height, everything inside 1280x720.
The rules are first shown to catch each kind of violation on a small deck made for it. Screenshots
(the first slide of every deck, and every slide that breaks a rule) and slide-rules.json go to
test-artifacts/slides/. Without Chromium the browser tests skip and say how to install it.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from slides import build_slides, slide_rules

REPO = build_slides.REPO_DIR
# Both tracks' notebooks, each presented as a deck: the MXNet track's first.
NOTEBOOKS = [p for track in build_slides.TRACKS for p in sorted(track.notebooks.glob("*.ipynb"))]
# The lessons, as the default (MXNet) track has them; the PyTorch track shows the same slides
# (tests/test_lessons_source.py).
LESSONS = [p for p in NOTEBOOKS if p.parent == build_slides.TRACKS[0].notebooks]


def deck_name(notebook: Path) -> str:
    """The deck's path in slides/build/ without ``.html``: ``01-ndarray``, ``pytorch/01-ndarray``."""
    track = next(t for t in build_slides.TRACKS if t.notebooks == notebook.parent)
    return (Path(track.folder) / notebook.stem).as_posix()


def flat(name: str) -> str:
    """A deck name as one file name, for screenshots: ``pytorch-01-ndarray``."""
    return name.replace("/", "-")
ARTIFACTS = REPO / "test-artifacts" / "slides"

needs_chromium = pytest.mark.skipif(
    build_slides.chromium_paths() is None,
    reason=f"browser tests need Chromium and chromedriver: {build_slides.CHROMIUM_INSTALL_HINT}",
)


def read(notebook: Path) -> nbformat.NotebookNode:
    return nbformat.read(notebook, as_version=4)


slide_type = build_slides.slide_type


def expected_slide_count(nb: nbformat.NotebookNode) -> int:
    """Slides the deck must have, from the slideshow metadata alone.

    The first shown cell opens a slide whatever its type; after it, every "slide" and "subslide"
    cell opens one. Skipped cells and notes show nothing. The deck adds a title slide unless the
    first shown cell already is the title (a markdown "# <metadata title>").
    """
    shown = [cell for cell in nb.cells if slide_type(cell) not in ("skip", "notes")]
    count = 1 + sum(slide_type(cell) in ("slide", "subslide") for cell in shown[1:])
    first_line = shown[0].source.strip().split("\n")[0]
    has_title = shown[0].cell_type == "markdown" and first_line == f"# {nb.metadata['title']}"
    return count + (0 if has_title else 1)


# --------------------------------------------------------------------------------------------
# Notebooks and the pinned JavaScript


def test_each_track_has_notebooks_to_present() -> None:
    for track in build_slides.TRACKS:
        assert list(track.notebooks.glob("*.ipynb")), f"no notebooks in {track.notebooks}: `make notebooks`"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_notebook_carries_the_course_rise_settings(notebook: Path) -> None:
    """Live RISE and the static decks use these settings, so both look alike."""
    nb = read(notebook)
    assert nb.metadata.get("title"), f"{notebook.name}: metadata.title is missing (the deck's title slide)"
    assert nb.metadata.get("rise") == build_slides.RISE_SETTINGS, (
        f"{notebook.name}: metadata.rise is {nb.metadata.get('rise')}, the course uses {build_slides.RISE_SETTINGS}"
    )


def test_javascript_packages_are_pinned_with_integrity_hashes() -> None:
    wanted = json.loads((build_slides.SLIDES_DIR / "package.json").read_text())["dependencies"]
    locked = json.loads((build_slides.SLIDES_DIR / "package-lock.json").read_text())["packages"]
    assert set(build_slides.ASSETS) <= set(wanted)
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version, not {version}"
        entry = locked[f"node_modules/{name}"]
        assert entry["version"] == version
        assert entry["integrity"].startswith("sha512-")
        assert "resolved" not in entry, "the lock names no registry, so a mirror set in npm's config works"
    assert {key for key in locked if key} == {f"node_modules/{name}" for name in wanted}, "unexpected extra packages"
    npmrc = (build_slides.SLIDES_DIR / ".npmrc").read_text().splitlines()
    assert "omit-lockfile-registry-resolved=true" in npmrc, "`npm install` would write registry URLs again"


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (`make system-deps`)")
def test_the_lock_without_urls_installs_from_npms_cache_alone(tmp_path: Path) -> None:
    for name in ("package.json", "package-lock.json", ".npmrc"):
        shutil.copy(build_slides.SLIDES_DIR / name, tmp_path)
    subprocess.run(
        ["npm", "ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=tmp_path, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    wanted = json.loads((tmp_path / "package.json").read_text())["dependencies"]
    for name, version in wanted.items():
        assert json.loads((tmp_path / "node_modules" / name / "package.json").read_text())["version"] == version


# --------------------------------------------------------------------------------------------
# The instructor plan in the README: core slides and minutes per lesson


def instructor_plan() -> dict[str, tuple[int, int]]:
    """Lesson number -> (core slides, minutes), from the README's instructor plan table;
    the totals row under the key "total"."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("### Instructor plan", 1)[1].split("\n### ", 1)[0]
    plan = {}
    for row in re.findall(r"^\|(.+)\|\s*$", section, flags=re.MULTILINE):
        cells = [cell.strip().strip("*") for cell in row.split("|")]
        if cells[2].isdigit():
            plan[cells[0] or "total"] = (int(cells[2]), int(cells[3]))
    return plan


def core_slide_table() -> str:
    """Markdown table of each lesson's core and optional slides, as the decks have them now."""
    rows = ["| lesson | core slides | optional slides |", "|---|--:|--:|"]
    for notebook in LESSONS:
        counts = build_slides.slide_counts(read(notebook))
        rows.append(f"| {notebook.stem} | {counts['core']} | {counts['optional']} |")
    return "\n".join(rows) + "\n"


def test_instructor_plan_covers_every_lesson_and_adds_up_to_about_90_minutes() -> None:
    plan = instructor_plan()
    total = plan.pop("total")
    assert sorted(plan) == [notebook.name[:2] for notebook in LESSONS]
    assert total == (sum(s for s, _ in plan.values()), sum(m for _, m in plan.values()))
    assert 80 <= total[1] <= 100, f"part 1 is planned for {total[1]} minutes, not about 90"


def test_instructor_plan_counts_the_decks_core_slides() -> None:
    """The README's core-slide counts are those of the notebooks (table in slide-counts.md)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "slide-counts.md").write_text(core_slide_table())
    plan = instructor_plan()
    actual = {n.name[:2]: build_slides.slide_counts(read(n))["core"] for n in LESSONS}
    planned = {lesson: slides for lesson, (slides, _) in plan.items() if lesson != "total"}
    assert actual == planned, f"core slides per lesson: notebooks {actual}, README plan {planned}"


# --------------------------------------------------------------------------------------------
# The built decks, read as files


@pytest.fixture(scope="session")
def built() -> Path:
    """``make slides``: every deck and the index in slides/build/."""
    result = subprocess.run(["make", "--no-print-directory", "slides"], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`make slides` failed:\n{result.stdout}\n{result.stderr}")
    return build_slides.BUILD_DIR


def test_index_links_every_lessons_deck_in_both_tracks(built: Path) -> None:
    index = (built / "index.html").read_text()
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert links == [f"{folder}{n.stem}.html" for n in LESSONS for folder in ("", "pytorch/")]
    assert all((built / link).exists() for link in links)
    for notebook in LESSONS:
        assert read(notebook).metadata["title"] in index


# A web address as a page's code would load it: quoted (an attribute, a JavaScript string, an
# `import`) or in CSS's url(...), absolute or protocol-relative. Data URIs are left out first (their
# base64 holds "//" too), and so is text such as comments, where an address loads nothing.
DATA_URI = re.compile(r"""data:[^"'`)\s]*""")
REMOTE_ADDRESS = re.compile(r"""["'`(]\s*((?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/[^"'`)\s]*)?)""")


def remote_references(page: str) -> list[str]:
    """The web addresses an HTML page (with its inline scripts and styles) could load."""
    return REMOTE_ADDRESS.findall(DATA_URI.sub("data:", page))


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.jsdelivr.net/npm/reveal.js@5/dist/reveal.js"></script>',
        "<link rel='stylesheet' href='//fonts.googleapis.com/css?family=Lato'>",
        '<script type="module">import Reveal from "https://cdn.jsdelivr.net/npm/reveal.js@5/dist/reveal.esm.js";</script>',
        "<script>import('https://unpkg.com/mathjax@3/es5/tex-chtml.js').then(start);</script>",
        "<script>fetch(`https://example.org/data.json`)</script>",
        "<style>@import url(https://fonts.googleapis.com/css2?family=Lato);</style>",
        '<style>body { background: url("//example.org/bg.png"); }</style>',
        "<script>require.config({paths: {jquery: 'http://code.jquery.com/jquery-3.7.1.min'}});</script>",
    ],
)
def test_remote_references_finds_every_way_a_page_loads_from_the_web(snippet: str) -> None:
    assert len(remote_references(f"<html><body>{snippet}</body></html>")) == 1


def test_remote_references_ignores_data_uris_and_comments() -> None:
    page = """<img src="data:image/png;base64,iVBORw0KGgo//8AAAB/x//9fnevzzn//k8OHDruUu7MU6==">
    <style>/* colours from https://github.com/danlevan/google-material-color */</style>
    <script src="assets/reveal.js/dist/reveal.js"></script>"""
    assert remote_references(page) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_deck_loads_nothing_from_the_web(built: Path, notebook: Path) -> None:
    deck = built / f"{deck_name(notebook)}.html"
    page = deck.read_text()
    remote = remote_references(page)
    assert not remote, f"{deck.name} loads {remote}"
    local = re.findall(r'(?:src|href)="((?:\.\./)?assets/[^"?]+)', page)
    assert local, "the deck loads no local assets"
    missing = [path for path in local if not (deck.parent / path).exists()]
    assert not missing


def test_mathjax_is_trimmed(built: Path) -> None:
    mathjax = built / "assets" / "mathjax"
    size = sum(f.stat().st_size for f in mathjax.rglob("*") if f.is_file())
    assert (mathjax / "jax" / "output" / "CommonHTML" / "jax.js").exists()
    assert not (mathjax / "jax" / "output" / "SVG").exists()
    assert size < 5_000_000, f"MathJax assets take {size / 1e6:.1f} MB"


def test_course_theme_loads_no_web_fonts(built: Path) -> None:
    css = (built / "assets" / "reveal.js" / "dist" / "theme" / f"{build_slides.RISE_SETTINGS['theme']}.css").read_text()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


# --------------------------------------------------------------------------------------------
# Rendering rules, on small notebooks of their own


def tiny_notebook(folder: Path, first: str, theme: str = build_slides.RISE_SETTINGS["theme"]) -> Path:
    cells = [
        nbformat.v4.new_markdown_cell(first, metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("Say this aloud.", metadata={"slideshow": {"slide_type": "notes"}}),
        nbformat.v4.new_code_cell("1 + 1", metadata={"slideshow": {"slide_type": "subslide"}}),
        nbformat.v4.new_markdown_cell("Worked solution", metadata={"slideshow": {"slide_type": "skip"}}),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update(title="Tiny lesson", rise={**build_slides.RISE_SETTINGS, "theme": theme})
    path = folder / "09-tiny.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def tiny_build(tmp_path: Path, built: Path) -> Path:
    """An output folder with the decks' assets in place."""
    out = tmp_path / "out"
    build_slides.install_assets(build_slides.NODE_MODULES, out / "assets")
    return out


@pytest.mark.parametrize(
    ("first", "title_slides"), [("# Tiny lesson\n\nWhat we do", 0), ("## Warm-up\n\nFirst things", 1)]
)
def test_title_slide_is_added_unless_the_notebook_opens_with_it(
    tmp_path: Path, tiny_build: Path, first: str, title_slides: int
) -> None:
    notebook = tiny_notebook(tmp_path, first)
    page = build_slides.render_deck(notebook, tiny_build).html.read_text()
    assert page.count('class="course-title"') == title_slides
    assert "<title>Tiny lesson slides</title>" in page
    assert '<aside class="notes">' in page and "Worked solution" not in page
    config = json.loads(re.search(r"var config = (\{.*?\});", page).group(1))
    assert config["slideNumber"] is True and config["width"] == 1280 and config["height"] == 720
    assert config["pdfSeparateFragments"] is False and config["pdfMaxPagesPerSlide"] == 1


def test_deck_takes_the_notebooks_rise_css(tmp_path: Path, tiny_build: Path) -> None:
    notebook = tiny_notebook(tmp_path, "# Tiny lesson")
    (tmp_path / "rise.css").write_text(".jp-Notebook-footer { display: none; }")
    page = build_slides.render_deck(notebook, tiny_build).html.read_text()
    assert ".jp-Notebook-footer { display: none; }" in page


def test_a_theme_with_web_fonts_stops_the_build(tmp_path: Path, tiny_build: Path) -> None:
    notebook = tiny_notebook(tmp_path, "# Tiny lesson", theme="simple")  # imports Google Fonts
    with pytest.raises(SystemExit, match="web fonts"):
        build_slides.render_deck(notebook, tiny_build)


# --------------------------------------------------------------------------------------------
# Every deck in a real browser

# Text left untypeset: TeX delimiters outside code, and MathJax's own error marks, in the
# element that the CSS selector passed as the script's argument names.
RAW_MATH_JS = """
var root = document.querySelector(arguments[0]);
var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
        return node.parentElement.closest("pre, code, script, .MathJax_CHTML, .MathJax_Preview, .jp-OutputArea")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
});
var raw = [];
while (walker.nextNode()) {
    var found = walker.currentNode.textContent.match(/\\$\\$|\\\\\\(|\\\\\\[|\\$[^$\\s][^$]*\\$/g);
    if (found) { raw = raw.concat(found); }
}
return {
    typeset: root.querySelectorAll(".MathJax_CHTML").length,
    errors: root.querySelectorAll(".mjx-noError, .mjx-merror").length,
    raw: raw
};
"""


def network_events(driver) -> tuple[list[str], list[str]]:
    """URLs requested, and the failures (with reasons), since the log was last read."""
    urls, failed, by_id = [], [], {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            by_id[params["requestId"]] = params["request"]["url"]
            urls.append(params["request"]["url"])
        elif message["method"] == "Network.loadingFailed":
            failed.append(f"{by_id.get(params['requestId'], '?')}: {params['errorText']}")
        elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
            failed.append(f"{params['response']['url']}: HTTP {params['response']['status']}")
    return urls, failed


@pytest.fixture(scope="module")
def browser():
    with build_slides.headless_chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def deck_reports(built: Path, browser) -> dict:
    """Each deck opened once, on demand: what it requested, its math, and every slide measured
    (slides.slide_rules) with the rules it breaks.

    Saves a screenshot of the first slide, and one of every slide that breaks a rule.
    """
    reports: dict[str, dict] = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / slide_rules.REPORT_NAME).unlink(missing_ok=True)

    def report(name: str) -> dict:
        if name not in reports:
            network_events(browser)  # start both logs afresh
            browser.get_log("browser")
            slide_count = build_slides.open_deck(browser, (built / f"{name}.html").as_uri())
            shot = ARTIFACTS / f"{flat(name)}.png"
            urls, failed = network_events(browser)
            errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            browser.save_screenshot(str(shot))
            first_heading, slide_number = browser.execute_script(
                "var h = Reveal.getSlides()[0].querySelector('h1');"
                "var n = document.querySelector('.reveal .slide-number');"
                "return [h ? h.textContent : '', n && n.offsetParent ? n.textContent : ''];"
            )
            measured = browser.execute_async_script(slide_rules.MEASURE_SLIDES_JS)
            broken = slide_rules.violations(measured)
            slide_rules.screenshot_violations(browser, name, broken, ARTIFACTS)
            math = browser.execute_script(RAW_MATH_JS, ".reveal .slides")  # after every slide was shown, and redrawn
            reports[name] = {
                "slides": slide_count,
                "urls": urls,
                "failed": failed,
                "console_errors": errors,
                "first_heading": first_heading.replace("\u00b6", "").strip(),
                "slide_number": " ".join(slide_number.split()),
                "math": math,
                "measured": measured,
                "violations": broken,
            }
        return reports[name]

    return report


def deck_names(notebooks: list[Path]) -> list[str]:
    return [deck_name(notebook) for notebook in notebooks]


@needs_chromium
@pytest.mark.parametrize("name", deck_names(NOTEBOOKS))
def test_deck_loads_offline_without_errors(deck_reports, name: str) -> None:
    report = deck_reports(name)
    leaving = [url for url in report["urls"] if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert not leaving, f"{name}: requests that would leave the machine: {leaving}"
    assert any(url.endswith(f"{name}.html") for url in report["urls"])
    assert not report["failed"], f"{name}: failed requests: {report['failed']}"
    assert not report["console_errors"], f"{name}: console errors: {report['console_errors']}"
    assert (ARTIFACTS / f"{flat(name)}.png").stat().st_size > 10_000


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_deck_has_a_slide_per_slideshow_cell_a_title_and_numbers(deck_reports, notebook: Path) -> None:
    nb = read(notebook)
    report = deck_reports(deck_name(notebook))
    assert report["slides"] == expected_slide_count(nb)
    assert report["first_heading"] == nb.metadata["title"]
    assert report["slide_number"] == "1 . 1", "the first slide shows its number"


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_deck_math_is_typeset(deck_reports, notebook: Path) -> None:
    shown_markdown = [c.source for c in read(notebook).cells if c.cell_type == "markdown" and slide_type(c) != "skip"]
    has_math = any(re.search(r"\$[^$]+\$", source) for source in shown_markdown)
    math = deck_reports(deck_name(notebook))["math"]
    assert not math["raw"], f"{notebook.stem}: TeX left untypeset: {math['raw'][:10]}"
    assert math["errors"] == 0, f"{notebook.stem}: {math['errors']} formulas MathJax could not typeset"
    if has_math:
        assert math["typeset"] > 0


@needs_chromium
@pytest.mark.parametrize("name", deck_names(NOTEBOOKS))
def test_deck_slides_are_readable_in_a_room(deck_reports, name: str) -> None:
    """Every slide: type size, code lines, figure height, fit in 1280x720 (slides.slide_rules).

    Lists each slide that breaks a rule, also in slide-rules.json, with a screenshot of each.
    """
    broken = deck_reports(name)["violations"]
    report = slide_rules.write_report(name, broken, ARTIFACTS)
    assert not broken, (
        f"{name}: {len(broken)} slides break the slide rules (see {report} and the screenshots beside it):\n"
        + slide_rules.listing(name, broken)
    )


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_deck_shows_every_code_cell_but_the_skipped_ones(deck_reports, notebook: Path) -> None:
    """Checks live in ``skip`` cells: they run in the notebook, and never appear in the deck."""
    code = [c for c in read(notebook).cells if c.cell_type == "code"]
    shown = [c.source.strip() for c in code if slide_type(c) not in ("skip", "notes")]
    skipped = {c.source.strip() for c in code if slide_type(c) == "skip"}
    on_slides = [text.strip() for s in deck_reports(deck_name(notebook))["measured"]["report"] for text in s["code"]]
    assert on_slides == shown
    assert not skipped & set(on_slides)


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=deck_name)
def test_deck_marks_its_optional_slides(deck_reports, notebook: Path) -> None:
    """The slides the deck marks optional are those the notebook opens with an ``Optional:`` heading."""
    counts = build_slides.slide_counts(read(notebook))
    slides = deck_reports(deck_name(notebook))["measured"]["report"]
    generated_title = len(slides) - counts["core"] - counts["optional"]
    assert generated_title in (0, 1)
    assert sum(s["optional"] for s in slides) == counts["optional"]


# The speaker view is a pop-up that reveal writes into and never finishes loading, so the driver
# cannot switch to it; the deck's window reaches it by its name instead.
SPEAKER_VIEW_TEXT_JS = """
var view = window.open("", "reveal.js - Notes");
return view.document.body ? view.document.body.innerText : "";
"""


@needs_chromium
def test_speaker_notes_open_in_a_window_of_their_own(built: Path, browser) -> None:
    """Key S opens reveal's speaker view, which shows the notes of the current slide."""
    with_notes = [n for n in NOTEBOOKS if any(slide_type(c) == "notes" for c in read(n).cells)]
    if not with_notes:
        pytest.skip("no notebook has speaker notes")
    build_slides.open_deck(browser, (built / f"{with_notes[0].stem}.html").as_uri())
    notes = browser.execute_script(
        "var aside = document.querySelector('aside.notes'), at = Reveal.getIndices(aside.closest('section'));"
        "Reveal.slide(at.h, at.v); return aside.textContent;"
    )
    words = " ".join(notes.split()[:8])
    browser.find_element(By.CSS_SELECTOR, "body").send_keys("s")
    try:
        WebDriverWait(browser, 15).until(lambda driver: len(driver.window_handles) == 2, "no speaker view opened")
        WebDriverWait(browser, 15).until(
            lambda driver: words in " ".join(driver.execute_script(SPEAKER_VIEW_TEXT_JS).split()),
            f"the speaker view does not show the notes {words!r}",
        )
    finally:
        browser.execute_script('window.open("", "reveal.js - Notes").close();')


@needs_chromium
def test_pdf_has_one_page_per_slide(built: Path, browser, tmp_path: Path) -> None:
    """What ``make slides-pdf`` does, for the first deck: one slide-shaped page per slide."""
    notebook = NOTEBOOKS[0]
    pdf = build_slides.print_pdf(browser, built / f"{notebook.stem}.html", tmp_path / f"{notebook.stem}.pdf")
    pages = PdfReader(pdf).pages
    assert len(pages) == expected_slide_count(read(notebook))
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert width / height == pytest.approx(1280 / 720, rel=0.01)
    assert read(notebook).metadata["title"].upper() in pages[0].extract_text().upper().replace("\n", " ")
    assert pages[-1].extract_text().strip(), "the last page is blank"


# --------------------------------------------------------------------------------------------
# The slide rules catch what they should, on a deck made for it


def png_output(width: int, height: int) -> nbformat.NotebookNode:
    """A display_data output holding a PNG of ``width`` x ``height`` px, drawn by matplotlib."""
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    figure.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode()
    return nbformat.v4.new_output("display_data", data={"image/png": data, "text/plain": "<Figure>"})


def rules_notebook(folder: Path) -> Path:
    """A lesson whose slides 1.1 to 1.9 are: fine, fine, tiny prose, tiny output, 20 code lines,
    a small figure, a large figure, an optional slide, a slide too tall; and a skipped check."""

    def md(source: str, kind: str = "subslide") -> nbformat.NotebookNode:
        return nbformat.v4.new_markdown_cell(source, metadata={"slideshow": {"slide_type": kind}})

    def code(source: str, outputs: list, kind: str = "-") -> nbformat.NotebookNode:
        return nbformat.v4.new_code_cell(source, outputs=outputs, metadata={"slideshow": {"slide_type": kind}})

    printed = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    tiny_html = '<span style="font-size: 10px">tiny output</span>'
    cells = [
        md("# Room rules\n\nA deck that breaks each rule once.", "slide"),
        md("## Fine\n\nShort prose, `code` in a sentence, and three lines of code."),
        code("a = 40\nb = 2\nprint(a + b)", printed),
        md('## Tiny prose\n\nReadable, then <span style="font-size: 12px">tiny words</span>.'),
        md("## Tiny output"),
        code("show()", [nbformat.v4.new_output("display_data", data={"text/html": tiny_html, "text/plain": "t"})]),
        md("## Long code"),
        code("\n".join(f"x{i} = {i}" for i in range(20)), []),
        md("## Small figure"),
        code("plot_small()", [png_output(300, 200)]),
        md("## Large figure"),
        code("plot_large()", [png_output(500, 320)]),
        md("### Optional: a deep dive\n\nFor the curious."),
        md("## Too tall\n\n" + "\n".join(f"- point {i}" for i in range(30))),
        code("assert 'SKIPPED-CHECK' != 'shown'", [], "skip"),
        md("Said aloud, not shown.", "notes"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update(title="Room rules", rise=build_slides.RISE_SETTINGS)
    path = folder / "09-room-rules.ipynb"
    nbformat.write(nb, path)
    (folder / "rise.css").write_text((build_slides.NOTEBOOKS_DIR / "rise.css").read_text())  # the course's style
    return path


def test_optional_slides_are_subslides_headed_optional() -> None:
    def cell(source: str, kind: str = "subslide", cell_type: str = "markdown") -> nbformat.NotebookNode:
        new = nbformat.v4.new_markdown_cell if cell_type == "markdown" else nbformat.v4.new_code_cell
        return new(source, metadata={"slideshow": {"slide_type": kind}})

    assert build_slides.is_optional_start(cell("### Optional: forward mode\n\nmore"))
    assert build_slides.is_optional_start(cell("\n## Optional: timing"))
    assert not build_slides.is_optional_start(cell("### Optional: forward mode", kind="slide"))
    assert not build_slides.is_optional_start(cell("### Optional: forward mode", kind="fragment"))
    assert not build_slides.is_optional_start(cell("Optional: no heading"))
    assert not build_slides.is_optional_start(cell("### Not optional: a heading"))
    assert not build_slides.is_optional_start(cell("# Optional: in code", cell_type="code"))
    nb = nbformat.v4.new_notebook(
        cells=[cell("# Title", "slide"), cell("## Core"), cell("### Optional: deep"), cell("text", "-"),
               cell("## Optional: hidden", "skip"), cell("## Back to core", "slide")]
    )  # fmt: skip
    assert build_slides.slide_counts(nb) == {"core": 3, "optional": 1}


@needs_chromium
def test_slide_rules_catch_each_violation(tmp_path: Path, tiny_build: Path, browser) -> None:
    """The rules flag exactly the slides made to break them, each for its own reason."""
    deck = build_slides.render_deck(rules_notebook(tmp_path), tiny_build)
    measured = slide_rules.measure_deck(browser, deck.html)
    slides = {slide_rules.slide_number(s): s for s in measured["report"]}
    assert list(slides) == [f"1.{v}" for v in range(1, 10)]
    found = {v["slide"]: " | ".join(v["problems"]) for v in slide_rules.violations(measured)}
    assert set(found) == {"1.3", "1.4", "1.5", "1.6", "1.9"}, found
    assert found["1.3"].startswith("prose at 11.5px < 24px: 'tiny words'")
    assert found["1.4"].startswith("output at 9.6px < 18px: 'tiny output'")
    assert found["1.5"] == "20 code lines > 12"
    assert re.fullmatch(r"figure 200px tall < 40% of 720px \(its cell has 1 code lines\)", found["1.6"])
    assert found["1.9"].startswith("overflow: ") and "px tall" in found["1.9"]
    # the slides that pass were measured too: the rule sees their text, code and figure
    fine = slides["1.2"]
    assert {s["kind"] for s in fine["sizes"]} == {"prose", "code", "output"}
    assert min(s["px"] for s in fine["sizes"] if s["kind"] == "prose") >= 24
    assert fine["code_lines"] == 3 and slides["1.7"]["figures"] == [{"height": 320, "cell_lines": 1}]
    assert [s["optional"] for s in slides.values()] == [n == "1.8" for n in slides]
    assert not any("SKIPPED-CHECK" in text for s in slides.values() for text in s["code"])
    assert "SKIPPED-CHECK" not in deck.html.read_text()
    # an optional slide carries its badge
    badge = browser.execute_script(
        "var h = document.querySelector('section[data-optional] h3');"
        "return getComputedStyle(h, '::after').content;"
    )
    assert badge == '"optional"'
    # the report and screenshots name the deck and slide
    broken = slide_rules.violations(measured)
    shots = slide_rules.screenshot_violations(browser, "09-room-rules", broken, tmp_path / "artifacts")
    assert [p.name for p in shots] == [f"rules-09-room-rules-1.{v}.png" for v in (3, 4, 5, 6, 9)]
    assert all(p.stat().st_size > 5_000 for p in shots)
    report = json.loads(slide_rules.write_report("09-room-rules", broken, tmp_path / "artifacts").read_text())
    assert [v["slide"] for v in report["09-room-rules"]] == ["1.3", "1.4", "1.5", "1.6", "1.9"]
