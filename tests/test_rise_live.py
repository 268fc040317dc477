"""Live presentation: JupyterLab with RISE shows a notebook as Reveal slides, in headless Chromium.

The test starts a JupyterLab server (127.0.0.1, a random token, settings folders of its own, and
a copy of the first notebook with the notebooks' style sheets), opens the notebook at
/rise/<name>.ipynb, the page behind RISE's "Open as Reveal Slideshow", checks the slides RISE
builds, measures the type size of every slide (prose >= 24 px, code and output >= 18 px as rendered,
the rules of slides/slide_rules.py, from the shared notebooks/rise.css) and saves a screenshot under
test-artifacts/slides/, then stops the server. The browser
resolves no host name, so the check also shows that presenting needs no network.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from selenium.webdriver.support.ui import WebDriverWait

from slides import build_slides, slide_rules
from tests.jupyterlab_server import jupyterlab

NOTEBOOK = sorted(build_slides.NOTEBOOKS_DIR.glob("*.ipynb"))[0]
ARTIFACTS = build_slides.REPO_DIR / "test-artifacts" / "slides"

pytestmark = pytest.mark.skipif(
    build_slides.chromium_paths() is None,
    reason=f"browser tests need Chromium and chromedriver: {build_slides.CHROMIUM_INSTALL_HINT}",
)


@pytest.fixture
def lab_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A JupyterLab server on 127.0.0.1 serving a copy of the notebook; yields (base URL, token)."""
    root = tmp_path / "notebooks"
    root.mkdir()
    for path in [NOTEBOOK, *NOTEBOOK.parent.glob("*.css")]:  # with the style sheets RISE loads
        shutil.copy(path, root)
    with jupyterlab(root, tmp_path) as server:
        yield server


def test_rise_presents_the_notebook_as_reveal_slides(lab_server: tuple[str, str]) -> None:
    base, token = lab_server
    nb = nbformat.read(NOTEBOOK, as_version=4)
    shown = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type", "-") not in ("skip", "notes")]
    expected = 1 + sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide") for c in shown[1:])
    with build_slides.headless_chromium() as browser:
        browser.get(f"{base}/rise/{NOTEBOOK.name}?token={token}")
        WebDriverWait(browser, 180).until(
            lambda driver: driver.execute_script("return !!document.querySelector('.reveal.ready .slides section')"),
            "RISE showed no Reveal slides",
        )
        if any("$" in c.source for c in shown if c.cell_type == "markdown"):
            WebDriverWait(browser, 60).until(
                lambda driver: driver.execute_script("return !!document.querySelector('.reveal mjx-container')"),
                "RISE typeset no math (JupyterLab's own MathJax)",
            )
        state = browser.execute_script(
            """
            return {
                slides: document.querySelectorAll(".reveal .slides section:not(.stack)").length,
                themeClass: document.body.classList.contains("theme-" + arguments[0]),
                slideNumber: !!document.querySelector(".reveal .slide-number"),
                footer: !!document.querySelector(".reveal .jp-Notebook-footer")
                    && getComputedStyle(document.querySelector(".reveal .jp-Notebook-footer")).display !== "none",
                firstSlideText: document.querySelector(".reveal .slides section.present").innerText
            };
            """,
            nb.metadata["rise"]["theme"],
        )
        type_size = browser.execute_script(
            slide_rules.TEXT_SIZES_JS + "return courseTextSizes(document.querySelector('.reveal .slides'));"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"rise-{NOTEBOOK.stem}.png"))
        requests = [
            json.loads(entry["message"])["message"]["params"]["request"]["url"]
            for entry in browser.get_log("performance")
            if '"Network.requestWillBeSent"' in entry["message"]
        ]
    assert state["slides"] == expected, "RISE adds no title slide: one per slide and subslide cell"
    assert state["themeClass"], "RISE did not apply the notebook's theme"
    assert state["slideNumber"], "RISE shows no slide number"
    assert not state["footer"], (
        "JupyterLab's 'Click to add a cell' button shows over the slides: notebooks/rise.css should hide it"
    )
    first_words = " ".join(shown[0].source.split("\n")[0].strip("#*_` ").split()[:3])
    assert first_words.upper() in " ".join(state["firstSlideText"].split()).upper()
    leaving = [url for url in requests if not url.startswith((base, "data:", "blob:", "about:"))]
    assert not leaving, f"requests that would leave the machine: {leaving}"
    kinds = {size["kind"] for size in type_size["sizes"]}
    assert kinds == {"prose", "code", "output"}, f"RISE showed no text of some kind: only {kinds}"
    too_small = slide_rules.type_problems(type_size["sizes"])
    assert not too_small, f"RISE, {NOTEBOOK.name} at scale {type_size['scale']:.2f}: " + "; ".join(too_small)
