"""One call that seeds every random source a notebook touches."""

from __future__ import annotations

import random

import mxnet as mx
import numpy as onp


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and MXNet (all devices) with ``seed``."""
    random.seed(seed)
    onp.random.seed(seed)
    mx.random.seed(seed)
