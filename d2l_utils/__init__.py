"""d2l_utils: the small, tested helpers shared by the notebooks of *Dive into Deep Learning in 1 Day*.

The course has two tracks. ``import d2l_utils as d2l`` gives the MXNet track's helpers (its default),
``from d2l_utils import torch as d2l`` the PyTorch track's. The framework-neutral modules (datasets,
fetch_mnist, envcheck, plotting) import neither framework, so each track's environment holds only
its own: where MXNet is not installed (the PyTorch track's .venv-pytorch) this package exports
none of the MXNet names, and asking for one says where its PyTorch counterpart lives.
"""

# MXNet's CUDA build needs its CUDA libraries loaded before anything imports MXNet (d2l_utils/cuda.py).
# ruff: noqa: E402
from importlib.util import find_spec

from d2l_utils.cuda import preload_for_cuda_build

preload_for_cuda_build()

from d2l_utils.datasets import ChecksumError, ImageDataset, load_fashion_mnist, load_mnist

__all__ = ["ChecksumError", "ImageDataset", "load_fashion_mnist", "load_mnist"]

if find_spec("mxnet") is not None:
    from d2l.mxnet import sgd, synthetic_data

    from d2l_utils.devices import num_gpus, try_all_gpus, try_gpu
    from d2l_utils.loader import ArrayLoader, load_data_mnist, to_device_arrays
    from d2l_utils.plotting import LivePlot, plot, set_figsize, show_images, use_png_display
    from d2l_utils.reproducibility import seed_everything
    from d2l_utils.training import Accumulator, History, Timer, accuracy, evaluate_accuracy, train, train_epoch

    __all__ += [
        "Accumulator", "ArrayLoader", "History", "LivePlot", "Timer", "accuracy", "evaluate_accuracy",
        "load_data_mnist", "num_gpus", "plot", "seed_everything", "set_figsize", "sgd", "show_images",
        "synthetic_data", "to_device_arrays", "train", "train_epoch", "try_all_gpus", "try_gpu", "use_png_display",
    ]
else:

    def __getattr__(name: str) -> object:
        """Without MXNet, point a lesson that asks for a helper here to the PyTorch track's module."""
        raise AttributeError(
            f"module 'd2l_utils' has no attribute {name!r}: MXNet is not installed, so only the course's "
            "framework-neutral helpers are here; the PyTorch track's are in `from d2l_utils import torch as d2l`"
        )
