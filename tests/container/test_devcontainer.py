"""The dev container as VS Code and Codespaces start it, checked with the Dev Container CLI.

`make test-devcontainer` runs this: `devcontainer up` on this checkout (the top-level Dockerfile,
the engine through scripts/container/engine.sh), then `make nbval` inside it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.container.helpers import run

REPO = Path(__file__).resolve().parents[2]
ID_LABEL = "d2l.check=devcontainer"


@pytest.fixture(scope="module")
def cli(engine: str) -> list[str]:
    """The pinned Dev Container CLI, aimed at this checkout and the engine."""
    binary = os.environ.get("D2L_DEVCONTAINER_CLI")
    if not binary:
        pytest.fail("D2L_DEVCONTAINER_CLI is not set: run this check with `make test-devcontainer`")
    return [binary, "--workspace-folder", str(REPO), "--docker-path", engine, "--id-label", ID_LABEL]


def outcome(output: str) -> dict:
    """The JSON result line that `devcontainer up` and `read-configuration` print last."""
    return json.loads(output.strip().splitlines()[-1])


def test_configuration_uses_the_course_image_and_forwards_jupyterlab(cli: list[str]) -> None:
    binary, *flags = cli
    read = run(binary, "read-configuration", *flags[:4])
    config = outcome(read.stdout)["configuration"]
    assert (REPO / ".devcontainer" / config["build"]["dockerfile"]).resolve() == REPO / "Dockerfile"
    assert 8888 in config["forwardPorts"]
    assert {"ms-toolsai.jupyter", "ms-python.python"} <= set(config["customizations"]["vscode"]["extensions"])


def test_up_then_every_notebook_passes_nbval_inside(cli: list[str], engine: str) -> None:
    binary, *flags = cli
    up = run(binary, "up", *flags, "--remove-existing-container", timeout=3600)
    result = outcome(up.stdout)
    try:
        assert result["outcome"] == "success", up.stdout[-3000:]
        assert result["remoteUser"] == "learner"
        where = "import d2l_utils; print(d2l_utils.__file__)"
        source = run(binary, "exec", *flags, "python", "-c", where).stdout.strip()
        assert source == f"{result['remoteWorkspaceFolder']}/d2l_utils/__init__.py", "d2l_utils is not the workspace's"
        nbval = run(binary, "exec", *flags, "make", "nbval", "NBVAL=strict", timeout=1800).stdout
        assert re.search(r"\b\d+ passed\b", nbval) and " failed" not in nbval, nbval[-3000:]
    finally:
        if "containerId" in result:
            run(engine, "rm", "-f", result["containerId"], check=False)
