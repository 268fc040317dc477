"""Seconds per training epoch of lesson 06's MLP in MXNet, fed by the course's loader or the D2L book's.

Run as ``python -m bench.mxnet_mlp {course,d2l} EPOCHS``; prints the median epoch time as JSON.
Model, initialisation, trainer, loss and loop are exactly the lesson's: only the batches differ.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mxnet import gluon, init, npx

from bench.gluon_data import d2l_train_loader, write_gzipped_mnist
from bench.timing import median_seconds
from bench.workload import BATCH_SIZE, LEARNING_RATE, NUM_HIDDENS, NUM_OUTPUTS, SEED, SIGMA
from d2l_utils import load_data_mnist, seed_everything, train_epoch, try_gpu


def lesson_mlp() -> tuple[gluon.nn.HybridSequential, gluon.Trainer, gluon.loss.Loss]:
    """The network, trainer and loss of lesson 06, built as the lesson builds them."""
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(NUM_HIDDENS, activation="relu"), gluon.nn.Dense(NUM_OUTPUTS))
    net.initialize(init.Normal(sigma=SIGMA), ctx=try_gpu())
    net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LEARNING_RATE})
    return net, trainer, gluon.loss.SoftmaxCrossEntropyLoss()


def epoch_seconds(train_iter: Iterable, epochs: int) -> float:
    """Median time of ``train_epoch`` over ``epochs`` epochs, after one warm-up epoch."""
    net, trainer, loss = lesson_mlp()
    return median_seconds(lambda: train_epoch(net, train_iter, loss, trainer), epochs)


def course_pipeline(epochs: int) -> float:
    """The course's path: ``load_data_mnist`` (the whole data set in memory) and ``train_epoch``."""
    train_iter, _ = load_data_mnist(BATCH_SIZE, ctx=try_gpu())
    return epoch_seconds(train_iter, epochs)


def d2l_pipeline(epochs: int) -> float:
    """The D2L book's path: ``gluon.data.vision.MNIST``, ``ToTensor``, ``DataLoader`` with 4 workers."""
    with tempfile.TemporaryDirectory() as root:
        write_gzipped_mnist(Path(root))
        return epoch_seconds(d2l_train_loader(Path(root), BATCH_SIZE, try_gpu()), epochs)


PIPELINES = {"course": course_pipeline, "d2l": d2l_pipeline}

if __name__ == "__main__":
    npx.set_np()
    seed_everything(SEED)
    print(json.dumps({"seconds": PIPELINES[sys.argv[1]](int(sys.argv[2]))}))
