"""`make lab` serves JupyterLab on 127.0.0.1 behind a token, with RISE enabled."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
URL_IN_LOG = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """Status and body of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait_until_listening(port: int, deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def lab_server():
    """Start `make lab` on a free port; yield (base url, token); stop the whole process group."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    process = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_PORT={port}", "LAB_ARGS=--no-browser"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log, deadline = "", time.monotonic() + 120
    try:
        while (match := URL_IN_LOG.search(log)) is None:
            line = process.stdout.readline()
            if not line and (process.poll() is not None or time.monotonic() > deadline):
                pytest.fail(f"JupyterLab did not start:\n{log}")
            log += line
        assert int(match.group(1)) == port
        wait_until_listening(port, deadline)
        yield f"http://127.0.0.1:{port}", match.group(2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def test_lab_answers_only_with_the_token(lab_server):
    base, token = lab_server
    assert len(token) >= 32
    status, body = get(f"{base}/lab?token={token}")
    assert status == 200 and "JupyterLab" in body
    assert get(f"{base}/lab")[0] in (302, 403)  # sent to the login page, nothing served
    assert get(f"{base}/api/contents")[0] == 403
    assert get(f"{base}/api/contents?token=wrong{token}")[0] == 403


def test_lab_opens_on_the_notebooks(lab_server):
    base, token = lab_server
    status, body = get(f"{base}/api/contents?token={token}")
    assert status == 200
    assert "00-introduction.ipynb" in {item["name"] for item in json.loads(body)["content"]}


def test_rise_extension_is_enabled(lab_server):
    base, token = lab_server
    status, body = get(f"{base}/lab/api/extensions?token={token}")
    extensions = {ext["name"]: ext for ext in json.loads(body)}
    assert status == 200
    assert extensions["jupyterlab-rise"]["enabled"] and extensions["jupyterlab-rise"]["installed"]


def test_lab_listens_on_loopback_only(lab_server):
    port = int(lab_server[0].rsplit(":", 1)[1])
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    external = [a for a in addresses if not a.startswith("127.") and ":" not in a]
    if not external:
        pytest.skip("no non-loopback IPv4 address on this machine")
    with pytest.raises(OSError), socket.create_connection((external[0], port), timeout=3):
        pass
