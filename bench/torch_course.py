"""Seconds per training epoch of lesson 06's MLP on the PyTorch track's path: ``d2l_utils.torch``.

Run in the PyTorch track's environment (.venv-pytorch) as ``python -m bench.torch_course EPOCHS``;
prints the median epoch time as JSON. The counterpart of ``bench.mxnet_mlp course``: the track's
``load_data_mnist`` (the whole data set in memory, on ``try_gpu()``) and ``train_epoch``, with the
model, initialisation, optimizer and loss of ``bench.torch_mlp``, the peer baseline.
"""

from __future__ import annotations

import json
import sys

import torch
from torch import nn

from bench.timing import median_seconds
from bench.torch_mlp import lesson_mlp
from bench.workload import BATCH_SIZE, LEARNING_RATE, SEED
from d2l_utils import torch as d2l


def epoch_seconds(epochs: int) -> float:
    """Median time of ``d2l.train_epoch`` over ``epochs`` epochs, after one warm-up epoch."""
    d2l.seed_everything(SEED)
    device = d2l.try_gpu()
    train_iter, _ = d2l.load_data_mnist(BATCH_SIZE, device=device)
    net = lesson_mlp().to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)
    loss = nn.CrossEntropyLoss(reduction="none")
    return median_seconds(lambda: d2l.train_epoch(net, train_iter, loss, optimizer), epochs)


if __name__ == "__main__":
    seconds = epoch_seconds(int(sys.argv[1]))
    print(json.dumps({"seconds": seconds, "threads": torch.get_num_threads(), "version": torch.__version__}))
