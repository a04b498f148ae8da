"""Pre-norm transformer block shared by the encoder and the decoder.

Plain PyTorch; on CPU tensors the blocks use the kernels of
``cpu_kernels.py`` unless built with ``cpu_kernels=False``.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from torch import nn

from . import cpu_kernels as kernels


class MultiheadSelfAttention(nn.Module):
    """Multi-head self-attention on top of PyTorch's fused SDPA kernel.

    Args:
        embed_dims (int): Token width.
        num_heads (int): Attention heads; must divide ``embed_dims``.
        qkv_bias (bool): Bias in the query/key/value projection.
        attn_drop (float): Dropout on the attention weights.
        proj_drop (float): Dropout after the output projection.
        cpu_kernels (bool): On CPU tensors, use ``cpu_kernels.py``
            (flash attention on packed qkv, the norm fused with the qkv
            projection). Defaults to True.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.0,
                 proj_drop: float = 0.0,
                 cpu_kernels: bool = True) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims={embed_dims} is not divisible by '
                             f'num_heads={num_heads}')
        self.num_heads = num_heads
        self.qkv = nn.Linear(embed_dims, embed_dims * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(proj_drop)
        self.cpu_kernels = cpu_kernels

    def forward(self,
                x: torch.Tensor,
                norm: Optional[nn.Module] = None) -> torch.Tensor:
        """Attend over the token axis of ``x`` ``(B, L, D)``.

        Args:
            x (torch.Tensor): Tokens ``(B, L, D)``.
            norm (nn.Module, optional): Pre-norm applied to ``x`` first
                (with the CPU kernels fused with the qkv projection, so that
                the normalized tokens are not kept for backward).

        Returns:
            torch.Tensor: ``(B, L, D)``.
        """
        batch, length, dims = x.shape
        fast = self.cpu_kernels and x.device.type == 'cpu'
        if norm is None:
            qkv = self.qkv(x)
        elif fast:
            qkv = kernels.norm_linear(x, norm, self.qkv)
        else:
            qkv = self.qkv(norm(x))
        qkv = qkv.reshape(batch, length, 3, self.num_heads,
                          dims // self.num_heads)
        dropout_p = self.attn_drop if self.training else 0.0
        if fast and kernels.flash_available(dropout_p):
            x = kernels.packed_attention(qkv)
        else:
            x = sdpa_packed(qkv, dropout_p)
        return self.proj_drop(self.proj(x))


def sdpa_packed(qkv: torch.Tensor, dropout_p: float = 0.0) -> torch.Tensor:
    """``F.scaled_dot_product_attention`` of a packed qkv ``(B, L, 3, H, d)``.

    Returns:
        torch.Tensor: ``(B, L, H * d)``.
    """
    batch, length, _, heads, head_dims = qkv.shape
    q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p)
    return out.transpose(1, 2).reshape(batch, length, heads * head_dims)


class LayerScale(nn.Module):
    """Learned per-channel scaling of a residual branch (CaiT)."""

    def __init__(self, dims: int, init_value: float) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.full((dims, ), init_value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scale ``x`` channel-wise."""
        return x * self.gamma


class TransformerBlock(nn.Module):
    """Pre-norm block: ``x + attn(norm(x))`` then ``x + mlp(norm(x))``.

    Args:
        embed_dims (int): Token width.
        num_heads (int): Attention heads.
        mlp_ratio (float): Hidden width of the MLP relative to embed_dims.
        qkv_bias (bool): Bias in the qkv projection.
        drop_rate (float): Dropout after projections.
        attn_drop_rate (float): Dropout on attention weights.
        drop_path_rate (float): Stochastic depth of both residual branches.
        layer_scale_init (float, optional): Initial LayerScale value; None
            disables LayerScale.
        norm_eps (float): LayerNorm epsilon.
        cpu_kernels (bool): On CPU tensors, use ``cpu_kernels.py``.
            Defaults to True.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 mlp_ratio: float = 4.0,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.0,
                 attn_drop_rate: float = 0.0,
                 drop_path_rate: float = 0.0,
                 layer_scale_init: Optional[float] = None,
                 norm_eps: float = 1e-6,
                 cpu_kernels: bool = True) -> None:
        super().__init__()
        hidden = int(embed_dims * mlp_ratio)
        self.cpu_kernels = cpu_kernels
        self.norm1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.attn = MultiheadSelfAttention(embed_dims, num_heads, qkv_bias,
                                           attn_drop_rate, drop_rate,
                                           cpu_kernels)
        self.norm2 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.mlp = nn.Sequential(
            nn.Linear(embed_dims, hidden), nn.GELU(), nn.Dropout(drop_rate),
            nn.Linear(hidden, embed_dims), nn.Dropout(drop_rate))
        self.drop_path = DropPath(
            drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        if layer_scale_init is None:
            self.ls1 = self.ls2 = nn.Identity()
        else:
            self.ls1 = LayerScale(embed_dims, layer_scale_init)
            self.ls2 = LayerScale(embed_dims, layer_scale_init)

    def norm_mlp_forward(self, x: torch.Tensor) -> torch.Tensor:
        """``self.mlp(self.norm2(x))``; on CPU through the memory-lean
        ``cpu_kernels.norm_mlp`` when the MLP's dropouts are inactive (in
        eval mode or with ``drop_rate=0``).
        """
        fc1, act, drop1, fc2, drop2 = self.mlp
        if not (self.cpu_kernels and x.device.type == 'cpu') or \
                (self.training and (drop1.p > 0 or drop2.p > 0)) or \
                type(act) is not nn.GELU:
            return self.mlp(self.norm2(x))
        return kernels.norm_mlp(x, self.norm2, fc1, fc2, act.approximate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the block on ``x`` ``(B, L, D)``."""
        x = x + self.drop_path(self.ls1(self.attn(x, norm=self.norm1)))
        return x + self.drop_path(self.ls2(self.norm_mlp_forward(x)))


def build_blocks(depth: int, drop_path_rate: float,
                 **block_kwargs) -> nn.ModuleList:
    """``depth`` blocks with stochastic depth rising linearly to the rate."""
    rates = torch.linspace(0, drop_path_rate, depth).tolist() if depth else []
    return nn.ModuleList(
        TransformerBlock(drop_path_rate=r, **block_kwargs) for r in rates)


class SpatioTemporalPosEmbed(nn.Module):
    """Learned joint and temporal position embeddings on a ``(T', V)`` grid.

    The temporal table is linearly interpolated when a clip has a different
    number of temporal tokens than it was built for.

    Args:
        num_tokens_t (int): Temporal tokens the table is built for.
        num_joints (int): Joints ``V``.
        embed_dims (int): Token width.
    """

    def __init__(self, num_tokens_t: int, num_joints: int,
                 embed_dims: int) -> None:
        super().__init__()
        self.temporal = nn.Parameter(torch.zeros(1, num_tokens_t, 1,
                                                 embed_dims))
        self.spatial = nn.Parameter(torch.zeros(1, 1, num_joints, embed_dims))
        nn.init.trunc_normal_(self.temporal, std=0.02)
        nn.init.trunc_normal_(self.spatial, std=0.02)

    def forward(self, num_tokens_t: int) -> torch.Tensor:
        """Embedding of shape ``(1, num_tokens_t, V, D)``."""
        temporal = self.temporal
        if num_tokens_t != temporal.shape[1]:
            temporal = F.interpolate(
                temporal[:, :, 0].transpose(1, 2), size=num_tokens_t,
                mode='linear', align_corners=False).transpose(1, 2)[:, :, None]
        return temporal + self.spatial
