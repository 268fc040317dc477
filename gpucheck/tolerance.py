"""Compare two printed outputs number by number: what a GPU may change in the last digits, and nothing else.

A CUDA GPU sums float32 values in another order than the CPU, so a printed result may differ in its
last digits. Two texts agree when, read as alternating text and numbers, their text is the same
(spaces that pad a column of numbers aside) and each pair of numbers agrees: integers exactly
(counts, shapes, labels, seeds), numbers with a decimal point or exponent within ``rtol`` of the
larger one or one unit in the last digit printed, whichever is larger.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NUMBER = re.compile(r"(?<![\w.])([-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)(?![\w.])")
SPACES = re.compile(r"[ \t]+")
# The relative tolerance that `make test-gpu TRACK=pytorch` uses unless told otherwise (GPU_RTOL).
DEFAULT_RTOL = 1e-3


def is_integer(token: str) -> bool:
    """A number printed without a decimal point or exponent: compared exactly."""
    return not any(c in token for c in ".eE")


def last_digit_unit(token: str) -> float:
    """The value of one unit in the last digit of ``token`` as printed: 0.01 for ``0.25``, 1e-06 for ``2.5e-05``."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def numbers_agree(reference: str, test: str, rtol: float) -> bool:
    """Do two printed numbers agree: integers exactly, others within ``rtol`` or a unit in the last digit?"""
    if is_integer(reference) and is_integer(test):
        return int(reference) == int(test)
    a, b = float(reference), float(test)
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return reference == test
    allowed = max(rtol * max(abs(a), abs(b)), last_digit_unit(reference), last_digit_unit(test))
    return abs(a - b) <= allowed * (1 + 1e-9)


def split_numbers(text: str) -> tuple[list[str], list[str]]:
    """The text between numbers (padding spaces dropped) and the numbers, in order."""
    parts = NUMBER.split(text)
    texts, numbers = parts[0::2], parts[1::2]
    texts = [SPACES.sub(" ", part).strip(" ") if len(parts) > 1 else part for part in texts]
    return texts, numbers


@dataclass(frozen=True)
class Difference:
    """The largest difference found between two texts that agree within the tolerance."""

    reference: str
    test: str

    @property
    def relative(self) -> float:
        """Their difference relative to the larger of the two."""
        a, b = float(self.reference), float(self.test)
        return abs(a - b) / max(abs(a), abs(b)) if max(abs(a), abs(b)) else 0.0


def compare(reference: str, test: str, rtol: float) -> tuple[bool, Difference | None]:
    """Whether ``test`` agrees with ``reference`` within ``rtol``, and its largest difference if any."""
    if reference == test:
        return True, None
    ref_texts, ref_numbers = split_numbers(reference)
    test_texts, test_numbers = split_numbers(test)
    if ref_texts != test_texts or len(ref_numbers) != len(test_numbers):
        return False, None
    pairs = list(zip(ref_numbers, test_numbers, strict=True))
    if not all(numbers_agree(a, b, rtol) for a, b in pairs):
        return False, None
    differing = [Difference(a, b) for a, b in pairs if a != b]
    return True, max(differing, key=lambda d: d.relative, default=None)
