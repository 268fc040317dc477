"""`make lab` serves JupyterLab on 127.0.0.1 behind a token, with RISE enabled."""

import contextlib
import ipaddress
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


@contextlib.contextmanager
def make_lab(port: int):
    """Run `make lab LAB_PORT=port`; yield (base url, token, log so far) from the URL it prints; stop it."""
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
        wait_until_listening(int(match.group(1)), deadline)
        yield f"http://127.0.0.1:{match.group(1)}", match.group(2), log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def lab_server():
    """Start `make lab` on a free port; yield (base url, token)."""
    port = free_port()
    with make_lab(port) as (base, token, _):
        assert base.endswith(f":{port}")
        yield base, token


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


def listening_addresses(port: int) -> list[str]:
    """Local addresses of the TCP sockets listening on ``port``, from Linux's /proc/net tables."""
    found = []
    for table, family in ((Path("/proc/net/tcp"), socket.AF_INET), (Path("/proc/net/tcp6"), socket.AF_INET6)):
        for line in table.read_text().splitlines()[1:] if table.exists() else []:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)  # each 32-bit word in the kernel's (little-endian) order
                found.append(socket.inet_ntop(family, b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))))
    return found


def test_listening_addresses_reads_the_kernel_table():
    if not Path("/proc/net/tcp").exists():
        pytest.skip("/proc/net/tcp is missing: the listening sockets cannot be read (not Linux)")
    with socket.socket() as server:
        server.bind(("0.0.0.0", 0))
        server.listen()
        port = server.getsockname()[1]
        assert listening_addresses(port) == ["0.0.0.0"]


def test_lab_listens_on_loopback_only(lab_server):
    """Every socket JupyterLab listens on is bound to a loopback address, whatever the network."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("/proc/net/tcp is missing: the listening sockets cannot be read (not Linux)")
    port = int(lab_server[0].rsplit(":", 1)[1])
    addresses = listening_addresses(port)
    assert addresses and all(ipaddress.ip_address(a).is_loopback for a in addresses), addresses
    # As a client would see it: no non-loopback IPv4 address of this machine answers on the port.
    external = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    for address in [a for a in external if not a.startswith("127.") and ":" not in a]:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=3):
            pass


def test_lab_asks_nothing_about_news_and_checks_for_no_updates(lab_server):
    base, token = lab_server
    status, body = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}")
    assert status == 200
    defaults = {key: spec.get("default") for key, spec in json.loads(body)["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", "a first open would ask 'get notified about Jupyter news?'"
    assert defaults["checkForUpdates"] is False


def test_a_taken_port_moves_lab_to_a_free_one_and_the_printed_url_is_right():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with make_lab(port) as (base, token, log):
            assert f"The port {port} is already in use" in log
            assert not base.endswith(f":{port}")
            status, body = get(f"{base}/lab?token={token}")
            assert status == 200 and "JupyterLab" in body


def test_readme_sends_users_to_the_printed_url_not_a_fixed_port():
    readme = (ROOT / "README.md").read_text()
    assert "127.0.0.1:8888/" not in readme, "with 8888 taken, make lab moves on: link to the URL it prints"


def test_lab_starts_the_notebooks_kernel_without_asking(lab_server):
    """A slow start must not ask "Select Kernel" in front of a class: the course has one kernel."""
    base, token = lab_server
    status, body = get(f"{base}/lab/api/settings/@jupyterlab/notebook-extension:tracker?token={token}")
    assert status == 200
    assert json.loads(body)["schema"]["properties"]["autoStartDefaultKernel"]["default"] is True
