"""After the bundle's offline install: is every package of it here, at its pin, with all it requires?

Run as ``python -m gpucheck.installed BUNDLE/requirements.txt`` by the bundle's ``run.sh``, with the
bundle's packages and the machine's together on the path. The machine's Python brings torch,
numpy, matplotlib and pytest; a requirement of a bundled package that neither satisfies is named,
so a machine that differs from what the bundle expects fails here, before any notebook runs.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version


def pins(requirements: Path) -> dict[str, str]:
    """``name==version`` of each line of the bundle's requirements file (hashes ignored)."""
    found = {}
    for line in requirements.read_text().splitlines():
        requirement = line.split(" --hash")[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            found[name] = version
    return found


def problems(pinned: dict[str, str]) -> list[str]:
    """What is missing or at the wrong version: the bundle's pins, then what they require."""
    found = []
    environment = default_environment()
    for name, version in pinned.items():
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found.append(f"{name}=={version} is not installed")
            continue
        if Version(distribution.version) != Version(version):
            found.append(f"{name} is {distribution.version}, the bundle pins {version}")
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": ""}):
                continue
            try:
                have = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                found.append(f"{name} requires {requirement}, which is not installed")
                continue
            if not requirement.specifier.contains(have, prereleases=True):
                found.append(f"{name} requires {requirement}, found {requirement.name} {have}")
    return found


def main() -> int:
    """Print what is wrong and fail, or one line saying all is well."""
    pinned = pins(Path(sys.argv[1]))
    wrong = problems(pinned)
    for line in wrong:
        print(f"ERROR: {line}", file=sys.stderr)
    if wrong:
        return 1
    versions = ", ".join(f"{n} {metadata.version(n)}" for n in ("torch", "numpy", "matplotlib", "pytest"))
    print(f"bundle: {len(pinned)} packages installed, every requirement met; the machine's {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
