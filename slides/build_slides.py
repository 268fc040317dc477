"""Build the course's static slide decks, offline: ``make slides`` and ``make slides-pdf``.

``make slides`` renders every notebook of both tracks to a self-contained Reveal.js deck: the MXNet
track's (notebooks/) in slides/build/, the PyTorch track's (notebooks-pytorch/) in
slides/build/pytorch/, with one index page linking every lesson's deck in each track. nbconvert's
stock decks fetch reveal.js, require.js, MathJax and mermaid from CDNs, so without a network they
fall apart into one long unstyled page. These decks load local copies instead: the npm packages
pinned with integrity hashes in slides/package-lock.json, which ``npm ci`` installs into
slides/node_modules/ and this script copies into slides/build/assets/ (MathJax trimmed from 71 MB
to the TeX input, CommonHTML output, their extensions and woff fonts). Each deck follows its
notebook's RISE settings (``metadata.rise``), so the static deck looks like the live RISE show, and
opens with a title slide made from ``metadata.title`` unless the notebook's first slide is that
title. Like RISE, a deck also takes ``rise.css`` from the notebooks' folder and ``<name>.css`` if
present.

``make slides-pdf`` prints each deck in Reveal's print-pdf mode with headless Chromium into
slides/build/pdf/, one page per slide (fragments shown, speaker notes left out).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

SLIDES_DIR = Path(__file__).resolve().parent
REPO_DIR = SLIDES_DIR.parent
NOTEBOOKS_DIR = REPO_DIR / os.environ.get("NOTEBOOKS", "notebooks")  # as in the Makefile
BUILD_DIR = SLIDES_DIR / "build"


@dataclass(frozen=True)
class Track:
    """One track of the course: its name, its notebooks and the folder of slides/build/ its decks go to."""

    name: str
    notebooks: Path
    folder: str

    def decks_dir(self, out_dir: Path) -> Path:
        """Where this track's decks are built below ``out_dir``."""
        return out_dir / self.folder


# The MXNet track (the course's default) at the top of slides/build/, the PyTorch track below it.
TRACKS = (Track("MXNet", REPO_DIR / "notebooks", "."), Track("PyTorch", REPO_DIR / "notebooks-pytorch", "pytorch"))
NODE_MODULES = SLIDES_DIR / "node_modules"
TEMPLATES_DIR = SLIDES_DIR / "templates"

COURSE = "Dive into Deep Learning in 1 Day — Part 1: Basics"

# The RISE settings every notebook carries in metadata.rise; the static decks use the same.
# "white" is one of reveal's themes that load no fonts from the web (its font ships with it).
RISE_SETTINGS = {
    "theme": "white",
    "transition": "none",
    "scroll": True,
    "slideNumber": True,
    "controls": True,
    "progress": True,
    "width": 1280,
    "height": 720,
    "center": False,
    "enable_chalkboard": False,
}

# What the decks load, per npm package: glob patterns relative to the package directory.
ASSETS = {
    "reveal.js": ["dist/reveal.js", "dist/reveal.css", "dist/theme", "plugin/notes/notes.js"],
    "requirejs": ["require.js"],
    "mathjax": [
        "MathJax.js",
        "config/TeX-AMS_CHTML-full.js",
        "config/Safe.js",
        "extensions/*.js",
        "extensions/TeX",
        "jax/element",
        "jax/input/TeX",
        "jax/output/CommonHTML",
        "fonts/HTML-CSS/TeX/woff",
    ],
}
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"

# Headless Chromium that never reaches out: no background services, and every host name
# resolves to nothing, so a deck that tried to load something from the web would fail visibly.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CHROMIUM_INSTALL_HINT = "install them with `sudo apt-get install chromium chromium-driver` (or `make system-deps`)"

# Waits (in the page) until Reveal is ready, the print layout done when printing, and MathJax
# idle; then answers Reveal's slide count. Selenium passes its callback as the last argument.
WAIT_FOR_DECK_JS = """
var done = arguments[arguments.length - 1];
(function wait() {
    var ready = window.Reveal && Reveal.isReady() && window.MathJax && MathJax.isReady
        && (!Reveal.isPrintingPDF() || window.deckPrintReady);
    if (!ready) { return setTimeout(wait, 50); }
    MathJax.Hub.Queue(function () { done(Reveal.getTotalSlides()); });
})();
"""


