"""Read a uv-compiled lock file (``requirements-pytorch.lock``) as a graph of pinned, hashed packages.

The lock is the one source of the PyTorch track's versions and hashes. Each entry is a pin
(``name==version``, maybe with an environment marker), its ``--hash`` lines, and the ``# via``
lines that name the packages requiring it; read backwards, those give each package's requirements,
so that the packages a tool needs can be picked out for one target environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")
HASH = re.compile(r"--hash=(?P<hash>sha256:[0-9a-f]{64})")
VIA_ONE = re.compile(r"^\s+# via (?P<name>\S.*)$")
VIA_MANY = re.compile(r"^\s+#\s{3}(?P<name>\S.*)$")

# CPython 3.12 on Linux x86-64: the GPU machines' Python, as environment markers see it.
PYTHON_312_LINUX = {
    "python_version": "3.12",
    "python_full_version": "3.12.3",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


@dataclass(frozen=True)
class Pin:
    """One entry of the lock: a package at one version, for the environments its marker admits."""

    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]
    via: tuple[str, ...]

    def applies(self, environment: Mapping[str, str]) -> bool:
        """Does this entry hold in ``environment`` (environment markers' names and values)?"""
        return not self.marker or Marker(self.marker).evaluate(dict(environment))

    def requirement_line(self) -> str:
        """The pin as pip's ``--require-hashes`` mode reads it, every hash of the lock on it."""
        hashes = "".join(f" \\\n    --hash={h}" for h in self.hashes)
        return f"{self.name}=={self.version}{hashes}"


def parse_lock(text: str) -> list[Pin]:
    """Every entry of a uv-compiled lock, in its order."""
    pins: list[Pin] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            pins.append(Pin(current["name"], current["version"], current["marker"], tuple(current["hashes"]),
                            tuple(current["via"])))

    for line in text.splitlines():
        if match := PIN.match(line):
            close()
            marker = (match["marker"] or "").strip()
            current = {"name": canonicalize_name(match["name"]), "version": match["version"], "marker": marker,
                       "hashes": [], "via": []}
        elif current is None:
            continue
        elif match := HASH.search(line):
            current["hashes"].append(match["hash"])
        elif (match := VIA_ONE.match(line)) or (match := VIA_MANY.match(line)):
            via = match["name"].strip()
            if not via.startswith("-r "):
                current["via"].append(canonicalize_name(via))
    close()
    return pins


def read_lock(path: Path, environment: Mapping[str, str] = PYTHON_312_LINUX) -> dict[str, Pin]:
    """The lock's entries that hold in ``environment``, by canonical name; one version of each."""
    chosen: dict[str, Pin] = {}
    for pin in parse_lock(path.read_text()):
        if pin.applies(environment):
            if pin.name in chosen:
                raise ValueError(f"{path}: {pin.name} is pinned twice for one environment")
            chosen[pin.name] = pin
    return chosen


def requirements_of(pins: Mapping[str, Pin]) -> dict[str, set[str]]:
    """Each package's requirements among ``pins``: the packages whose ``# via`` names it."""
    requires: dict[str, set[str]] = {name: set() for name in pins}
    for pin in pins.values():
        for parent in pin.via:
            if parent in requires:
                requires[parent].add(pin.name)
    return requires


def closure(roots: Iterable[str], pins: Mapping[str, Pin]) -> set[str]:
    """``roots`` and everything they require, directly or not, among ``pins``."""
    requires = requirements_of(pins)
    wanted, todo = set(), [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in pins:
            raise KeyError(f"{name} is not in the lock for this environment")
        wanted.add(name)
        todo.extend(requires[name])
    return wanted
