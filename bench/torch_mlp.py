"""Seconds per training epoch of the same MLP in PyTorch on the CPU: the peer baseline.

Run in the benchmark environment as ``python -m bench.torch_mlp DATA.npz EPOCHS``, where the
``.npz`` holds MNIST's training ``images`` (uint8, one row of 784 per image) and ``labels``,
written by ``bench.run`` from the course's verified files. Prints the median epoch time as JSON.
The loop mirrors ``d2l_utils.train_epoch``: batches of the same shuffled order (NumPy's
generator, same seed), mean loss and correct predictions summed on the device, read once.
"""

from __future__ import annotations

import json
import sys

import numpy as onp
import torch
from torch import nn

from bench.timing import median_seconds
from bench.workload import BATCH_SIZE, LEARNING_RATE, NUM_HIDDENS, NUM_INPUTS, NUM_OUTPUTS, SEED, SIGMA


def lesson_mlp() -> nn.Sequential:
    """784-256-10 with ReLU, weights drawn from N(0, 0.01^2) and zero biases, as in lesson 06."""
    net = nn.Sequential(nn.Linear(NUM_INPUTS, NUM_HIDDENS), nn.ReLU(), nn.Linear(NUM_HIDDENS, NUM_OUTPUTS))
    for layer in (net[0], net[2]):
        nn.init.normal_(layer.weight, std=SIGMA)
        nn.init.zeros_(layer.bias)
    return net


def train_epoch(
    net: nn.Module, features: torch.Tensor, labels: torch.Tensor, optimizer: torch.optim.Optimizer
) -> tuple[float, float]:
    """One shuffled pass in minibatches; returns the mean loss and the training accuracy."""
    loss = nn.CrossEntropyLoss(reduction="none")
    order = torch.from_numpy(onp.random.permutation(len(labels)))
    loss_sum, correct = torch.zeros(()), torch.zeros(())
    for start in range(0, len(labels), BATCH_SIZE):
        batch = order[start : start + BATCH_SIZE]
        X, y = features[batch], labels[batch]
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        optimizer.zero_grad()
        batch_loss.mean().backward()
        optimizer.step()
        with torch.no_grad():
            loss_sum += batch_loss.sum()
            correct += (y_hat.argmax(dim=1) == y).sum()
    return loss_sum.item() / len(labels), correct.item() / len(labels)


def epoch_seconds(data_path: str, epochs: int) -> float:
    """Median epoch time over ``epochs`` epochs, after one warm-up epoch."""
    onp.random.seed(SEED)
    torch.manual_seed(SEED)
    data = onp.load(data_path)
    features = torch.from_numpy(data["images"].astype(onp.float32)) / 255
    labels = torch.from_numpy(data["labels"].astype(onp.int64))
    net = lesson_mlp()
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)
    return median_seconds(lambda: train_epoch(net, features, labels, optimizer), epochs)


if __name__ == "__main__":
    seconds = epoch_seconds(sys.argv[1], int(sys.argv[2]))
    print(json.dumps({"seconds": seconds, "threads": torch.get_num_threads(), "version": torch.__version__}))
