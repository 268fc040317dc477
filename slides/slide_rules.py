"""What a room can read: every slide of a deck measured in headless Chromium, and checked.

A slide is measured as the audience sees it, in a 1280x720 window with all its fragments shown:
- type size: the size each piece of text renders at, its CSS font size times Reveal's scale;
  prose (markdown, headings, tables in markdown) must reach 24 px, code (code cells, and code
  in markdown: `code`, code blocks, keys) and output 18 px.
  Formulas (sized by MathJax after the text around them) and the In/Out prompts are not counted;
- code lines: the lines of all code cells on the slide together, at most 12;
- figures: an output image of a code cell of at most 2 lines is the figure the slide is about,
  and must be at least 40% of the slide's height tall;
- fit: the slide's content no taller or wider than 1280x720, and no code or output cut off on
  the right (long slides scroll, but must not need to).

``measure_deck`` returns the raw measurements, ``problems`` turns one slide's into sentences,
``violations`` lists the slides with problems. Lesson authors run
``python -m slides.slide_rules`` (``make slides-check``) to see every violating slide of the
built decks, with a screenshot of each in test-artifacts/slides/.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slides import build_slides

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

ARTIFACTS = build_slides.REPO_DIR / "test-artifacts" / "slides"
REPORT_NAME = "slide-rules.json"


@dataclass(frozen=True)
class Rules:
    """The limits every slide keeps, in px as rendered in a 1280x720 window."""

    prose_px: float = 24
    code_px: float = 18
    code_lines: int = 12
    figure_fraction: float = 0.40
    figure_code_lines: int = 2


RULES = Rules()

# Text on a slide, by kind, with the size it renders at: (CSS font size) x (Reveal's scale).
# Shared by the static decks and the live RISE show (where Reveal is not global: the scale is
# the ratio of the slides' drawn width to their layout width). Argument: the root to measure.
TEXT_SIZES_JS = """
function courseTextSizes(root) {
    var slides = document.querySelector(".reveal .slides");
    var scale = window.Reveal && Reveal.getScale ? Reveal.getScale()
        : slides.getBoundingClientRect().width / slides.offsetWidth;
    var skip = "script, style, aside.notes, .MathJax_Preview, .MathJax_CHTML, .MathJax, mjx-container, "
        + ".jp-InputPrompt, .jp-OutputPrompt, .anchor-link";
    function hidden(element) {  // hidden by the page's style; Reveal hiding the slides not shown does not count
        for (var e = element; e && e !== root; e = e.parentElement) {
            if (e.tagName !== "SECTION" && getComputedStyle(e).display === "none") { return true; }
        }
        return false;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
            var element = node.parentElement;
            return !node.textContent.trim() || element.closest(skip) || hidden(element)
                ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
    });
    var seen = {}, sizes = [];
    while (walker.nextNode()) {
        var element = walker.currentNode.parentElement;
        var kind = element.closest(".jp-OutputArea") ? "output"
            : element.closest(".jp-InputArea-editor, code, pre, kbd, samp") ? "code" : "prose";
        var px = parseFloat(getComputedStyle(element).fontSize) * scale;
        var key = kind + "/" + px.toFixed(2);
        if (!seen[key]) {
            seen[key] = true;
            sizes.push({kind: kind, px: Math.round(px * 100) / 100,
                        text: walker.currentNode.textContent.trim().slice(0, 40)});
        }
    }
    return {scale: scale, sizes: sizes};
}
"""

# Opens every slide in turn (all fragments shown, MathJax done with it) and measures it.
MEASURE_SLIDES_JS = (
    TEXT_SIZES_JS
    + """
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
function source(editor) {  // the code as written: the highlighted <pre>, without the blank lines around it
    return (editor.querySelector("pre") || editor).textContent.replace(/^\\n+|\\n+$/g, "");
}
function lines(editor) {
    return source(editor) ? source(editor).split("\\n").length : 0;
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
        function onSlide(selector) {  // speaker notes are not on the slide
            return Array.from(slide.querySelectorAll(selector)).filter(
                function (e) { return !e.closest("aside.notes"); });
        }
        var editors = onSlide(".jp-InputArea-editor");
        var figures = onSlide(".jp-OutputArea-output img").map(function (img) {
            var editor = img.closest(".jp-Cell").querySelector(".jp-InputArea-editor");
            return {height: img.offsetHeight, cell_lines: editor ? lines(editor) : 0};
        });
        var type = courseTextSizes(slide);
        report.push({
            h: at.h, v: at.v, heading: heading ? text(heading) : "",
            height: slide.scrollHeight, width: slide.scrollWidth, cut: cut.map(longestLine),
            scale: type.scale, sizes: type.sizes,
            code_lines: editors.reduce(function (sum, e) { return sum + lines(e); }, 0),
            code: editors.map(source),
            figures: figures,
            optional: slide.hasAttribute("data-optional")
        });
        measure(i + 1);
    });
}
measure(0);
"""
)

# Shows one slide with all its fragments, once MathJax has redrawn it.
SHOW_SLIDE_JS = """
var done = arguments[arguments.length - 1];
Reveal.slide(arguments[0], arguments[1], 1000);
MathJax.Hub.Queue(done);
"""


def measure_deck(driver: Chrome, deck_html: Path) -> dict:
    """Open a built deck and measure every slide: ``{"report": [slide, ...], "width", "height"}``."""
    build_slides.open_deck(driver, deck_html.resolve().as_uri())
    return driver.execute_async_script(MEASURE_SLIDES_JS)


def slide_number(slide: dict) -> str:
    """The number the deck shows on the slide (``h.v``, from 1)."""
    return f"{slide['h'] + 1}.{slide['v'] + 1}"


def type_problems(sizes: list[dict], rules: Rules = RULES) -> list[str]:
    """Text smaller than its kind's minimum, one sentence per kind and size."""
    least = {"prose": rules.prose_px, "code": rules.code_px, "output": rules.code_px}
    return [
        f"{s['kind']} at {s['px']:.1f}px < {least[s['kind']]:g}px: {s['text']!r}"
        for s in sorted(sizes, key=lambda s: (s["kind"], s["px"]))
        if s["px"] < least[s["kind"]] - 0.005
    ]