@dataclass(frozen=True)
class Deck:
    """One notebook's slide deck: its notebook, title and output files."""

    notebook: Path
    title: str
    html: Path

    @classmethod
    def of(cls, notebook: Path, nb: nbformat.NotebookNode, out_dir: Path) -> Deck:
        """The deck of ``notebook`` (already read as ``nb``) in ``out_dir``."""
        return cls(notebook, nb.metadata.get("title", notebook.stem), out_dir / f"{notebook.stem}.html")

    @property
    def pdf(self) -> Path:
        """Where ``make slides-pdf`` prints this deck."""
        return self.html.parent / "pdf" / (self.html.stem + ".pdf")


def rise_settings(nb: nbformat.NotebookNode) -> dict:
    """The notebook's RISE settings, with the course's for anything it leaves out."""
    return {**RISE_SETTINGS, **nb.metadata.get("rise", {})}


def reveal_config(settings: dict) -> dict:
    """Reveal.initialize options that reproduce the RISE settings in a static deck.

    Printing (``?print-pdf``) keeps one page per slide: fragments are not split onto pages of
    their own, and a slide taller than a page is cut rather than continued on a second page.
    """
    options = {key: settings[key] for key in ("controls", "progress", "slideNumber", "transition", "center")}
    options.update(width=settings["width"], height=settings["height"], hash=True)
    options.update(pdfSeparateFragments=False, pdfMaxPagesPerSlide=1)
    return options


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The cell's slideshow type ("slide", "subslide", "fragment", "skip", "notes" or "-")."""
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def is_optional_start(cell: nbformat.NotebookNode) -> bool:
    """True for the cell that opens an optional slide: a ``subslide`` markdown cell that starts
    with a heading whose text begins with ``Optional:`` (e.g. ``### Optional: forward mode``)."""
    first_line = cell.source.lstrip().split("\n", 1)[0] if cell.cell_type == "markdown" else ""
    return slide_type(cell) == "subslide" and bool(re.match(r"#+\s+Optional:", first_line))


def slide_counts(nb: nbformat.NotebookNode) -> dict[str, int]:
    """The notebook's slides, core and optional (the deck's generated title slide not counted).

    The first shown cell opens a slide whatever its type, then every ``slide`` and ``subslide``
    cell does; an optional slide is one opened by an ``is_optional_start`` cell.
    """
    shown = [cell for cell in nb.cells if slide_type(cell) not in ("skip", "notes")]
    openers = shown[:1] + [cell for cell in shown[1:] if slide_type(cell) in ("slide", "subslide")]
    optional = sum(is_optional_start(cell) for cell in openers)
    return {"core": len(openers) - optional, "optional": optional}


def mark_optional_slides(nb: nbformat.NotebookNode) -> None:
    """Give each optional slide's ``<section>`` a ``data-optional`` attribute, which the deck's
    style shows as an "optional" badge (nbconvert writes ``slideshow.data`` as data attributes)."""
    for cell in nb.cells:
        if is_optional_start(cell):
            cell.metadata.slideshow["data"] = {**cell.metadata.slideshow.get("data", {}), "optional": "true"}


def title_slide(nb: nbformat.NotebookNode, deck: Deck) -> dict | None:
    """Text of the deck's generated title slide, or None when its first slide is the title already
    (a markdown cell opening with ``# <title>``)."""
    first = next(c for c in nb.cells if slide_type(c) not in ("skip", "notes"))
    if first.cell_type == "markdown" and first.source.strip().split("\n")[0].strip() == f"# {deck.title}":
        return None
    return {"title": deck.title, "course": COURSE, "lesson": f"Notebook {deck.notebook.name}"}


def install_assets(node_modules: Path, assets: Path) -> None:
    """Copy what the decks load from the installed npm packages into ``assets``."""
    if assets.exists():
        shutil.rmtree(assets)
    for package, patterns in ASSETS.items():
        root = node_modules / package
        if not root.is_dir():
            sys.exit(f"{root} is missing: run `npm ci` in {SLIDES_DIR} (`make slides` does)")
        for pattern in patterns:
            matches = sorted(root.glob(pattern))
            if not matches:
                sys.exit(f"{package}: nothing matches {pattern}; is package-lock.json's version installed?")
            for source in matches:
                target = assets / package / source.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, target)
                else:
                    shutil.copy2(source, target)


def custom_css(notebook: Path) -> str:
    """The style sheets RISE adds to a notebook's show, when present: ``rise.css`` in its folder
    and ``<notebook name>.css`` beside it. The static deck takes them too, to look the same."""
    sheets = [notebook.parent / "rise.css", notebook.with_suffix(".css")]
    return "\n".join(sheet.read_text(encoding="utf-8") for sheet in sheets if sheet.exists())


