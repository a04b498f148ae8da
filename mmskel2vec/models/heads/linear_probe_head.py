"""Linear classifier on pooled, batch-normalized backbone features."""
from typing import Dict, List, Optional, Union

import torch
from torch import nn

from mmaction.models.heads.base import BaseHead
from mmaction.registry import MODELS


@MODELS.register_module()
class LinearProbeHead(BaseHead):
    """Linear evaluation head: global average pool, BatchNorm, one Linear.

    Takes the recognizer-layout features ``(N, M, C, T', V)`` of a (frozen)
    backbone, averages them over the token grid and the persons, normalizes
    every channel with a BatchNorm without affine parameters (so the only
    learned map is the linear layer, as in the MAE/MAMP linear protocols) and
    applies one ``nn.Linear``. Losses, label smoothing and top-k accuracies
    come from MMAction2's ``BaseHead``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Feature channels ``C``.
        loss_cls (dict): Loss config. Defaults to ``CrossEntropyLoss``.
        bn_eps (float): BatchNorm epsilon. Defaults to 1e-6.
        average_clips (str): How test clips are averaged. Defaults to
            ``'prob'``.
        init_cfg (dict | list[dict]): Init config. Defaults to a truncated
            normal (std 0.01) on the Linear layer, biases zero.
        **kwargs: Other ``BaseHead`` arguments (``label_smooth_eps``,
            ``topk`` ...).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 bn_eps: float = 1e-6,
                 average_clips: str = 'prob',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = dict(
                     type='TruncNormal', layer='Linear', std=0.01, bias=0.0),
                 **kwargs) -> None:
        super().__init__(
            num_classes,
            in_channels,
            loss_cls=loss_cls,
            average_clips=average_clips,
            init_cfg=init_cfg,
            **kwargs)
        self.bn = nn.BatchNorm1d(in_channels, affine=False, eps=bn_eps)
        self.fc = nn.Linear(in_channels, num_classes)

    def pool(self, x: torch.Tensor) -> torch.Tensor:
        """Average ``(N, M, C, T', V)`` features into ``(N, C)``."""
        if x.dim() != 5 or x.shape[2] != self.in_channels:
            raise ValueError(
                f'LinearProbeHead expects (N, M, {self.in_channels}, T, V) '
                f'features, got {tuple(x.shape)}')
        return x.mean(dim=(3, 4)).mean(dim=1)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Class scores ``(N, num_classes)`` of ``(N, M, C, T, V)`` input."""
        return self.fc(self.bn(self.pool(x)))