def problems(slide: dict, width: int, height: int, rules: Rules = RULES) -> list[str]:
    """Everything one measured slide breaks, as sentences (none when it is fine)."""
    found = []
    if slide["height"] > height + 1:
        found.append(f"overflow: {slide['height']}px tall")
    if slide["width"] > width + 1:
        found.append(f"overflow: {slide['width']}px wide")
    found += [f"overflow: cut off on the right: {line!r}" for line in slide["cut"]]
    found += type_problems(slide["sizes"], rules)
    if slide["code_lines"] > rules.code_lines:
        found.append(f"{slide['code_lines']} code lines > {rules.code_lines}")
    for figure in slide["figures"]:
        small = figure["height"] < rules.figure_fraction * height
        if figure["cell_lines"] <= rules.figure_code_lines and small:
            found.append(
                f"figure {figure['height']}px tall < {rules.figure_fraction:.0%} of {height}px "
                f"(its cell has {figure['cell_lines']} code lines)"
            )
    return found


def violations(measured: dict, rules: Rules = RULES) -> list[dict]:
    """The slides of a ``measure_deck`` result that break a rule, each with its problems."""
    found = []
    for slide in measured["report"]:
        wrong = problems(slide, measured["width"], measured["height"], rules)
        if wrong:
            found.append({"slide": slide_number(slide), "h": slide["h"], "v": slide["v"],
                          "heading": slide["heading"], "problems": wrong})
    return found


def listing(deck: str, found: list[dict]) -> str:
    """Violations as lines naming the deck, the slide and what is wrong."""
    return "\n".join(
        f"  {deck} slide {v['slide']} ({v['heading'] or 'no heading'}): {'; '.join(v['problems'])}" for v in found
    )


def screenshot_violations(driver: Chrome, deck: str, found: list[dict], folder: Path = ARTIFACTS) -> list[Path]:
    """A screenshot of every violating slide (of the deck open in ``driver``), replacing old ones."""
    folder.mkdir(parents=True, exist_ok=True)
    flat = deck.replace("/", "-")  # a PyTorch deck, pytorch/01-ndarray: rules-pytorch-01-ndarray-*.png
    for old in folder.glob(f"rules-{flat}-*.png"):
        old.unlink()
    shots = []
    for v in found:
        driver.execute_async_script(SHOW_SLIDE_JS, v["h"], v["v"])
        shot = folder / f"rules-{flat}-{v['slide']}.png"
        driver.save_screenshot(str(shot))
        shots.append(shot)
    return shots


def write_report(deck: str, found: list[dict], folder: Path = ARTIFACTS) -> Path:
    """Record a deck's violations in ``slide-rules.json`` (one entry per deck, others kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REPORT_NAME
    report = json.loads(path.read_text()) if path.exists() else {}
    report[deck] = [{key: v[key] for key in ("slide", "heading", "problems")} for v in found]
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return path


def main(argv: list[str] | None = None) -> None:
    """``make slides-check``: list every slide of the built decks that breaks a rule."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "decks", nargs="*", help="deck names, e.g. 03-linear-regression, pytorch/03-linear-regression (default: all)"
    )
    parser.add_argument("--out", type=Path, default=build_slides.BUILD_DIR, help="folder of the built decks")
    args = parser.parse_args(argv)
    built = [p for p in [*args.out.glob("*.html"), *args.out.glob("*/*.html")] if p.name != "index.html"]
    names = args.decks or sorted(p.relative_to(args.out).with_suffix("").as_posix() for p in built)
    missing = [name for name in names if not (args.out / f"{name}.html").exists()]
    if missing:
        sys.exit(f"run `make slides` first; missing: {', '.join(missing)}")
    total = 0
    with build_slides.headless_chromium() as driver:
        for name in names:
            found = violations(measure_deck(driver, args.out / f"{name}.html"))
            screenshot_violations(driver, name, found)
            write_report(name, found)
            total += len(found)
            print(f"{name}: {len(found)} slides break a rule" + (f"\n{listing(name, found)}" if found else ""))
    print(f"report and screenshots: {ARTIFACTS}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
