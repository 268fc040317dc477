"""How long the course takes to run: each notebook executed from a fresh kernel, as ``make execute`` does.

Run as ``python -m bench.course_time NOTEBOOK...``; prints, per notebook, the seconds spent
starting the kernel, in the first code cell (imports, seeding: the fixed cost of any lesson),
in the remaining cells, in shutting the kernel down, and in all, as JSON. The notebooks on
disk are not modified.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT_S = 900


def time_notebook(path: Path) -> dict[str, float]:
    """Execute ``path`` in a new kernel; seconds for kernel start, imports, the rest, kernel stop, and in all."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(path.parent)}})
    code_cells = [(index, cell) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    cell_seconds = []
    start = time.perf_counter()
    with client.setup_kernel():
        kernel_ready = time.perf_counter()
        for index, cell in code_cells:
            cell_start = time.perf_counter()
            client.execute_cell(cell, index)
            cell_seconds.append(time.perf_counter() - cell_start)
        cells_done = time.perf_counter()
    end = time.perf_counter()
    return {
        "kernel start": kernel_ready - start,
        "imports": cell_seconds[0] if cell_seconds else 0.0,
        "lesson": sum(cell_seconds[1:]),
        "kernel stop": end - cells_done,
        "total": end - start,
    }


if __name__ == "__main__":
    print(json.dumps({Path(arg).name: time_notebook(Path(arg)) for arg in sys.argv[1:]}))
