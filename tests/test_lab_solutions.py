"""A learner runs a whole lesson in JupyterLab and saves it: the solutions stay out of sight.

Headless Chromium opens a lesson (its outputs cleared) on a throwaway JupyterLab server, runs
all cells from the Run menu, waits until every cell has run and saves with Ctrl+S; then the saved
file and the page are searched for worked solutions. The lesson links its solutions notebook
instead, and the test follows that link. A screenshot lands in test-artifacts/lab/.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from slides import build_slides
from tests.jupyterlab_server import jupyterlab

LESSON = build_slides.NOTEBOOKS_DIR / "01-ndarray.ipynb"
SOLUTIONS = build_slides.NOTEBOOKS_DIR / "solutions" / "01-ndarray-solutions.ipynb"
ARTIFACTS = build_slides.REPO_DIR / "test-artifacts" / "lab"
SOLUTION_TEXT = re.compile(r"Solution \d+\.")

pytestmark = pytest.mark.skipif(
    build_slides.chromium_paths() is None,
    reason=f"browser tests need Chromium and chromedriver: {build_slides.CHROMIUM_INSTALL_HINT}",
)


def click_menu(browser, menu: str, item: str, timeout: float = 120) -> None:
    """Click ``menu`` in JupyterLab's menu bar, then its entry ``item`` once JupyterLab enables it.

    On a busy machine the notebook's commands stay disabled for a while after it shows.
    """
    entry = f"//li[contains(@class, 'lm-Menu-item')][.//div[contains(@class, 'lm-Menu-itemLabel')][text()='{item}']]"
    deadline = time.monotonic() + timeout
    while True:
        browser.find_element(By.XPATH, f"//div[contains(@class, 'lm-MenuBar-itemLabel')][text()='{menu}']").click()
        element = browser.find_element(By.XPATH, entry)
        if "lm-mod-disabled" not in element.get_attribute("class"):
            element.click()
            return
        ActionChains(browser).send_keys(Keys.ESCAPE).perform()
        if time.monotonic() > deadline:
            pytest.fail(f"JupyterLab kept {menu} > {item} disabled for {timeout} s")
        time.sleep(1)


def kernel_is_idle(base: str, token: str) -> bool:
    """Whether the server runs the lesson's kernel and it has finished starting."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as response:
        sessions = json.load(response)
    return any(s["path"] == LESSON.name and s["kernel"]["execution_state"] == "idle" for s in sessions)


def prompts(browser) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]"
        ".map(p => p.textContent.trim())"
    )


def test_running_and_saving_a_lesson_reveals_no_solution(tmp_path: Path) -> None:
    root = tmp_path / "notebooks"
    (root / "solutions").mkdir(parents=True)
    lesson = nbformat.read(LESSON, as_version=4)
    for cell in lesson.cells:  # served without outputs, so that every prompt shows when the run is over
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    saved = root / LESSON.name
    nbformat.write(lesson, saved)
    shutil.copy(SOLUTIONS, root / "solutions")
    stored_at = saved.stat().st_mtime_ns
    with jupyterlab(root, tmp_path) as (base, token), build_slides.headless_chromium() as browser:
        browser.get(f"{base}/lab/tree/{LESSON.name}?token={token}")
        WebDriverWait(browser, 120).until(lambda b: len(prompts(b)) > 0, "JupyterLab showed no notebook")
        WebDriverWait(browser, 180).until(lambda b: kernel_is_idle(base, token), "the lesson's kernel did not start")
        click_menu(browser, "Run", "Run All Cells")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            WebDriverWait(browser, 300).until(
                lambda b: (p := prompts(b)) and all(re.fullmatch(r"\[\d+\]:", text) for text in p)
            )
        except TimeoutException:
            browser.save_screenshot(str(ARTIFACTS / f"run-all-{LESSON.stem}-unfinished.png"))
            pytest.fail(f"Run All Cells did not finish; prompts: {prompts(browser)}")
        ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
        deadline = time.monotonic() + 60
        while saved.stat().st_mtime_ns == stored_at and time.monotonic() < deadline:
            time.sleep(0.5)
        page_text = browser.execute_script("return document.body.textContent")
        browser.save_screenshot(str(ARTIFACTS / f"run-all-{LESSON.stem}.png"))
        browser.find_element(By.XPATH, f"//a[text()='solutions/{SOLUTIONS.name}']").click()
        WebDriverWait(browser, 60).until(
            lambda b: SOLUTIONS.name in b.execute_script(
                "return [...document.querySelectorAll('.lm-TabBar-tabLabel')].map(t => t.textContent)"
            ),
            "the lesson's link did not open its solutions notebook",
        )
    assert saved.stat().st_mtime_ns != stored_at, "Ctrl+S did not save the notebook"
    nb = nbformat.read(saved, as_version=4)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code"), "the saved run is complete"
    assert not [c.source[:40] for c in nb.cells if SOLUTION_TEXT.search(c.source)], "a solution is in the lesson"
    assert not SOLUTION_TEXT.search(page_text), "a solution shows on the page"
    assert "Jupyter news" not in page_text, "JupyterLab asked about news"
