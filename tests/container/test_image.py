"""The course image as a learner runs it (README's container commands), on a real engine.

`make test-image` builds the image, then runs these: the notebooks strictly inside it, and
JupyterLab published on the host's loopback with a token, its work kept in a named volume.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.container.helpers import run

LOGIN_URL = re.compile(r"http://127\.0\.0\.1:8888/lab\?token=([0-9a-f]{32,})")
LESSONS = sorted(p for p in os.listdir("notebooks") if p.endswith(".ipynb"))
SYSTEM_LIBDIRS = ("/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/")


def in_image(engine: str, image: str, *command: str, timeout: float = 600) -> str:
    """Run ``command`` in a throwaway container of ``image``; return its output."""
    return run(engine, "run", "--rm", image, *command, timeout=timeout).stdout


def free_port() -> int:
    """A TCP port that is free on the host's loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def outward_address() -> str:
    """This host's own non-loopback IPv4 address (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only decides the source address
        address = probe.getsockname()[0]
    assert not address.startswith("127."), f"no non-loopback address found ({address})"
    return address


def http_status(url: str, token: str | None = None, method: str = "GET", body: bytes | None = None) -> int:
    """The HTTP status of one request to JupyterLab, with token login when ``token`` is given."""
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_login_url(engine: str, container: str, timeout: float = 120) -> str:
    """The token from the login URL that JupyterLab prints in the container's log."""
    deadline = time.monotonic() + timeout
    log = ""
    while time.monotonic() < deadline:
        log = run(engine, "logs", container, check=False)
        found = LOGIN_URL.search(log.stdout + log.stderr)
        if found:
            return found.group(1)
        time.sleep(1)
    pytest.fail(f"JupyterLab printed no login URL within {timeout} s:\n{log.stdout}\n{log.stderr}")


def test_runs_as_a_user_without_root(engine: str, image: str) -> None:
    assert in_image(engine, image, "id", "-un").strip() == "learner"


def test_mxnet_finds_libgomp_and_libquadmath_in_the_system(engine: str, image: str) -> None:
    # The wheel bundles OpenBLAS and libgfortran, not these two: the image (and a bare host) needs
    # Debian's libgomp1 and libquadmath0, which README's prerequisites name.
    libmxnet = "/opt/venv/lib/python3.11/site-packages/mxnet/libmxnet.so"
    linked = in_image(engine, image, "ldd", libmxnet)
    for library in ("libgomp.so.1", "libquadmath.so.0"):
        line = next(line for line in linked.splitlines() if library in line)
        assert "=> " in line and line.split("=> ")[1].startswith(SYSTEM_LIBDIRS), line


def test_carries_no_build_tools_and_no_extra_ca(engine: str, image: str) -> None:
    # npm and the build's extra CA certificates (a proxy's) stay in the build stages.
    leftovers = in_image(engine, image, "sh", "-c", "command -v npm pip3; ls /usr/local/share/ca-certificates")
    assert leftovers.strip() == ""


def test_mnist_is_inside_and_verified(engine: str, image: str) -> None:
    check = "from d2l_utils.fetch_mnist import has_verified_mnist; from d2l_utils.datasets import data_dir; " \
            "print(data_dir(), has_verified_mnist(data_dir()))"
    assert in_image(engine, image, "python", "-c", check).split() == ["/opt/d2l-data", "True"]


def test_every_notebook_passes_nbval_strictly(engine: str, image: str) -> None:
    output = in_image(engine, image, "make", "nbval", "NBVAL=strict", timeout=1800)
    assert re.search(r"\b\d+ passed\b", output) and " failed" not in output, output[-3000:]


def test_lab_on_host_loopback_with_token_and_work_in_a_volume(engine: str, image: str) -> None:
    port, name = free_port(), f"d2l-test-{uuid.uuid4().hex[:8]}"
    volume = name + "-notebooks"
    publish = ["-p", f"127.0.0.1:{port}:8888", "-v", f"{volume}:/course/notebooks"]
    try:
        run(engine, "run", "-d", "--name", name, *publish, image)
        token = wait_for_login_url(engine, name)
        api = f"http://127.0.0.1:{port}/api/contents"
        assert http_status(api) == 403, "JupyterLab answered without a token"
        assert http_status(api, token) == 200
        with urllib.request.urlopen(urllib.request.Request(api, headers={"Authorization": f"token {token}"})) as r:
            listed = sorted(item["name"] for item in json.load(r)["content"] if item["name"].endswith(".ipynb"))
        assert listed == LESSONS, "the volume does not start with the lessons"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((outward_address(), port), timeout=5).close()
        work = json.dumps({"type": "file", "format": "text", "content": "my notes\n"}).encode()
        assert http_status(f"{api}/my-notes.txt", token, "PUT", work) in (200, 201)
        run(engine, "stop", "--time", "30", name, timeout=60)
        exit_code = run(engine, "inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
        assert exit_code != "137", "JupyterLab was killed: SIGTERM did not reach it through make"
        run(engine, "rm", name)
        mounted = ["-v", f"{volume}:/course/notebooks"]
        listing = "cat notebooks/my-notes.txt; ls notebooks"
        kept = run(engine, "run", "--rm", *mounted, image, "sh", "-c", listing).stdout
        assert kept.startswith("my notes\n") and all(lesson in kept for lesson in LESSONS), kept
    finally:
        run(engine, "rm", "-f", name, check=False)
        run(engine, "volume", "rm", "-f", volume, check=False)
