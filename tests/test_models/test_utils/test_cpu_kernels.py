"""The CPU kernels of the transformer blocks against plain PyTorch."""
import copy

import pytest
import torch
import torch.nn.functional as F

from mmskel2vec.models.utils.cpu_kernels import (cpu_query_rows, norm_linear,
                                                 norm_mlp, packed_attention)
from mmskel2vec.models.utils.transformer import TransformerBlock


@pytest.mark.parametrize('length', [7, 40, 600, 750])
def test_packed_attention_matches_math_attention(length,
                                                 reference_attention):
    torch.manual_seed(0)
    qkv = torch.randn(2, length, 3, 2, 8, dtype=torch.float64).float()
    qkv.requires_grad_(True)
    out = packed_attention(qkv)
    grad = torch.randn_like(out)
    (out * grad).sum().backward()
    fast_grad = qkv.grad.clone()

    ref_qkv = qkv.detach().double().requires_grad_(True)
    ref = reference_attention(ref_qkv)
    (ref * grad.double()).sum().backward()
    assert out.shape == (2, length, 16)
    torch.testing.assert_close(out.double(), ref, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(fast_grad.double(), ref_qkv.grad, atol=1e-5,
                               rtol=1e-4)
    # the no-grad path (the teacher's) gives the same values
    with torch.no_grad():
        torch.testing.assert_close(packed_attention(qkv), out)


def test_query_padding_covers_the_paper_grid():
    assert cpu_query_rows(750) == 768  # 30 x 25 tokens
    assert cpu_query_rows(768) == 768
    assert cpu_query_rows(75) == 75
    assert cpu_query_rows(1500) == 1500


def test_padded_queries_change_no_value():
    """Padded and unpadded flash kernels agree exactly on the real rows."""
    torch.manual_seed(1)
    qkv = torch.randn(1, 750, 3, 4, 8)
    q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
    expected = F.scaled_dot_product_attention(q, k, v)
    expected = expected.transpose(1, 2).reshape(1, 750, 32)
    with torch.no_grad():
        torch.testing.assert_close(
            packed_attention(qkv), expected, atol=1e-6, rtol=1e-6)


def test_norm_linear_and_norm_mlp_match_modules():
    torch.manual_seed(2)
    block = TransformerBlock(16, 2).double()
    x = torch.randn(3, 11, 16, dtype=torch.float64, requires_grad=True)
    fc1, _, _, fc2, _ = block.mlp
    out = norm_mlp(x, block.norm2, fc1, fc2) + norm_linear(
        x, block.norm1, fc1)[..., :16]
    out.sum().backward()
    fast = [x.grad] + [p.grad.clone() for p in block.parameters()
                       if p.grad is not None]

    ref_block = copy.deepcopy(block)
    ref_block.zero_grad(set_to_none=True)
    x_ref = x.detach().clone().requires_grad_(True)
    rfc1, _, _, rfc2, _ = ref_block.mlp
    ref = ref_block.mlp(ref_block.norm2(x_ref)) + rfc1(
        ref_block.norm1(x_ref))[..., :16]
    ref.sum().backward()
    slow = [x_ref.grad] + [p.grad for p in ref_block.parameters()
                           if p.grad is not None]
    torch.testing.assert_close(out, ref)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow):
        torch.testing.assert_close(a, b)
