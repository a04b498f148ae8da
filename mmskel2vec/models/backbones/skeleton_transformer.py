"""Transformer encoder over per-joint temporal skeleton tokens."""
from typing import List, Optional, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS
from ..utils.transformer import SpatioTemporalPosEmbed, build_blocks


@MODELS.register_module()
class SkeletonTransformer(BaseModule):
    """Skeleton2vec encoder: one token per joint per ``t_patch`` frames.

    ``t_patch`` consecutive frames of one joint are embedded linearly into one
    token, so a ``T``-frame clip of ``V`` joints becomes a ``(T // t_patch) x
    V`` token grid (120 frames, ``t_patch=4``, 25 joints: 30 x 25 tokens).
    Learned joint and temporal position embeddings are added, and pre-norm
    transformer blocks (fused ``scaled_dot_product_attention``) follow, with
    a final LayerNorm. Persons are folded into the batch.

    Two ways to call it:

    - ``forward(x)`` with MMAction2's recognizer input ``(N, M, T, V, C)``
      returns ``(N, M, D, T // t_patch, V)``, the layout ``GCNHead`` pools,
      so the backbone drops into ``RecognizerGCN``.
    - ``forward_tokens(x, mask, return_layers)`` with ``(B, T, V, C)`` encodes
      only the visible tokens when a mask is given (pretraining student) and
      can return every block's output (pretraining teacher).

    Args:
        in_channels (int): Coordinates per joint. Defaults to 3.
        num_joints (int): Joints ``V``. Defaults to 25.
        clip_len (int): Frames the temporal position table is built for
            (other lengths interpolate it). Defaults to 120.
        t_patch (int): Frames per token. Defaults to 4.
        embed_dims (int): Token width. Defaults to 256.
        depth (int): Transformer blocks. Defaults to 8.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP hidden width ratio. Defaults to 4.
        qkv_bias (bool): Bias in qkv projections. Defaults to True.
        drop_rate (float): Dropout rate. Defaults to 0.
        attn_drop_rate (float): Attention dropout rate. Defaults to 0.
        drop_path_rate (float): Stochastic depth rate of the last block.
            Defaults to 0.
        layer_scale_init (float, optional): LayerScale init value, None for
            no LayerScale. Defaults to None.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
        cpu_kernels (bool): On CPU, run the blocks with the kernels of
            ``models/utils/cpu_kernels.py``; False (or any other device)
            runs plain PyTorch. Defaults to True.
        frozen (bool): Freeze the whole encoder (linear evaluation): every
            parameter gets ``requires_grad=False`` and the module stays in
            eval mode (no dropout or drop path) even under ``train()``.
            Defaults to False.
        init_cfg (dict | list[dict], optional): MMEngine init config.
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 clip_len: int = 120,
                 t_patch: int = 4,
                 embed_dims: int = 256,
                 depth: int = 8,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.0,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.0,
                 attn_drop_rate: float = 0.0,
                 drop_path_rate: float = 0.0,
                 layer_scale_init: Optional[float] = None,
                 norm_eps: float = 1e-6,
                 cpu_kernels: bool = True,
                 frozen: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = (
                     dict(type='TruncNormal', layer='Linear', std=0.02),
                     dict(type='Constant', layer='LayerNorm', val=1.0,
                          bias=0.0))) -> None:
        super().__init__(init_cfg=list(init_cfg) if isinstance(
            init_cfg, tuple) else init_cfg)
        if clip_len % t_patch:
            raise ValueError(f'clip_len={clip_len} must be a multiple of '
                             f't_patch={t_patch}')
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.t_patch = t_patch
        self.embed_dims = embed_dims
        self.depth = depth
        self.patch_embed = nn.Linear(t_patch * in_channels, embed_dims)
        self.pos_embed = SpatioTemporalPosEmbed(clip_len // t_patch,
                                                num_joints, embed_dims)
        self.blocks = build_blocks(
            depth,
            drop_path_rate,
            embed_dims=embed_dims,
            num_heads=num_heads,
            mlp_ratio=mlp_ratio,
            qkv_bias=qkv_bias,
            drop_rate=drop_rate,
            attn_drop_rate=attn_drop_rate,
            layer_scale_init=layer_scale_init,
            norm_eps=norm_eps,
            cpu_kernels=cpu_kernels)
        self.norm = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)
            self.eval()

    def train(self, mode: bool = True) -> 'SkeletonTransformer':
        """Set train/eval mode; a ``frozen`` encoder always stays in eval."""
        return super().train(mode and not self.frozen)

    def check_input(self, x: torch.Tensor) -> None:
        """Raise a ``ValueError`` naming the problem of ``(B, T, V, C)``."""
        if x.dim() != 4:
            raise ValueError('SkeletonTransformer tokens need input of shape '
                             f'(B, T, V, C), got {tuple(x.shape)}')
        _, frames, joints, channels = x.shape
        if joints != self.num_joints or channels != self.in_channels:
            raise ValueError(
                f'input has {joints} joints x {channels} coordinates but the '
                f'backbone was built for num_joints={self.num_joints}, '
                f'in_channels={self.in_channels}')
        if frames < self.t_patch or frames % self.t_patch:
            raise ValueError(
                f'input has {frames} frames; it needs a positive multiple of '
                f't_patch={self.t_patch}')

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Embed ``(B, T, V, C)`` into tokens ``(B, T // t_patch, V, D)``."""
        self.check_input(x)
        batch, frames, joints, channels = x.shape
        num_t = frames // self.t_patch
        x = x.reshape(batch, num_t, self.t_patch, joints, channels)
        x = x.transpose(2, 3).reshape(batch, num_t, joints,
                                      self.t_patch * channels)
        return self.patch_embed(x) + self.pos_embed(num_t)

    def forward_tokens(
        self,
        x: torch.Tensor,
        mask: Optional[torch.Tensor] = None,
        return_layers: bool = False
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Encode ``(B, T, V, C)`` skeletons into tokens.

        Args:
            x (torch.Tensor): Skeletons ``(B, T, V, C)``.
            mask (torch.Tensor, optional): bool ``(B, T // t_patch, V)``,
                True for masked tokens; every row must mask the same number
                of tokens. Only visible tokens are encoded.
            return_layers (bool): Also return every block's output.

        Returns:
            torch.Tensor | tuple: Normalized tokens ``(B, L, D)`` (``L`` the
            visible count with a mask, else ``T // t_patch * V``), and with
            ``return_layers`` the list of ``depth`` block outputs ``(B, L,
            D)`` before the final norm.
        """
        tokens = self.embed(x)
        batch = tokens.shape[0]
        tokens = tokens.flatten(1, 2)
        if mask is not None:
            visible = ~mask.reshape(batch, -1)
            tokens = tokens[visible].reshape(batch, -1, self.embed_dims)
        layers = []
        for block in self.blocks:
            tokens = block(tokens)
            if return_layers:
                layers.append(tokens)
        out = self.norm(tokens)
        return (out, layers) if return_layers else out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Recognizer mode: ``(N, M, T, V, C)`` to ``(N, M, D, T', V)``."""
        if x.dim() != 5:
            raise ValueError('SkeletonTransformer expects (N, M, T, V, C) '
                             f'input, got {tuple(x.shape)}')
        num, persons, frames, joints, _ = x.shape
        out = self.forward_tokens(x.flatten(0, 1))
        out = out.reshape(num, persons, frames // self.t_patch, joints, -1)
        return out.permute(0, 1, 4, 2, 3).contiguous()
