"""The GPU check's comparison: printed numbers within a tolerance, everything else exactly."""

import pytest

from gpucheck.tolerance import DEFAULT_RTOL, compare, last_digit_unit, numbers_agree, split_numbers


@pytest.mark.parametrize(
    ("token", "unit"), [("0.25", 0.01), ("1.0000", 1e-4), ("3.", 1.0), ("2.5e-05", 1e-6), ("1.25E+03", 10.0)]
)
def test_last_digit_unit(token, unit):
    assert last_digit_unit(token) == pytest.approx(unit)


def test_integers_compare_exactly():
    assert numbers_agree("60000", "60000", DEFAULT_RTOL)
    assert not numbers_agree("60000", "60001", DEFAULT_RTOL)  # well within 1e-3, but a count


def test_floats_agree_within_rtol_or_one_unit_in_the_last_digit():
    assert numbers_agree("0.11845938861370087", "0.11845941", 1e-3)
    assert numbers_agree("1.3333", "1.3345", 1e-3)  # 0.0012 apart, within 1e-3 of 1.3345
    assert not numbers_agree("1.3333", "1.3350", 1e-3)
    assert numbers_agree("0.0012", "0.0013", 1e-3)  # one unit in the last printed digit
    assert not numbers_agree("0.0012", "0.0014", 1e-3)
    assert not numbers_agree("0.9812", "0.9712", 1e-3)


def test_text_must_be_equal():
    assert compare("loss nan", "loss nan", 1e-3) == (True, None)
    assert compare("loss nan", "loss inf", 1e-3)[0] is False
    assert compare("epoch 1, loss 0.2501", "epoch 1, lost 0.2501", 1e-3)[0] is False
    assert compare("[0.1, 0.2]", "[0.1, 0.2, 0.3]", 1e-3)[0] is False


def test_column_padding_and_signed_zeros_are_not_differences():
    cpu = "tensor([[ 0.0000, -0.2000],\n        [ 0.3000,  0.4000]])"
    gpu = "tensor([[-0.0000, -0.2000],\n        [ 0.3000,  0.4000]])"
    agree, difference = compare(cpu, gpu, 1e-3)
    assert agree and (difference.reference, difference.test) == ("0.0000", "-0.0000")
    assert compare(cpu, cpu.replace("0.3000", "0.3100"), 1e-3)[0] is False
    assert compare("a b", "a  b", 1e-3) == (False, None)  # spacing counts where no number is


def test_compare_reports_the_largest_relative_difference():
    agree, difference = compare("w 2.0001, b 4.2000", "w 2.0002, b 4.2010", 1e-3)
    assert agree and (difference.reference, difference.test) == ("4.2000", "4.2010")
    assert difference.relative == pytest.approx(0.001 / 4.201)


def test_versions_words_and_names_are_text_not_numbers():
    texts, numbers = split_numbers("torch 2.13.0+cpu on cuda:0, x2 and w_1 = 3.5")
    assert numbers == ["0", "3.5"]
    assert compare("torch 2.13.0", "torch 2.13.1", 1e-3)[0] is False
