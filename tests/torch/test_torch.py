"""d2l_utils.torch, the PyTorch track's helpers, in the PyTorch track's environment (.venv-pytorch).

`make unit TRACK=pytorch` runs these (and `make test` does, through `make unit-pytorch`); the
MXNet track's `make unit` leaves tests/torch out, since its environment holds no torch.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec

import numpy as onp
import pytest
import torch
from torch import nn

from d2l_utils import torch as d2l


def test_the_torch_track_runs_without_mxnet_and_d2l():
    assert find_spec("mxnet") is None and find_spec("d2l") is None, "the PyTorch track carries no MXNet pins"
    assert int(onp.__version__.split(".")[0]) >= 2


def test_d2l_utils_without_mxnet_names_the_pytorch_module():
    import d2l_utils

    assert d2l_utils.load_mnist is d2l.load_mnist
    with pytest.raises(AttributeError, match=r"from d2l_utils import torch as d2l"):
        d2l_utils.try_gpu  # noqa: B018


def test_importing_d2l_utils_imports_no_framework():
    code = "import sys, d2l_utils, d2l_utils.plotting, d2l_utils.envcheck; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_try_gpu_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(d2l, "mps_available", lambda: True)
    assert d2l.try_gpu() == torch.device("cuda:0") and d2l.try_gpu(1) == torch.device("cuda:1")
    assert d2l.try_all_gpus() == [torch.device("cuda:0"), torch.device("cuda:1")]
    assert d2l.try_gpu(2) == torch.device("mps"), "no third GPU: the next choice, not an error"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert d2l.num_gpus() == 0 and d2l.try_gpu() == torch.device("mps") and d2l.try_all_gpus() == [torch.device("mps")]
    monkeypatch.setattr(d2l, "mps_available", lambda: False)
    assert d2l.try_gpu() == torch.device("cpu") and d2l.try_all_gpus() == [torch.device("cpu")]


def test_try_gpu_on_this_machine_is_a_device_tensors_live_on():
    device = d2l.try_gpu()
    assert torch.ones(2, device=device).device.type == device.type


def test_seed_everything_repeats_torch_numpy_and_python_draws():
    import random

    def draws():
        return torch.rand(3).tolist(), onp.random.rand(3).tolist(), random.random()

    d2l.seed_everything(7)
    first = draws()
    d2l.seed_everything(7)
    assert draws() == first
    d2l.seed_everything(8)
    assert draws() != first


def test_to_device_arrays_scales_shapes_and_types():
    images = onp.array([[[0, 255], [51, 102]]] * 3, dtype=onp.uint8)
    labels = onp.array([1, 2, 3], dtype=onp.uint8)
    X, y = d2l.to_device_arrays(images, labels, torch.device("cpu"), flatten=True)
    assert X.shape == (3, 4) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert torch.allclose(X[0], torch.tensor([0.0, 1.0, 0.2, 0.4]))
    X4, _ = d2l.to_device_arrays(images, labels, torch.device("cpu"), flatten=False)
    assert X4.shape == (3, 1, 2, 2)


def test_array_loader_covers_every_row_once_and_shuffles_repeatably():
    X, y = torch.arange(10).reshape(10, 1), torch.arange(10)
    batches = list(d2l.ArrayLoader(X, y, batch_size=4))
    assert [len(b[1]) for b in batches] == [4, 4, 2] and torch.equal(torch.cat([b[1] for b in batches]), y)
    loader = d2l.ArrayLoader(X, y, batch_size=4, shuffle=True)
    d2l.seed_everything(0)
    order = torch.cat([b[1] for b in loader])
    assert sorted(order.tolist()) == list(range(10)) and order.tolist() != list(range(10))
    assert all(torch.equal(bx[:, 0], by) for bx, by in loader), "features and labels stay paired"
    d2l.seed_everything(0)
    assert torch.equal(torch.cat([b[1] for b in loader]), order)
    # The same permutation as the MXNet track's loader draws: NumPy's, from the same seed.
    onp.random.seed(0)
    assert order.tolist() == onp.random.permutation(10).tolist()
    assert len(loader) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "at least one"), ((torch.zeros(3), torch.zeros(4)), "same first dimension")],
)
def test_array_loader_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        d2l.ArrayLoader(*args, batch_size=2)
    with pytest.raises(ValueError, match="positive"):
        d2l.ArrayLoader(torch.zeros(3), batch_size=0)


def test_accuracy_counts_argmax_hits_and_checks_shapes():
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert d2l.accuracy(y_hat, torch.tensor([1, 0, 0, 1])) == 0.5
    assert d2l.count_correct(y_hat, torch.tensor([1, 0, 0, 1])).item() == 2
    for count in (d2l.accuracy, d2l.count_correct):
        with pytest.raises(ValueError, match=r"expected scores of shape .* got \(4, 2\) and \(2,\)"):
            count(y_hat, torch.tensor([1, 0]))
        with pytest.raises(ValueError, match=r"got \(2,\) and \(2,\)"):
            count(torch.tensor([0.1, 0.9]), torch.tensor([1, 0]))


def test_sgd_steps_against_the_mean_gradient_and_zeroes_it():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * torch.tensor([3.0, 4.0])).sum().backward()
    d2l.sgd([w], lr=0.5, batch_size=2)
    assert torch.allclose(w, torch.tensor([1.0 - 0.5 * 3 / 2, 2.0 - 0.5 * 4 / 2]))
    assert torch.equal(w.grad, torch.zeros(2)) and w.requires_grad


def test_synthetic_data_follows_the_linear_model():
    d2l.seed_everything(0)
    w = torch.tensor([2.0, -3.4])
    X, y = d2l.synthetic_data(w, 4.2, 1000)
    assert X.shape == (1000, 2) and y.shape == (1000, 1)
    assert (y[:, 0] - (X @ w + 4.2)).abs().max() < 0.05


def tiny_problem():
    """Two well separated classes of 2-d points, 100 of each, in loaders of 20."""
    d2l.seed_everything(0)
    X = torch.cat([torch.randn(100, 2) + 3, torch.randn(100, 2) - 3])
    y = torch.cat([torch.zeros(100, dtype=torch.int64), torch.ones(100, dtype=torch.int64)])
    return d2l.ArrayLoader(X, y, batch_size=20, shuffle=True), d2l.ArrayLoader(X, y, batch_size=20)


@pytest.mark.parametrize("optimizer", ["torch.optim.SGD", "from scratch"])
def test_train_learns_a_separable_problem_with_either_updater(optimizer):
    train_iter, test_iter = tiny_problem()
    net = nn.Sequential(nn.Linear(2, 2))
    updater = (
        torch.optim.SGD(net.parameters(), lr=0.1)
        if optimizer == "torch.optim.SGD"
        else lambda batch_size: d2l.sgd(net.parameters(), 0.1, batch_size)
    )
    loss = nn.CrossEntropyLoss(reduction="none")
    history = d2l.train(net, train_iter, test_iter, loss, 3, updater, live_plot=False)
    assert len(history.train_loss) == 3 and history.train_loss[-1] < history.train_loss[0]
    assert history.test_acc[-1] >= 0.99, history
    assert history.train_loss[-1] < 0.1


def test_train_epoch_reports_the_mean_loss_and_accuracy_of_what_it_saw():
    X, y = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0, 1, 1])
    net = nn.Linear(1, 2)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[0.0], [1.0]]))
        net.bias.zero_()
    loss = nn.CrossEntropyLoss(reduction="none")
    expected_loss = loss(net(X), y).mean().item()
    expected_acc = d2l.accuracy(net(X), y)
    mean_loss, acc = d2l.train_epoch(net, d2l.ArrayLoader(X, y, batch_size=3), loss, lambda n: None)
    assert mean_loss == pytest.approx(expected_loss) and acc == expected_acc == 2 / 3


def test_load_data_mnist_gives_normalized_minibatches(mnist_dir):
    train_iter, test_iter = d2l.load_data_mnist(256, device=torch.device("cpu"))
    X, y = next(iter(test_iter))
    assert X.shape == (256, 784) and y.shape == (256,) and X.dtype == torch.float32
    assert 0 <= X.min() and X.max() <= 1 and y.dtype == torch.int64
    assert train_iter.num_examples == 60000 and test_iter.num_examples == 10000
    X_img, _ = next(iter(d2l.load_data_mnist(8, flatten=False, device=torch.device("cpu"))[1]))
    assert X_img.shape == (8, 1, 28, 28)


def test_an_optimizer_steps_on_the_mean_loss_and_a_scratch_updater_gets_the_sums_gradient():
    X, y = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0, 1, 1])
    loss = nn.CrossEntropyLoss(reduction="none")

    def fresh() -> nn.Linear:
        net = nn.Linear(1, 2)
        with torch.no_grad():
            net.weight.copy_(torch.tensor([[0.5], [-0.5]]))
            net.bias.zero_()
        return net

    # Two steps by hand, each on the batch's mean loss with fresh gradients.
    expected = fresh()
    for _ in range(2):
        expected.zero_grad()
        loss(expected(X), y).mean().backward()
        with torch.no_grad():
            for param in expected.parameters():
                param -= 0.5 * param.grad
    net = fresh()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(2):
        d2l.train_epoch(net, d2l.ArrayLoader(X, y, batch_size=3), loss, optimizer)
    assert torch.allclose(net.weight, expected.weight) and torch.allclose(net.bias, expected.bias)

    scratch, seen = fresh(), []
    d2l.train_epoch(scratch, d2l.ArrayLoader(X, y, batch_size=3), loss, lambda n: seen.append((n, scratch.weight.grad)))
    reference = fresh()
    loss(reference(X), y).sum().backward()
    assert seen[0][0] == 3 and torch.allclose(seen[0][1], reference.weight.grad)


def test_the_pytorch_environment_passes_its_environment_check(mnist_dir):
    from d2l_utils.envcheck import check_environment, report

    checks = check_environment("pytorch")
    assert all(c.ok for c in checks), report(checks)
    assert "torch" in [c.name for c in checks] and "mxnet" not in [c.name for c in checks]


# --------------------------------------------------------------------------------------------
# Lesson 03: linear regression from scratch (the lesson's `# @save` cells)


def test_data_iter_visits_every_example_once_per_epoch_in_a_new_order():
    features = torch.arange(10.0).reshape(5, 2)
    labels = torch.arange(5.0).reshape(5, 1)
    onp.random.seed(0)
    batches = list(d2l.data_iter(2, features, labels))
    assert [len(X) for X, _ in batches] == [2, 2, 1]
    seen = torch.cat([y for _, y in batches]).reshape(-1)
    assert sorted(seen.tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0] and seen.tolist() != sorted(seen.tolist())
    for X, y in batches:  # rows stay paired with their labels
        assert torch.equal(X[:, 0], 2 * y.reshape(-1))
    second = torch.cat([y for _, y in d2l.data_iter(2, features, labels)]).reshape(-1)
    assert second.tolist() != seen.tolist()


def test_linreg_and_squared_loss_give_one_prediction_and_one_loss_per_example():
    X = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
    w, b = torch.tensor([[2.0], [-3.4]]), 4.2
    y_hat = d2l.linreg(X, w, b)
    assert y_hat.shape == (2, 1) and torch.allclose(y_hat, torch.tensor([[-0.6], [13.6]]))
    loss = d2l.squared_loss(y_hat, torch.tensor([0.4, 13.6]))  # labels of another shape: reshaped
    assert loss.shape == (2, 1) and torch.allclose(loss, torch.tensor([[1.0], [0.0]]))


# --------------------------------------------------------------------------------------------
# Lesson 04: stochastic gradient descent


@pytest.mark.parametrize(
    ("device", "expected"),
    [(torch.device("cpu"), []), (torch.device("cuda", 1), [("cuda", torch.device("cuda", 1))]),
     (torch.device("mps"), [("mps", None)])],
)
def test_synchronize_waits_for_the_queue_of_the_device_it_is_given(monkeypatch, device, expected):
    calls = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda d=None: calls.append(("cuda", d)))
    monkeypatch.setattr(torch.mps, "synchronize", lambda: calls.append(("mps", None)))
    d2l.synchronize(device)
    assert calls == expected


# Lessons 05 and 06: softmax, init_linear, and the network figures fed with PyTorch tensors


def test_softmax_gives_rows_of_probabilities_without_overflow():
    o = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 999.0, 990.0]])
    P = d2l.softmax(o)
    expected = torch.exp(o[0]) / torch.exp(o[0]).sum()
    assert torch.allclose(P[0], expected) and torch.allclose(P.sum(dim=1), torch.ones(2))
    assert torch.isfinite(P).all(), "large scores must not overflow"
    assert torch.allclose(P, torch.softmax(o, dim=1))


def test_init_linear_sets_every_linear_weight_and_zeroes_the_biases():
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 2)))
    assert d2l.init_linear(net, lambda weight: nn.init.constant_(weight, 0.5)) is net
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 2
    for layer in linears:
        assert torch.equal(layer.weight, torch.full_like(layer.weight, 0.5))
        assert torch.equal(layer.bias, torch.zeros_like(layer.bias)) and layer.weight.requires_grad
    d2l.seed_everything(0)
    d2l.init_linear(net, lambda weight: nn.init.normal_(weight, std=0.01))
    assert 0.001 < linears[0].weight.std().item() < 0.03


def test_network_figures_take_tensors_that_require_gradients():
    from d2l_utils.network_figures import plot_gradient, show_predictions

    p = torch.tensor([0.2, 0.5, 0.3], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.0])
    fig = plot_gradient(p, y, p - y)
    heights = [[bar.get_height() for bar in container] for container in fig.axes[0].containers]
    assert onp.allclose(heights, [[0.2, 0.5, 0.3], [0, 1, 0], [0.2, -0.5, 0.3]])
    axes = show_predictions(torch.zeros(3, 784), torch.tensor([1, 2, 3]), torch.tensor([1, 0, 3]), num_first=1)
    assert [ax.get_title() for ax in axes] == ["1 → 1", "2 → 0"]


def test_value_and_derivative_differentiates_a_tensor_by_torch_autograd():
    from d2l_utils.network_figures import value_and_derivative

    x = torch.tensor([-2.0, -0.5, 0.5, 3.0])
    values, derivatives = value_and_derivative(lambda z: z * z, x)
    assert torch.equal(values, x * x) and torch.equal(derivatives, 2 * x)
    assert not x.requires_grad and x.grad is None, "the caller's tensor is left as it was"
    _, relu = value_and_derivative(torch.relu, x)
    assert relu.tolist() == [0, 0, 1, 1]
    with pytest.raises(TypeError, match=r"MXNet array or a PyTorch tensor, got list: convert x"):
        value_and_derivative(lambda z: z, [1.0, 2.0])


def test_plot_activations_draws_torch_functions_and_their_derivatives():
    from d2l_utils.network_figures import plot_activations

    x = torch.linspace(-2, 2, 8)
    fig = plot_activations(x, {"sigmoid": torch.sigmoid}, step=False)
    left, right = fig.axes
    s = torch.sigmoid(x)
    assert onp.allclose(left.lines[0].get_ydata(), s.numpy())
    assert onp.allclose(right.lines[0].get_ydata(), (s * (1 - s)).numpy(), atol=1e-6)


def test_plot_decision_regions_feeds_torch_nets_a_tensor_grid():
    from d2l_utils.network_figures import plot_decision_regions

    seen = []

    def sign_of_x1(X: torch.Tensor) -> torch.Tensor:
        seen.append((type(X), X.dtype, X.device))
        return torch.stack([-X[:, 0], X[:, 0]], dim=1).requires_grad_()

    X = torch.tensor([[1.0, 1.0], [-1.0, 1.0], [0.5, -1.0]])
    fig = plot_decision_regions([sign_of_x1], X, torch.tensor([1, 0, 1]), titles=["x1 > 0"])
    assert seen == [(torch.Tensor, torch.float32, X.device)]
    (ax,) = fig.axes
    class_1, class_0 = ax.lines
    assert class_1.get_xdata().tolist() == [1.0, 0.5] and class_0.get_xdata().tolist() == [-1.0]
    regions = ax.collections[0]
    assert len(regions.get_paths()) >= 1 and ax.get_title() == "x1 > 0"


# Lesson 06: is there a C++ compiler for torch.compile?


def fake_compiler(folder, name: str) -> None:
    """An executable file ``name`` in ``folder``: what ``shutil.which`` looks for on the PATH."""
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)


@pytest.mark.parametrize(("platform", "default"), [("linux", "g++"), ("darwin", "clang++")])
def test_compiler_available_finds_cxx_else_the_platforms_default_on_the_path(
    monkeypatch, tmp_path, platform, default
):
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CXX", raising=False)
    assert not d2l.compiler_available(), "an empty PATH holds no compiler"
    fake_compiler(tmp_path, "my-c++")
    monkeypatch.setenv("CXX", "my-c++")
    assert d2l.compiler_available()
    monkeypatch.setenv("CXX", "no-such-c++")
    assert not d2l.compiler_available(), "$CXX names the compiler: no fallback when it is missing"
    monkeypatch.delenv("CXX")
    fake_compiler(tmp_path, default)
    assert d2l.compiler_available()


def test_compiler_available_agrees_with_pytorchs_own_search():
    from torch._inductor import cpp_builder, exc

    try:
        cpp_builder.get_cpp_compiler()
        found = True
    except exc.InvalidCxxCompiler:
        found = False
    assert d2l.compiler_available() == found