def check_theme_offline(theme: str, assets: Path, notebook: Path) -> None:
    """Stop the build if the reveal theme is unknown or would load fonts from the web."""
    css = assets / "reveal.js" / "dist" / "theme" / f"{theme}.css"
    if not css.exists():
        sys.exit(f"{notebook}: metadata.rise.theme {theme!r} is not a reveal.js theme")
    if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")):
        sys.exit(
            f"{notebook}: reveal theme {theme!r} loads web fonts, which an offline deck cannot; "
            f"use the course's theme {RISE_SETTINGS['theme']!r} in metadata.rise"
        )


def render_deck(notebook: Path, out_dir: Path, assets: str = "assets") -> Deck:
    """Render one notebook to ``out_dir/<name>.html``, loading everything from ``assets`` (relative to it)."""
    nb = nbformat.read(notebook, as_version=4)
    deck = Deck.of(notebook, nb, out_dir)
    settings = rise_settings(nb)
    mark_optional_slides(nb)
    check_theme_offline(settings["theme"], out_dir / assets, notebook)
    exporter = SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="course",
        reveal_url_prefix=f"{assets}/reveal.js",
        reveal_theme=settings["theme"],
        require_js_url=f"{assets}/requirejs/require.js",
        mathjax_url=f"{assets}/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
    )
    resources = {
        "metadata": {"name": notebook.stem, "path": str(notebook.parent)},
        "course": {
            "reveal_config": json.dumps(reveal_config(settings)),
            "scroll": settings["scroll"],
            "height": settings["height"],
            "title_slide": title_slide(nb, deck),
            "css": custom_css(notebook),
        },
    }
    # How a run split a cell's printed lines into blocks varies; one block per stream keeps slide heights stable.
    exporter.register_preprocessor(CoalesceStreamsPreprocessor, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    deck.html.write_text(body, encoding="utf-8")
    return deck


def deck_links(deck: Deck, out_dir: Path, label: str) -> str:
    """A link to ``deck`` (relative to ``out_dir``) named ``label``, and to its PDF once printed."""
    pdf = f' · <a href="{deck.pdf.relative_to(out_dir).as_posix()}">PDF</a>' if deck.pdf.exists() else ""
    return f'<a href="{deck.html.relative_to(out_dir).as_posix()}">{html.escape(label)}</a>{pdf}'


def write_index(decks: dict[str, list[Deck]], out_dir: Path) -> Path:
    """Write ``index.html``: one line per lesson, linking its deck (and PDF once printed) in every track.

    ``decks`` maps each track's name to its decks, the same lessons in the same order; the first
    track is the course's default, whose deck titles are the links.
    """
    default, *others = decks
    rows = []
    for number, deck in enumerate(decks[default]):
        name = html.escape(deck.notebook.name)
        in_others = "".join(f" — {html.escape(t)}: {deck_links(decks[t][number], out_dir, 'deck')}" for t in others)
        rows.append(f"<li>{deck_links(deck, out_dir, deck.title)} <small>({name})</small>{in_others}</li>")
    tracks = ", ".join([f"{default} (the titles link its decks)", *others])
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(COURSE)}: slides</title>
<style>
body {{ font-family: sans-serif; max-width: 48em; margin: 3em auto; line-height: 1.6; color: #222; }}
small {{ color: #666; }}
kbd {{ border: 1px solid #bbb; border-radius: 3px; padding: 0 .3em; }}
</style>
</head>
<body>
<h1>{html.escape(COURSE)}</h1>
<p>Each lesson's deck, in each track of the course: {html.escape(tracks)}.</p>
<ol start="0">
{chr(10).join(rows)}
</ol>
<p>In a deck: <kbd>→</kbd>/<kbd>Space</kbd> next, <kbd>←</kbd> back, <kbd>S</kbd> speaker notes,
<kbd>F</kbd> full screen, <kbd>Esc</kbd> overview.</p>
</body>
</html>
"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def render_track(track: Track, out_dir: Path) -> list[Deck]:
    """Render every notebook of ``track`` into its folder below ``out_dir``, its stale decks removed first."""
    notebooks = sorted(track.notebooks.glob("*.ipynb"))
    if not notebooks:
        sys.exit(f"no notebooks in {track.notebooks}: `make notebooks` writes them from lessons/")
    decks_dir = track.decks_dir(out_dir)
    decks_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*decks_dir.glob("*.html"), decks_dir / "pdf"]:
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)
    assets = Path(os.path.relpath(out_dir / "assets", decks_dir)).as_posix()
    return [render_deck(notebook, decks_dir, assets) for notebook in notebooks]


def track_decks(track: Track, out_dir: Path) -> list[Deck]:
    """The decks of ``track`` as built below ``out_dir`` (built or not)."""
    notebooks = sorted(track.notebooks.glob("*.ipynb"))
    return [Deck.of(path, nbformat.read(path, as_version=4), track.decks_dir(out_dir)) for path in notebooks]


def write_course_index(decks: dict[Track, list[Deck]], out_dir: Path) -> Path:
    """The index page of every track's decks; each track must have the same lessons as the first."""
    default, *others = decks
    lessons = [deck.notebook.name for deck in decks[default]]
    for track in others:
        if [deck.notebook.name for deck in decks[track]] != lessons:
            sys.exit(f"{track.notebooks} does not hold the same lessons as {default.notebooks}: run `make notebooks`")
    return write_index({track.name: decks[track] for track in decks}, out_dir)


def build(tracks: tuple[Track, ...] = TRACKS, out_dir: Path = BUILD_DIR) -> list[Deck]:
    """Render every track's notebooks below ``out_dir``, with the decks' assets and one index page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    install_assets(NODE_MODULES, out_dir / "assets")
    decks = {track: render_track(track, out_dir) for track in tracks}
    write_course_index(decks, out_dir)
    return [deck for track_decks_ in decks.values() for deck in track_decks_]


def chromium_paths() -> tuple[str, str] | None:
    """Chromium and chromedriver ($CHROMIUM, $CHROMEDRIVER, else on the PATH), or None if one is missing."""
    browser = shutil.which(os.environ.get("CHROMIUM", "chromium"))
    driver = shutil.which(os.environ.get("CHROMEDRIVER", "chromedriver"))
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium() -> Iterator[Chrome]:
    """Headless Chromium with a fresh profile and a 1280x720 viewport, driven through chromedriver.

    Both binaries are given explicitly, so Selenium never tries to download a browser or driver.
    The performance log (network events) and the console log are kept for inspection, from the
    first page the caller opens on.
    """
    from selenium import webdriver  # only printing and the tests drive a browser
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError(f"Chromium and chromedriver are needed: {CHROMIUM_INSTALL_HINT}")
    browser, driver_path = paths
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            screen = {"width": RISE_SETTINGS["width"], "height": RISE_SETTINGS["height"], "deviceScaleFactor": 1}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**screen, "mobile": False})
            for log in ("performance", "browser"):
                driver.get_log(log)  # start empty: drop what the browser's start page did
            yield driver
        finally:
            driver.quit()


def open_deck(driver: Chrome, url: str, timeout: float = 60) -> int:
    """Load a deck and wait until Reveal and MathJax are done; return Reveal's slide count."""
    driver.set_script_timeout(timeout)
    driver.get(url)
    return driver.execute_async_script(WAIT_FOR_DECK_JS)


def print_pdf(driver: Chrome, deck_html: Path, pdf: Path) -> Path:
    """Print a deck in Reveal's print-pdf mode, one page of the slide's size per slide."""
    open_deck(driver, deck_html.resolve().as_uri() + "?print-pdf")
    printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(base64.b64decode(printed["data"]))
    return pdf


def print_pdfs(tracks: tuple[Track, ...] = TRACKS, out_dir: Path = BUILD_DIR) -> list[Path]:
    """Print every track's built decks to their ``pdf/`` folders and link the PDFs from the index page."""
    if chromium_paths() is None:
        sys.exit(f"Chromium and chromedriver are needed to print PDFs: {CHROMIUM_INSTALL_HINT}")
    decks = {track: track_decks(track, out_dir) for track in tracks}
    missing = [str(deck.html) for track in tracks for deck in decks[track] if not deck.html.exists()]
    if missing:
        sys.exit(f"run `make slides` first; missing: {', '.join(missing)}")
    with headless_chromium() as driver:
        pdfs = [print_pdf(driver, deck.html, deck.pdf) for track in tracks for deck in decks[track]]
    write_course_index(decks, out_dir)
    return pdfs


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point of ``make slides`` and ``make slides-pdf``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR, help="output folder (default: slides/build)")
    parser.add_argument("--pdf", action="store_true", help="print the built decks to PDF instead of building them")
    args = parser.parse_args(argv)
    if args.pdf:
        for pdf in print_pdfs(TRACKS, args.out):
            print(f"printed {pdf}")
    else:
        decks = build(TRACKS, args.out)
        print(f"built {len(decks)} decks ({', '.join(t.name for t in TRACKS)}) and {args.out / 'index.html'}")


if __name__ == "__main__":
    main()
