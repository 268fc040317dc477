"""The epoch loop that both tracks' ``train`` share: train an epoch, evaluate, record, plot live.

Framework-neutral: each track passes its own one-epoch training and evaluation as functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from d2l_utils.plotting import LivePlot


@dataclass
class History:
    """Per-epoch mean training loss, training accuracy and test accuracy."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)


def run_epochs(
    train_one_epoch: Callable[[], tuple[float, float]],
    evaluate: Callable[[], float],
    num_epochs: int,
    live_plot: bool = True,
) -> History:
    """Run ``num_epochs`` of ``train_one_epoch`` (mean loss, accuracy), each followed by ``evaluate`` (test accuracy).

    With ``live_plot`` the three curves grow in one figure as the epochs end; returns their history.
    """
    history = History()
    board = None
    if live_plot:
        board = LivePlot(["train loss", "train acc", "test acc"], xlabel="epoch", xlim=(1, num_epochs))
    for epoch in range(1, num_epochs + 1):
        train_loss, train_acc = train_one_epoch()
        test_acc = evaluate()
        history.train_loss.append(train_loss)
        history.train_acc.append(train_acc)
        history.test_acc.append(test_acc)
        if board is not None:
            board.add(epoch, (train_loss, train_acc, test_acc))
    return history
