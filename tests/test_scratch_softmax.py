"""Lesson 05's from-scratch softmax, as kept in d2l_utils.scratch for lesson 06."""

import numpy as onp
import pytest
from mxnet import np

from d2l_utils.scratch import softmax


def test_softmax_matches_the_formula_row_by_row():
    o = onp.array([[1.0, 2.0, 3.0], [0.0, 0.0, -1.0]])
    expected = onp.exp(o) / onp.exp(o).sum(axis=1, keepdims=True)
    assert softmax(np.array(o)).asnumpy() == pytest.approx(expected, rel=1e-6)


def test_softmax_of_one_vector_sums_to_one_and_keeps_the_order():
    p = softmax(np.array([0.5, -1.0, 2.0])).asnumpy()
    assert p.sum() == pytest.approx(1.0, rel=1e-6)
    assert p.argsort().tolist() == [1, 0, 2]


def test_softmax_does_not_overflow_on_large_scores():
    p = softmax(np.array([1000.0, 999.0, 990.0])).asnumpy()
    assert onp.isfinite(p).all()
    assert p == pytest.approx([1 / (1 + onp.exp(-1) + onp.exp(-10)), 0.2689, 3.3e-5], abs=1e-4)
