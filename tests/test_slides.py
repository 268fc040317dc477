"""The static slide decks (``make slides``, ``make slides-pdf``), checked as built and in headless Chromium.

The decks are built once per session through ``make slides`` (a no-op when up to date). Every deck
is then opened in headless Chromium that cannot resolve any host name, and must load with no request
leaving the machine and none failing, show as many Reveal slides as its notebook's slideshow
metadata asks for, typeset its math, and fit each slide in 1280x720. Screenshots (the first slide
of every deck, and every slide that overflows) and overflow.json go to test-artifacts/slides/.
Without Chromium the browser tests skip and say how to install it.
"""

from __future__ import annotations

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

from slides import build_slides

REPO = build_slides.REPO_DIR
NOTEBOOKS = sorted(build_slides.NOTEBOOKS_DIR.glob("*.ipynb"))
ARTIFACTS = REPO / "test-artifacts" / "slides"

needs_chromium = pytest.mark.skipif(
    build_slides.chromium_paths() is None,
    reason=f"browser tests need Chromium and chromedriver: {build_slides.CHROMIUM_INSTALL_HINT}",
)


def read(notebook: Path) -> nbformat.NotebookNode:
    return nbformat.read(notebook, as_version=4)


def slide_type(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


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


def test_there_are_notebooks_to_present() -> None:
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
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
# The built decks, read as files


@pytest.fixture(scope="session")
def built() -> Path:
    """``make slides``: every deck and the index in slides/build/."""
    result = subprocess.run(["make", "--no-print-directory", "slides"], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`make slides` failed:\n{result.stdout}\n{result.stderr}")
    return build_slides.BUILD_DIR


def test_index_links_every_deck(built: Path) -> None:
    index = (built / "index.html").read_text()
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert links == [f"{notebook.stem}.html" for notebook in NOTEBOOKS]
    assert all((built / link).exists() for link in links)
    for notebook in NOTEBOOKS:
        assert read(notebook).metadata["title"] in index


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_loads_nothing_from_the_web(built: Path, notebook: Path) -> None:
    page = (built / f"{notebook.stem}.html").read_text()
    remote = re.findall(r'(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']*)', page)
    assert not remote, f"{notebook.stem}.html loads {remote}"
    local = re.findall(r'(?:src|href)="(assets/[^"?]+)', page)
    assert local, "the deck loads no local assets"
    missing = [path for path in local if not (built / path).exists()]
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

# Opens every slide in turn (all fragments shown, MathJax done with it, as the audience sees it)
# and reports the ones whose content is taller or wider than the slide, or that hold code or
# output cut off on the right.
MEASURE_SLIDES_JS = """
var done = arguments[arguments.length - 1];
var config = Reveal.getConfig(), slides = Reveal.getSlides(), report = [];
function text(element) {  // as written: formulas as their TeX, without MathJax's rendering
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".MathJax_Preview, .MathJax_CHTML, .anchor-link").forEach(function (e) { e.remove(); });
    copy.querySelectorAll("script").forEach(function (e) { e.replaceWith("$" + e.textContent + "$"); });
    return copy.textContent.trim();
}
function longestLine(element) {
    return element.textContent.split("\\n").reduce(function (a, b) { return b.length > a.length ? b : a; }, "").trim();
}
function measure(i) {
    if (i === slides.length) {
        Reveal.slide(0, 0);
        return done({report: report, width: config.width, height: config.height});
    }
    var slide = slides[i], at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v, 1000);
    MathJax.Hub.Queue(function () {
        var heading = slide.querySelector("h1, h2, h3");
        var cut = Array.from(slide.querySelectorAll("pre, .jp-OutputArea-output, table, img")).filter(
            function (e) { return e.scrollWidth > e.clientWidth + 1; });
        report.push({
            h: at.h, v: at.v, heading: heading ? text(heading) : "",
            height: slide.scrollHeight, width: slide.scrollWidth, cut: cut.map(longestLine)
        });
        measure(i + 1);
    });
}
measure(0);
"""

# Shows one slide with all its fragments, once MathJax has redrawn it.
SHOW_SLIDE_JS = """
var done = arguments[arguments.length - 1];
Reveal.slide(arguments[0], arguments[1], 1000);
MathJax.Hub.Queue(done);
"""

# Text left untypeset: TeX delimiters outside code, and MathJax's own error marks.
RAW_MATH_JS = """
var walker = document.createTreeWalker(document.querySelector(".reveal .slides"), NodeFilter.SHOW_TEXT, {
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
    typeset: document.querySelectorAll(".reveal .slides .MathJax_CHTML").length,
    errors: document.querySelectorAll(".reveal .slides .mjx-noError, .reveal .slides .mjx-merror").length,
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


def overflows(sizes: dict) -> list[dict]:
    """The slides of a MEASURE_SLIDES_JS report that do not fit, each with what is wrong."""
    found = []
    for slide in sizes["report"]:
        problems = []
        if slide["height"] > sizes["height"] + 1:
            problems.append(f"{slide['height']}px tall")
        if slide["width"] > sizes["width"] + 1:
            problems.append(f"{slide['width']}px wide")
        problems += [f"cut off on the right: {line!r}" for line in slide["cut"]]
        if problems:
            number = f"{slide['h'] + 1}.{slide['v'] + 1}"  # as the deck's slide number shows it
            found.append({"slide": number, "h": slide["h"], "v": slide["v"], "heading": slide["heading"],
                          "problems": problems})
    return found


@pytest.fixture(scope="module")
def deck_reports(built: Path, browser) -> dict:
    """Each deck opened once, on demand: what it requested, its slides, its math and what overflows.

    Saves a screenshot of the first slide, and one of every slide that overflows.
    """
    reports: dict[str, dict] = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("overflow-*.png"), ARTIFACTS / "overflow.json"]:
        old.unlink(missing_ok=True)

    def report(name: str) -> dict:
        if name not in reports:
            network_events(browser)  # start both logs afresh
            browser.get_log("browser")
            slide_count = build_slides.open_deck(browser, (built / f"{name}.html").as_uri())
            urls, failed = network_events(browser)
            errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
            first_heading, slide_number = browser.execute_script(
                "var h = Reveal.getSlides()[0].querySelector('h1');"
                "var n = document.querySelector('.reveal .slide-number');"
                "return [h ? h.textContent : '', n && n.offsetParent ? n.textContent : ''];"
            )
            too_big = overflows(browser.execute_async_script(MEASURE_SLIDES_JS))
            for slide in too_big:
                browser.execute_async_script(SHOW_SLIDE_JS, slide["h"], slide["v"])
                browser.save_screenshot(str(ARTIFACTS / f"overflow-{name}-{slide['slide']}.png"))
            reports[name] = {
                "slides": slide_count,
                "urls": urls,
                "failed": failed,
                "console_errors": errors,
                "first_heading": first_heading.replace("\u00b6", "").strip(),
                "slide_number": " ".join(slide_number.split()),
                "math": browser.execute_script(RAW_MATH_JS),
                "overflows": too_big,
            }
        return reports[name]

    return report


def stems(notebooks: list[Path]) -> list[str]:
    return [notebook.stem for notebook in notebooks]


@needs_chromium
@pytest.mark.parametrize("name", stems(NOTEBOOKS))
def test_deck_loads_offline_without_errors(deck_reports, name: str) -> None:
    report = deck_reports(name)
    leaving = [url for url in report["urls"] if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert not leaving, f"{name}: requests that would leave the machine: {leaving}"
    assert any(url.endswith(f"{name}.html") for url in report["urls"])
    assert not report["failed"], f"{name}: failed requests: {report['failed']}"
    assert not report["console_errors"], f"{name}: console errors: {report['console_errors']}"
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_has_a_slide_per_slideshow_cell_a_title_and_numbers(deck_reports, notebook: Path) -> None:
    nb = read(notebook)
    report = deck_reports(notebook.stem)
    assert report["slides"] == expected_slide_count(nb)
    assert report["first_heading"] == nb.metadata["title"]
    assert report["slide_number"] == "1 . 1", "the first slide shows its number"


@needs_chromium
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_math_is_typeset(deck_reports, notebook: Path) -> None:
    shown_markdown = [c.source for c in read(notebook).cells if c.cell_type == "markdown" and slide_type(c) != "skip"]
    has_math = any(re.search(r"\$[^$]+\$", source) for source in shown_markdown)
    math = deck_reports(notebook.stem)["math"]
    assert not math["raw"], f"{notebook.stem}: TeX left untypeset: {math['raw'][:10]}"
    assert math["errors"] == 0, f"{notebook.stem}: {math['errors']} formulas MathJax could not typeset"
    if has_math:
        assert math["typeset"] > 0


@needs_chromium
@pytest.mark.parametrize("name", stems(NOTEBOOKS))
def test_deck_slides_fit_1280x720(deck_reports, name: str) -> None:
    """Lists every slide too tall, too wide, or with code cut off on the right; also in overflow.json."""
    too_big = deck_reports(name)["overflows"]
    overflow_file = ARTIFACTS / "overflow.json"
    overflow = json.loads(overflow_file.read_text()) if overflow_file.exists() else {}
    overflow[name] = [{key: s[key] for key in ("slide", "heading", "problems")} for s in too_big]
    overflow_file.write_text(json.dumps(overflow, indent=1, ensure_ascii=False))
    listing = "\n".join(
        f"  slide {s['slide']} ({s['heading'] or 'no heading'}): {'; '.join(s['problems'])}" for s in too_big
    )
    assert not too_big, f"{name}: {len(too_big)} slides overflow 1280x720 (see {ARTIFACTS}):\n{listing}"


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
