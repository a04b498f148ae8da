"""Low-level regression targets: masked joint or motion reconstruction."""
from typing import Optional

import torch
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS


@MODELS.register_module()
class LowLevelTargetGenerator(BaseModule):
    """Raw coordinates (MAE) or their frame differences (MAMP) per token.

    The baseline targets of masked skeleton modelling. Every token of the
    ``(T // t_patch, V)`` grid covers ``t_patch`` frames of one joint; its
    target is those ``t_patch x C`` values, flattened frame by frame:

    - ``kind='joint'``: the coordinates ``x[t]`` (masked joint
      reconstruction);
    - ``kind='motion'``: ``x[t + stride] - x[t]``, with zeros for the last
      ``stride`` frames (masked motion prediction).

    With ``normalize`` every token's target is standardized over its own
    ``t_patch x C`` values (the per-patch normalization of MAE). The teacher
    is not used. Pair it with a head whose ``target_dims`` is ``t_patch * C``.

    Args:
        kind (str): ``'joint'`` or ``'motion'``. Defaults to ``'motion'``.
        t_patch (int): Frames per token; must equal the backbone's (its
            temporal stride for a GCN). Defaults to 4.
        motion_stride (int): Frame offset of the motion. Defaults to 1.
        normalize (bool): Standardize every token's target. Defaults to
            True.
        eps (float): Added to the variance when normalizing.
            Defaults to 1e-6.
    """

    KINDS = ('joint', 'motion')

    #: The targets are computed from the input alone; the teacher is unused.
    uses_teacher = False

    def __init__(self,
                 kind: str = 'motion',
                 t_patch: int = 4,
                 motion_stride: int = 1,
                 normalize: bool = True,
                 eps: float = 1e-6) -> None:
        super().__init__()
        if kind not in self.KINDS:
            raise ValueError(f'kind must be one of {self.KINDS}, got {kind!r}')
        if t_patch < 1 or motion_stride < 1:
            raise ValueError('t_patch and motion_stride must be >= 1, got '
                             f'{t_patch} and {motion_stride}')
        self.kind = kind
        self.t_patch = t_patch
        self.motion_stride = motion_stride
        self.normalize = normalize
        self.eps = eps

    def signal(self, skeletons: torch.Tensor) -> torch.Tensor:
        """The per-frame signal ``(B, T, V, C)``: coordinates or motion."""
        if self.kind == 'joint':
            return skeletons
        motion = torch.zeros_like(skeletons)
        step = self.motion_stride
        if skeletons.shape[1] > step:
            motion[:, :-step] = skeletons[:, step:] - skeletons[:, :-step]
        return motion

    @torch.no_grad()
    def forward(self,
                skeletons: torch.Tensor,
                teacher: Optional[nn.Module] = None) -> torch.Tensor:
        """Targets for every token.

        Args:
            skeletons (torch.Tensor): ``(B, T, V, C)``, ``T`` a multiple of
                ``t_patch``.
            teacher (nn.Module, optional): Ignored (the interface of
                ``Skeleton2Vec``'s target generators).

        Returns:
            torch.Tensor: float32 ``(B, T // t_patch * V, t_patch * C)`` in
            the token order of the encoders (temporal token major, joint
            minor).
        """
        if skeletons.dim() != 4:
            raise ValueError('LowLevelTargetGenerator expects (B, T, V, C), '
                             f'got {tuple(skeletons.shape)}')
        batch, frames, joints, channels = skeletons.shape
        if frames % self.t_patch:
            raise ValueError(f'{frames} frames are not a multiple of '
                             f't_patch={self.t_patch}')
        x = self.signal(skeletons.float())
        x = x.reshape(batch, frames // self.t_patch, self.t_patch, joints,
                      channels).transpose(2, 3)
        x = x.reshape(batch, -1, self.t_patch * channels)
        if self.normalize:
            mean = x.mean(-1, keepdim=True)
            var = x.var(-1, keepdim=True, unbiased=False)
            x = (x - mean) / (var + self.eps).sqrt()
        return x
