"""The workload that every pipeline trains: the MLP of lesson 06 on one epoch of MNIST.

Pure Python, so the course's environment and the PyTorch one both import it.
"""

from __future__ import annotations

from dataclasses import dataclass

NUM_INPUTS = 784
NUM_HIDDENS = 256
NUM_OUTPUTS = 10
LAYER_SIZES = (NUM_INPUTS, NUM_HIDDENS, NUM_OUTPUTS)
BATCH_SIZE = 256
LEARNING_RATE = 0.5  # lesson 06's; it does not change the work of an epoch
SIGMA = 0.01
NUM_EXAMPLES = 60_000
SEED = 0


@dataclass(frozen=True)
class Gemm:
    """One matrix product ``(m, k) @ (k, n)`` of a training step, named by its role."""

    name: str
    m: int
    k: int
    n: int

    @property
    def flops(self) -> int:
        """Multiply-adds count two floating-point operations each."""
        return 2 * self.m * self.k * self.n


def mlp_gemms(batch: int = BATCH_SIZE, sizes: tuple[int, ...] = LAYER_SIZES) -> list[Gemm]:
    """The matrix products of one training step of an MLP with layer widths ``sizes``.

    Each layer needs its forward product and its weight gradient; every layer but the first
    also passes the gradient to its input. The first layer's input is the data, which needs
    no gradient, so that product is left out: this is the least work any framework must do.
    """
    gemms = []
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        gemms.append(Gemm(f"layer {layer} forward", batch, fan_in, fan_out))
        gemms.append(Gemm(f"layer {layer} weight gradient", fan_out, batch, fan_in))
        if layer > 1:
            gemms.append(Gemm(f"layer {layer} input gradient", batch, fan_out, fan_in))
    return gemms


def epoch_flops(num_examples: int = NUM_EXAMPLES, sizes: tuple[int, ...] = LAYER_SIZES) -> int:
    """Floating-point operations of the matrix products of one epoch (every GEMM is linear in the batch)."""
    return sum(g.flops for g in mlp_gemms(num_examples, sizes))
