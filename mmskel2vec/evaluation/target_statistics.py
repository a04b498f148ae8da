"""How much of the targets' variance token position alone explains."""
from typing import Optional

import torch


class PositionVarianceShare:
    """Streaming share of target variance explained by token position.

    For targets ``(B, L, D)`` (``L`` token positions ``(t, v)``), the share
    is ``1 - within / total``, where ``within`` is the variance across
    samples at a fixed position and ``total`` the variance over samples and
    positions together, each averaged over channels. 0 means the position
    says nothing about the target; 1 means every sample gets the same
    target at a position (the targets collapsed onto a positional code).

    Call :meth:`update` with batches of targets, then :meth:`compute`.
    """

    def __init__(self) -> None:
        self.count = 0
        self.sum: Optional[torch.Tensor] = None
        self.sum_sq: Optional[torch.Tensor] = None

    def update(self, targets: torch.Tensor) -> None:
        """Add a batch ``(B, L, D)`` of targets."""
        targets = targets.detach().double().cpu()
        if self.sum is None:
            self.sum = torch.zeros(targets.shape[1:], dtype=torch.float64)
            self.sum_sq = torch.zeros_like(self.sum)
        if targets.shape[1:] != self.sum.shape:
            raise ValueError(f'targets {tuple(targets.shape)} do not match '
                             f'earlier batches {tuple(self.sum.shape)}')
        self.count += targets.shape[0]
        self.sum += targets.sum(0)
        self.sum_sq += targets.square().sum(0)

    def compute(self) -> float:
        """The share in ``[0, 1]``; needs at least two samples."""
        if self.count < 2:
            raise ValueError('PositionVarianceShare needs at least two '
                             f'samples, got {self.count}')
        mean = self.sum / self.count  # (L, D)
        within = (self.sum_sq / self.count - mean.square()).mean()
        grand = mean.mean(0)  # (D,)
        total = (self.sum_sq.mean(0) / self.count - grand.square()).mean()
        if total <= 0:
            return 1.0
        return float((1.0 - within / total).clamp(0.0, 1.0))
