"""Run a notebook on a remote Jupyter server, as a learner's browser does: REST and kernel websocket.

The hub load test (test_hub.py) runs each learner's lesson through this, on the learner's own
server behind the hub's proxy, and compares every code cell's output with the one stored in the
notebook, after the same sanitizers as nbval (tests/nbval_sanitize.cfg). Figures compare by their
text form; cells tagged ``nbval-ignore-output`` run but are not compared, as under nbval.
"""

from __future__ import annotations

import configparser
import json
import re
import time
import uuid
from pathlib import Path

import requests
import websocket

SANITIZE = Path(__file__).resolve().parents[1] / "nbval_sanitize.cfg"


def sanitizers() -> list[tuple[re.Pattern[str], str]]:
    """The (regex, replacement) pairs of tests/nbval_sanitize.cfg, in file order."""
    config = configparser.ConfigParser()
    config.read(SANITIZE)
    return [(re.compile(config[name]["regex"]), config[name]["replace"]) for name in config.sections()]


def sanitize(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    """``text`` with every volatile part replaced, as nbval compares it."""
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def comparable(outputs: list[dict]) -> dict[str, object]:
    """What nbval compares of a cell's outputs (nbformat dicts): its stdout and text results."""
    stdout = "".join(_text(o["text"]) for o in outputs if o["output_type"] == "stream" and o["name"] == "stdout")
    results = [_text(o["data"]["text/plain"]) for o in outputs
               if o["output_type"] in ("execute_result", "display_data") and "text/plain" in o.get("data", {})]
    errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]
    return {"stdout": stdout, "results": results, "errors": errors}


def _sanitized(value: str | list[str], rules: list[tuple[re.Pattern[str], str]]) -> str | list[str]:
    return sanitize(value, rules) if isinstance(value, str) else [sanitize(v, rules) for v in value]


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


class RemoteKernel:
    """A kernel on a Jupyter server, driven over its websocket with the JSON message protocol."""

    def __init__(self, server: str, token: str, path: str, timeout: float = 60) -> None:
        """Start a kernel for the notebook at ``path`` (relative to the server's root), in its folder."""
        self.server, self.token = server.rstrip("/"), token
        self.headers = {"Authorization": f"token {token}"}
        body = {"path": path, "type": "notebook", "name": Path(path).name, "kernel": {"name": "python3"}}
        response = requests.post(f"{self.server}/api/sessions", json=body, headers=self.headers, timeout=timeout)
        response.raise_for_status()
        self.session_id = response.json()["id"]
        self.kernel_id = response.json()["kernel"]["id"]
        ws_url = self.server.replace("http://", "ws://", 1) + f"/api/kernels/{self.kernel_id}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout)
        self.client_session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float) -> tuple[list[dict], dict]:
        """Run ``code``; return its outputs as nbformat dicts and the execute_reply's content."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.client_session,
                       "username": "learner", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        outputs: list[dict] = []
        reply: dict | None = None
        idle = False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"cell did not finish within {timeout} s:\n{code[:200]}")
            self.ws.settimeout(remaining)
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if message["channel"] == "shell" and kind == "execute_reply":
                reply = content
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("execute_result", "display_data"):
                outputs.append({"output_type": kind, "data": content["data"]})
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"]})
            elif kind == "clear_output":
                outputs.clear()
        return outputs, reply

    def close(self) -> None:
        """Close the websocket and shut the kernel down (its session too)."""
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.server}/api/sessions/{self.session_id}", headers=self.headers, timeout=60)


def run_notebook(server: str, token: str, path: str, cell_timeout: float = 900) -> list[str]:
    """Run every code cell of the notebook at ``path`` on ``server``; return the mismatches found.

    The notebook is read from the server itself (the learner's copy). An empty list means every
    cell ran without error and printed what the stored notebook shows.
    """
    headers = {"Authorization": f"token {token}"}
    response = requests.get(f"{server}/api/contents/{path}", params={"content": 1}, headers=headers, timeout=60)
    response.raise_for_status()
    cells = [c for c in response.json()["content"]["cells"] if c["cell_type"] == "code"]
    assert cells, f"{path} has no code cells"
    rules = sanitizers()
    mismatches = []
    kernel = RemoteKernel(server, token, path)
    try:
        for index, cell in enumerate(cells):
            outputs, reply = kernel.execute(cell["source"], cell_timeout)
            got = comparable(outputs)
            if reply["status"] != "ok" or got["errors"]:
                mismatches.append(f"{path} cell {index}: {reply.get('ename')}: {reply.get('evalue')} {got['errors']}")
                break
            if "nbval-ignore-output" in cell["metadata"].get("tags", []):
                continue
            want = comparable(cell["outputs"])
            for key in ("stdout", "results"):
                ours = json.dumps(_sanitized(got[key], rules))
                stored = json.dumps(_sanitized(want[key], rules))
                if ours != stored:
                    mismatches.append(f"{path} cell {index} {key}:\n  stored {stored[:300]}\n  got    {ours[:300]}")
    finally:
        kernel.close()
    return mismatches
