"""One source for code written from scratch (the D2L book's ``#@save``).

A lesson code cell whose first line is ``# @save`` defines functions or classes on its slides that
later lessons import from d2l_utils. Every top-level ``def``/``class`` in such a cell must equal,
as source text (docstring included), the object of the same name defined in a module of the
d2l_utils package (``inspect.getsource``). The check is first shown to catch a copy that differs
and one that is missing, on a notebook and a package made for it, then applied to every notebook.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

import d2l_utils

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
# The PyTorch track's side of d2l_utils: the MXNet track's notebooks (these) copy none of it, and
# its environment (torch) is not the MXNet track's.
PYTORCH_SIDE = ("d2l_utils.torch",)
SAVE_MARK = re.compile(r"#\s*@save\s*$")


def saved_definitions(notebook: Path) -> list[tuple[str, str]]:
    """(name, source text) of every top-level def/class in the notebook's ``# @save`` cells."""
    found = []
    for number, cell in enumerate(nbformat.read(notebook, as_version=4).cells, start=1):
        first_line = cell.source.split("\n", 1)[0]
        if cell.cell_type != "code" or not SAVE_MARK.fullmatch(first_line.strip()):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            where = f"{notebook.name}, cell {number}"
            raise AssertionError(f"{where}: a # @save cell must be plain Python: {error}") from error
        lines = cell.source.split("\n")
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                found.append((node.name, "\n".join(lines[start - 1 : node.end_lineno])))
    return found


def package_definitions(package: ModuleType, leave_out: tuple[str, ...] = ()) -> dict[str, list[tuple[str, str]]]:
    """Name -> [(module, source text)] of every function and class defined in the package's modules.

    The modules named in ``leave_out`` are neither imported nor searched.
    """
    names = [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    modules = [package] + [importlib.import_module(name) for name in names if name not in leave_out]
    definitions: dict[str, list[tuple[str, str]]] = {}
    for module in modules:
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__:
                definitions.setdefault(name, []).append((module.__name__, inspect.getsource(obj)))
    return definitions


def copy_problems(notebooks: list[Path], package: ModuleType, leave_out: tuple[str, ...] = ()) -> list[str]:
    """Every ``# @save`` definition that the package (less ``leave_out``) lacks or holds in another text."""
    definitions = package_definitions(package, leave_out)
    problems = []
    for notebook in notebooks:
        for name, source in saved_definitions(notebook):
            candidates = definitions.get(name, [])
            where = f"{notebook.name}: # @save {name}"
            if not candidates:
                problems.append(f"{where} is missing from {package.__name__} (add the same code to its scratch.py)")
            elif all(text.rstrip("\n") != source.rstrip("\n") for _, text in candidates):
                modules = ", ".join(module for module, _ in candidates)
                problems.append(f"{where} differs from {modules}.{name} (make the two texts identical)")
    return problems


# --------------------------------------------------------------------------------------------
# The check catches what it should


@pytest.fixture
def made_up_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A package ``madeup`` whose module ``scratch`` defines sgd, accuracy and a class Timer."""
    package = tmp_path / "madeup"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package for the test."""\n')
    (package / "scratch.py").write_text(
        '"""Written from scratch."""\n\n\n'
        "def sgd(params, lr, batch_size):\n"
        '    """One SGD step, in place."""\n'
        "    for param in params:\n"
        "        param[:] = param - lr * param.grad / batch_size\n\n\n"
        "def accuracy(y_hat, y):\n"
        '    """Correct predictions."""\n'
        "    return (y_hat.argmax(axis=1) == y).sum()\n\n\n"
        "class Timer:\n"
        '    """Seconds."""\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "madeup", raising=False)
    monkeypatch.delitem(sys.modules, "madeup.scratch", raising=False)
    return importlib.import_module("madeup")


def write_notebook(path: Path, sources: list[str]) -> Path:
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


def test_check_passes_identical_copies_and_catches_a_differing_and_a_missing_one(
    tmp_path: Path, made_up_package: ModuleType
) -> None:
    same = (
        "# @save\n"
        "def sgd(params, lr, batch_size):\n"
        '    """One SGD step, in place."""\n'
        "    for param in params:\n"
        "        param[:] = param - lr * param.grad / batch_size\n\n"
        "class Timer:\n"
        '    """Seconds."""\n\n'
        "sgd([], 0.1, 10)  # code after the definitions is not compared"
    )
    differs = (
        "# @save\n"
        "def accuracy(y_hat, y):\n"
        '    """Correct predictions."""\n'
        "    return float((y_hat.argmax(axis=1) == y).sum())"
    )
    missing = "# @save\ndef evaluate(net, data):\n    return 0"
    unsaved = "def helper():\n    return 1  # not marked # @save: not compared"
    notebook = write_notebook(tmp_path / "09-lesson.ipynb", [same, unsaved])
    assert saved_definitions(notebook) == [
        ("sgd", same.split("\n\nclass")[0].removeprefix("# @save\n")),
        ("Timer", 'class Timer:\n    """Seconds."""'),
    ]
    assert copy_problems([notebook], made_up_package) == []

    notebook = write_notebook(tmp_path / "10-lesson.ipynb", [same, differs, missing, unsaved])
    assert copy_problems([notebook], made_up_package) == [
        "10-lesson.ipynb: # @save accuracy differs from madeup.scratch.accuracy (make the two texts identical)",
        "10-lesson.ipynb: # @save evaluate is missing from madeup (add the same code to its scratch.py)",
    ]


def test_check_finds_the_copies_in_d2l_utils(tmp_path: Path) -> None:
    """A cell holding the very text of a d2l_utils function passes; the same with one word changed fails."""
    source = inspect.getsource(d2l_utils.loader.to_device_arrays)
    notebook = write_notebook(tmp_path / "09-lesson.ipynb", ["# @save\n" + source])
    assert copy_problems([notebook], d2l_utils, PYTORCH_SIDE) == []
    write_notebook(notebook, ["# @save\n" + source.replace('"""', '"""Changed. ', 1)])
    assert copy_problems([notebook], d2l_utils, PYTORCH_SIDE) == [
        "09-lesson.ipynb: # @save to_device_arrays differs from d2l_utils.loader.to_device_arrays "
        "(make the two texts identical)"
    ]


def test_a_save_cell_that_is_not_python_is_named(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "09-lesson.ipynb", ["# @save\n%timeit f()"])
    with pytest.raises(AssertionError, match=r"09-lesson.ipynb, cell 1: a # @save cell must be plain Python"):
        saved_definitions(notebook)


# --------------------------------------------------------------------------------------------
# The course's notebooks


def test_every_save_copy_in_the_notebooks_is_identical_to_d2l_utils() -> None:
    notebooks = sorted([*NOTEBOOKS_DIR.glob("*.ipynb"), *NOTEBOOKS_DIR.glob("solutions/*.ipynb")])
    assert notebooks
    problems = copy_problems(notebooks, d2l_utils, PYTORCH_SIDE)
    assert not problems, "\n".join(problems)
