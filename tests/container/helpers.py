"""Running commands for the container checks, with their output in every failure."""

from __future__ import annotations

import subprocess


def run(*args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command, capture its output, and on failure show that output in the assertion."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    if check:
        assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result
