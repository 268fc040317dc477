"""One source for the PyTorch track's code written from scratch (the D2L book's ``#@save``).

Every top-level def/class in a ``# @save`` cell of the PyTorch track's notebooks must equal, as
source text, the object of that name that ``from d2l_utils import torch as d2l`` offers (its own
or a framework-neutral one it re-exports). tests/test_save_copies.py shows the check catching a
differing and a missing copy, and applies it to the MXNet track.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from d2l_utils import torch as d2l
from tests.test_save_copies import saved_definitions

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks-pytorch"


def offered_definitions() -> dict[str, str]:
    """Name -> source text of every function and class ``d2l_utils.torch`` offers."""
    return {
        name: inspect.getsource(obj)
        for name, obj in vars(d2l).items()
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__.startswith("d2l_utils")
    }


def test_every_save_copy_in_the_pytorch_notebooks_is_identical_to_d2l_utils_torch() -> None:
    notebooks = sorted([*NOTEBOOKS_DIR.glob("*.ipynb"), *NOTEBOOKS_DIR.glob("solutions/*.ipynb")])
    assert notebooks, "the PyTorch track's notebooks: `make notebooks`"
    offered = offered_definitions()
    problems = []
    for notebook in notebooks:
        for name, source in saved_definitions(notebook):
            where = f"{notebook.name}: # @save {name}"
            if name not in offered:
                problems.append(f"{where} is missing from d2l_utils.torch (add the same code there)")
            elif offered[name].rstrip("\n") != source.rstrip("\n"):
                problems.append(f"{where} differs from d2l_utils.torch's (make the two texts identical)")
    assert not problems, "\n".join(problems)
