"""Plain-PyTorch references of the attention and the transformer block."""
import pytest
import torch

from mmskel2vec.models.utils.transformer import TransformerBlock


def _reference_attention(qkv: torch.Tensor) -> torch.Tensor:
    """``F.scaled_dot_product_attention`` in the math backend."""
    batch, length, _, heads, head_dims = qkv.shape
    q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
    scores = q @ k.transpose(-1, -2) / head_dims**0.5
    out = scores.softmax(-1) @ v
    return out.transpose(1, 2).reshape(batch, length, heads * head_dims)


def _reference_block(block: TransformerBlock,
                     x: torch.Tensor) -> torch.Tensor:
    """The block's computation written with unfused PyTorch modules."""
    batch, length, dims = x.shape
    attn = block.attn
    qkv = attn.qkv(block.norm1(x)).reshape(batch, length, 3,
                                           attn.num_heads, -1)
    x = x + attn.proj(_reference_attention(qkv))
    return x + block.mlp(block.norm2(x))


@pytest.fixture
def reference_attention():
    """``(B, L, 3, H, d)`` qkv -> ``(B, L, H * d)`` in the math backend."""
    return _reference_attention


@pytest.fixture
def reference_block():
    """``(block, x)`` -> the block's output from unfused modules."""
    return _reference_block
