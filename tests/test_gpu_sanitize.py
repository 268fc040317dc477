"""The GPU check's sanitizers: a CUDA run and the stored CPU outputs compare equal where only the device differs."""

import re

import pytest
from nbval.plugin import get_sanitize_patterns

from gpucheck.run import SANITIZE_FILES, joined_sanitizers


@pytest.fixture(scope="module")
def patterns(tmp_path_factory):
    return get_sanitize_patterns(joined_sanitizers(tmp_path_factory.mktemp("cfg")).read_text())


def sanitize(patterns, text: str) -> str:
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


def test_both_files_are_joined_the_gpu_checks_first(patterns):
    gpu_rules, course_rules = (get_sanitize_patterns(f.read_text()) for f in SANITIZE_FILES)
    assert patterns == gpu_rules + course_rules
    assert len(gpu_rules) == SANITIZE_FILES[0].read_text().count("\n[")


@pytest.mark.parametrize(
    ("on_gpu", "on_cpu"),
    [
        ("tensor([1., 2.], device='cuda:0')", "tensor([1., 2.])"),
        ("tensor([[1., 2.],\n        [3., 4.]], device='cuda:0', requires_grad=True)",
         "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"),
        ("tensor(3.5000, device='cuda:0', grad_fn=<SumBackward0>)", "tensor(3.5000, grad_fn=<SumBackward0>)"),
        ("device(type='cuda', index=0)", "device(type='cpu')"),
        ("torch.matmul on cuda:0", "torch.matmul on cpu"),
        ("Z on cuda:0 | X on cpu", "Z on cpu | X on cpu"),
        ("GPU: NVIDIA H200", "GPU: NVIDIA GeForce RTX 4090"),
        ("OK    torch: 2.11.0+cu130\nFAIL  jupyterlab: not installed  ->  `make install TRACK=pytorch`\n"
         "1 requirement(s) FAIL: apply the fixes above.",
         "OK    torch: 2.13.0+cpu\nOK    jupyterlab: 4.6.6\nAll requirements met."),
        ("epoch 3: 0.41 sec on cuda:0", "epoch 3: 2.83 sec on cpu"),
    ],
)
def test_device_differences_vanish(patterns, on_gpu, on_cpu):
    assert sanitize(patterns, on_gpu) == sanitize(patterns, on_cpu)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tensor([1., 2.], device='cuda:0')", "tensor([1., 3.])"),
        ("tensor([1., 2.], requires_grad=True)", "tensor([1., 2.])"),
        ("torch.Size([2, 3]) on cuda:0", "torch.Size([3, 2]) on cpu"),
        ("OK    torch: 2.13.0+cpu", "OK    numpy: 2.3.5"),
        ("test accuracy 0.912", "test accuracy 0.922"),
    ],
)
def test_results_are_not_sanitized(patterns, one, other):
    assert sanitize(patterns, one) != sanitize(patterns, other)
