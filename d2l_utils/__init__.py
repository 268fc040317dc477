"""d2l_utils: the small, tested helpers shared by the notebooks of *Dive into Deep Learning in 1 Day*."""

# MXNet's CUDA build needs its CUDA libraries loaded before anything imports MXNet (d2l_utils/cuda.py).
# ruff: noqa: E402
from d2l_utils.cuda import preload_for_cuda_build

preload_for_cuda_build()

from d2l.mxnet import sgd, synthetic_data

from d2l_utils.datasets import ChecksumError, ImageDataset, load_fashion_mnist, load_mnist
from d2l_utils.devices import num_gpus, try_all_gpus, try_gpu
from d2l_utils.loader import ArrayLoader, load_data_mnist, to_device_arrays
from d2l_utils.plotting import LivePlot, plot, set_figsize, show_images, use_png_display
from d2l_utils.reproducibility import seed_everything
from d2l_utils.training import Accumulator, History, Timer, accuracy, evaluate_accuracy, train, train_epoch

__all__ = [
    "Accumulator", "ArrayLoader", "ChecksumError", "History", "ImageDataset", "LivePlot", "Timer",
    "accuracy", "evaluate_accuracy", "load_data_mnist", "load_fashion_mnist", "load_mnist", "num_gpus",
    "plot", "seed_everything", "set_figsize", "sgd", "show_images", "synthetic_data", "train",
    "to_device_arrays", "train_epoch", "try_all_gpus", "try_gpu", "use_png_display",
]
