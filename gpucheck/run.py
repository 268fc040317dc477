"""``make test-gpu TRACK=pytorch``: run the PyTorch track's notebooks under strict nbval on a CUDA GPU.

Checks first that PyTorch sees a CUDA GPU, and stops with the reason if not (``--allow-cpu`` runs
the same check on the CPU, to test the check itself). nbval reads the course's sanitizers and the
GPU check's own (device and GPU names), and compares numbers within a tolerance
(:mod:`gpucheck.tolerance`); it prints the seconds each notebook took.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from pathlib import Path

import pytest

from gpucheck.nbval_plugin import NbvalTolerance
from gpucheck.tolerance import DEFAULT_RTOL

REPO = Path(__file__).resolve().parent.parent
# The GPU check's sanitizers, then the course's; nbval reads one file, so they are joined.
SANITIZE_FILES = (REPO / "tests" / "nbval_sanitize_gpu.cfg", REPO / "tests" / "nbval_sanitize.cfg")


def describe_device(allow_cpu: bool) -> str:
    """The CUDA GPU the notebooks will use; raises SystemExit with the reason where there is none."""
    import torch

    versions = f"Python {platform.python_version()}, torch {torch.__version__}"
    if torch.cuda.is_available():
        index = torch.cuda.current_device()
        major, minor = torch.cuda.get_device_capability(index)
        return f"{versions}, CUDA {torch.version.cuda}: {torch.cuda.get_device_name(index)} (sm_{major}{minor})"
    build = f"CUDA {torch.version.cuda} build" if torch.version.cuda else "a CPU-only build"
    reason = f"no CUDA GPU: torch {torch.__version__} ({build}) sees none"
    if not allow_cpu:
        raise SystemExit(
            f"ERROR: {reason}. `make test-gpu TRACK=pytorch` checks the notebooks on a CUDA GPU: run it where\n"
            "PyTorch's CUDA build sees one (GPU_PYTHON=/path/to/python, or `make gpu-bundle` for an offline\n"
            "machine). To test the check itself on the CPU, allow it: GPU_ALLOW_CPU=1 (--allow-cpu)."
        )
    print(f"WARNING: {reason}; running on the CPU, as asked (--allow-cpu): this is no GPU result", flush=True)
    return f"{versions}: the CPU"


def joined_sanitizers(directory: Path) -> Path:
    """One sanitize file for nbval, the GPU check's rules first."""
    path = directory / "nbval_sanitize_gpu_check.cfg"
    path.write_text("\n".join(f.read_text() for f in SANITIZE_FILES))
    return path


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of ``python -m gpucheck.run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(REPO / "notebooks-pytorch")],
                        help="notebooks or folders of notebooks (default: notebooks-pytorch)")
    parser.add_argument("--allow-cpu", action="store_true", help="run on the CPU where there is no CUDA GPU")
    parser.add_argument("--rtol", type=float, default=DEFAULT_RTOL,
                        help=f"relative tolerance for printed numbers (default {DEFAULT_RTOL:g})")
    parser.add_argument("--times", type=Path, help="also write the seconds per notebook to this JSON file")
    parser.add_argument("--pytest-args", default="", help="more arguments for pytest, as one string")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Check for the GPU, then run nbval over the notebooks; returns pytest's exit code."""
    options = parse_options(argv)
    print(f"GPU check: {describe_device(options.allow_cpu)}; rtol {options.rtol:g}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "-q", "-p", "no:cacheprovider", "--rootdir", str(REPO), "--nbval", "--nbval-current-env",
            "--nbval-sanitize-with", str(joined_sanitizers(Path(tmp))), *options.pytest_args.split(), *options.paths,
        ]
        return int(pytest.main(args, plugins=[NbvalTolerance(options.rtol, options.times)]))


if __name__ == "__main__":
    sys.exit(main())
