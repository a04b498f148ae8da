"""Lightweight decoder and regression loss of Skeleton2vec."""
from typing import List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS
from ..utils.transformer import SpatioTemporalPosEmbed, build_blocks


@MODELS.register_module()
class Skeleton2VecHead(BaseModule):
    """Decoder that fills the token grid and regresses masked targets.

    The visible latents of the student are projected to the decoder width,
    placed back on the full ``(T', V)`` grid with a learned mask token at
    every masked position, given the decoder's own position embeddings, and
    run through ``depth`` transformer blocks. A linear regressor predicts the
    teacher's target at the masked tokens only, and the loss is taken there.

    Args:
        in_channels (int): Width of the student latents. Defaults to 256.
        embed_dims (int): Decoder width. Defaults to 256.
        depth (int): Decoder blocks. Defaults to 4.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP width ratio. Defaults to 4.
        num_joints (int): Joints ``V``. Defaults to 25.
        num_tokens_t (int): Temporal tokens of a clip. Defaults to 30.
        target_dims (int, optional): Target width; ``in_channels`` if None.
        loss (str): ``'mse'`` or ``'smooth_l1'``. Defaults to ``'mse'``.
        beta (float): Smooth-L1 transition point. Defaults to 1.0.
        layer_scale_init (float, optional): Initial LayerScale value of the
            decoder blocks (the authors' final recipe: 1e-4); None for no
            LayerScale. Defaults to None.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
        cpu_kernels (bool): On CPU, run the blocks with the kernels of
            ``models/utils/cpu_kernels.py``; False (or any other device)
            runs plain PyTorch. Defaults to True.
        init_cfg (dict | list[dict], optional): MMEngine init config.
    """

    LOSSES = ('mse', 'smooth_l1')

    def __init__(self,
                 in_channels: int = 256,
                 embed_dims: int = 256,
                 depth: int = 4,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.0,
                 num_joints: int = 25,
                 num_tokens_t: int = 30,
                 target_dims: Optional[int] = None,
                 loss: str = 'mse',
                 beta: float = 1.0,
                 layer_scale_init: Optional[float] = None,
                 norm_eps: float = 1e-6,
                 cpu_kernels: bool = True,
                 init_cfg: Optional[Union[dict, List[dict]]] = (
                     dict(type='TruncNormal', layer='Linear', std=0.02),
                     dict(type='Constant', layer='LayerNorm', val=1.0,
                          bias=0.0))) -> None:
        super().__init__(init_cfg=list(init_cfg) if isinstance(
            init_cfg, tuple) else init_cfg)
        if loss not in self.LOSSES:
            raise ValueError(f'loss must be one of {self.LOSSES}, got '
                             f'{loss!r}')
        self.loss_type = loss
        self.beta = beta
        self.embed_dims = embed_dims
        self.decoder_embed = nn.Linear(in_channels, embed_dims)
        self.mask_token = nn.Parameter(torch.zeros(1, embed_dims))
        nn.init.trunc_normal_(self.mask_token, std=0.02)
        self.pos_embed = SpatioTemporalPosEmbed(num_tokens_t, num_joints,
                                                embed_dims)
        self.blocks = build_blocks(
            depth,
            0.0,
            embed_dims=embed_dims,
            num_heads=num_heads,
            mlp_ratio=mlp_ratio,
            layer_scale_init=layer_scale_init,
            norm_eps=norm_eps,
            cpu_kernels=cpu_kernels)
        self.norm = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.regressor = nn.Linear(embed_dims, target_dims or in_channels)

    def forward(self, latent: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        """Predict targets of the masked tokens.

        Args:
            latent (torch.Tensor): Visible student tokens ``(B, Lv, Din)``.
            mask (torch.Tensor): bool ``(B, T', V)``, True where masked.

        Returns:
            torch.Tensor: Predictions ``(B * Lm, target_dims)`` for the masked
            tokens in row-major grid order (as ``targets[mask]`` orders them).
        """
        batch, num_t, joints = mask.shape
        flat_mask = mask.reshape(-1)
        visible = self.decoder_embed(latent).reshape(-1, self.embed_dims)
        grid = self.mask_token.to(visible.dtype).expand(
            flat_mask.numel(), -1).clone()
        grid[~flat_mask] = visible
        x = grid.reshape(batch, num_t, joints, -1) + self.pos_embed(num_t)
        x = x.flatten(1, 2)
        for block in self.blocks:
            x = block(x)
        x = self.norm(x).reshape(-1, self.embed_dims)[flat_mask]
        return self.regressor(x)

    def loss(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean regression loss between predictions and targets."""
        pred = pred.float()
        if self.loss_type == 'mse':
            return F.mse_loss(pred, target)
        return F.smooth_l1_loss(pred, target, beta=self.beta)
