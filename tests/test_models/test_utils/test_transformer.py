"""The transformer block, with and without its CPU kernels."""
import copy

import pytest
import torch
import torch.nn.functional as F

from mmskel2vec.models.utils.transformer import TransformerBlock


@pytest.mark.parametrize('training', [True, False])
def test_block_matches_unfused_reference(training, reference_block):
    torch.manual_seed(3)
    block = TransformerBlock(32, 4).train(training)
    x = torch.randn(2, 750, 32, requires_grad=True)
    out = block(x)
    out.square().mean().backward()
    ref_block = copy.deepcopy(block)
    ref_block.zero_grad(set_to_none=True)
    x_ref = x.detach().clone().requires_grad_(True)
    ref = reference_block(ref_block, x_ref)
    ref.square().mean().backward()
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(x.grad, x_ref.grad, atol=1e-6, rtol=1e-4)
    for (name, p), q in zip(block.named_parameters(),
                            ref_block.parameters()):
        torch.testing.assert_close(p.grad, q.grad, atol=1e-6, rtol=1e-4,
                                   msg=name)


def test_block_under_bf16_autocast_stays_close_to_fp32(reference_block):
    torch.manual_seed(4)
    block = TransformerBlock(32, 4)
    x = torch.randn(2, 750, 32, requires_grad=True)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = block(x)
    assert out.dtype == torch.float32  # the residual stream stays fp32
    out.float().square().mean().backward()
    ref_block = copy.deepcopy(block)
    ref_block.zero_grad(set_to_none=True)
    x_ref = x.detach().clone().requires_grad_(True)
    ref = reference_block(ref_block, x_ref)
    ref.square().mean().backward()
    torch.testing.assert_close(out.float(), ref, atol=5e-2, rtol=5e-2)
    cos = F.cosine_similarity(x.grad.flatten(), x_ref.grad.flatten(), dim=0)
    assert cos > 0.99


@pytest.mark.parametrize('training', [True, False])
def test_cpu_kernels_switch_gives_the_plain_block(training):
    torch.manual_seed(5)
    fast = TransformerBlock(32, 4).train(training)
    plain = TransformerBlock(32, 4, cpu_kernels=False).train(training)
    plain.load_state_dict(fast.state_dict())
    calls = []
    from mmskel2vec.models.utils import cpu_kernels
    original = cpu_kernels.packed_attention
    cpu_kernels.packed_attention = lambda qkv: (calls.append(1),
                                                original(qkv))[1]
    try:
        x = torch.randn(2, 40, 32, requires_grad=True)
        x_plain = x.detach().clone().requires_grad_(True)
        out, out_plain = fast(x), plain(x_plain)
        assert len(calls) == 1  # only the block with the kernels used them
    finally:
        cpu_kernels.packed_attention = original
    out.square().mean().backward()
    out_plain.square().mean().backward()
    torch.testing.assert_close(out, out_plain, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(x.grad, x_plain.grad, atol=1e-6, rtol=1e-4)
