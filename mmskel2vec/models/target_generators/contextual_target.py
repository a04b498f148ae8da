"""Contextualized regression targets from a teacher's block outputs."""
from typing import Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS


@MODELS.register_module()
class ContextualTargetGenerator(BaseModule):
    """Average of the top-K teacher block outputs, each normalized.

    data2vec-style targets: each of the last ``top_k`` block outputs is
    normalized (``'instance'``: every channel over the tokens of a sequence;
    ``'layer'``: every token over its channels; ``'none'``), the normalized
    outputs are averaged, and the average is layer-normalized (no affine)
    when ``final_norm`` is set. Computed in float32 whatever the autocast.

    Args:
        top_k (int): Number of last blocks averaged. Defaults to 8.
        layer_norm (str): Per-block normalization: ``'instance'``,
            ``'layer'`` or ``'none'``. Defaults to ``'instance'``.
        final_norm (bool): Layer-normalize the average. Defaults to True.
    """

    NORMS = ('instance', 'layer', 'none')

    def __init__(self,
                 top_k: int = 8,
                 layer_norm: str = 'instance',
                 final_norm: bool = True) -> None:
        super().__init__()
        if layer_norm not in self.NORMS:
            raise ValueError(f'layer_norm must be one of {self.NORMS}, got '
                             f'{layer_norm!r}')
        if top_k < 1:
            raise ValueError(f'top_k must be >= 1, got {top_k}')
        self.top_k = top_k
        self.layer_norm = layer_norm
        self.final_norm = final_norm

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """Normalize one block output ``(B, L, D)``."""
        if self.layer_norm == 'instance':
            return F.instance_norm(x.transpose(1, 2)).transpose(1, 2)
        if self.layer_norm == 'layer':
            return F.layer_norm(x, x.shape[-1:])
        return x

    @torch.no_grad()
    def forward(self, skeletons: torch.Tensor,
                teacher: nn.Module) -> torch.Tensor:
        """Targets for every token of unmasked skeletons.

        Args:
            skeletons (torch.Tensor): ``(B, T, V, C)``.
            teacher (nn.Module): Encoder with ``forward_tokens(x,
                return_layers=True)``, run without gradients.

        Returns:
            torch.Tensor: float32 targets ``(B, L, D)``.
        """
        _, layers = teacher.forward_tokens(skeletons, return_layers=True)
        return self.combine(layers)

    def combine(self, layers: Sequence[torch.Tensor]) -> torch.Tensor:
        """Build targets ``(B, L, D)`` from block outputs ``[(B, L, D)]``."""
        if len(layers) < self.top_k:
            raise ValueError(f'top_k={self.top_k} exceeds the teacher depth '
                             f'{len(layers)}')
        with torch.autocast(layers[0].device.type, enabled=False):
            top = layers[-self.top_k:]
            target = torch.zeros(top[0].shape, device=top[0].device)
            for layer in top:
                target.add_(self.normalize(layer.float()))
            target = target.div_(self.top_k)
            if self.final_norm:
                target = F.layer_norm(target, target.shape[-1:])
        return target
