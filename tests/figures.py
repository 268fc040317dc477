"""What the figure tests share: a figure's PNG bytes, rendered the same way every time."""

from __future__ import annotations

import io

from matplotlib.figure import Figure


def png_bytes(fig: Figure, dpi: float | str = "figure") -> bytes:
    """The figure as PNG without matplotlib's version tag, so two renders compare byte for byte."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
