"""The container checks drive a real engine: `make test-image` and `make test-devcontainer` run them.

They are kept out of `make unit` (pyproject.toml's norecursedirs) because they need an engine, a
built image and minutes; run without the variables their targets set, they fail and say so.
"""

from __future__ import annotations

import os

import pytest


def required_env(name: str) -> str:
    """The value of ``name``, which the make target sets; fail loudly when it is missing."""
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these checks with `make test-image` or `make test-devcontainer`")
    return value


@pytest.fixture(scope="session")
def engine() -> str:
    """The container engine command (scripts/container/engine.sh unless ENGINE says otherwise)."""
    return required_env("D2L_ENGINE")


@pytest.fixture(scope="session")
def image() -> str:
    """The name of the course image that `make image` built."""
    return required_env("D2L_IMAGE")

