"""The `frozen` option of SkeletonTransformer (linear evaluation)."""
import torch

from mmaction.registry import MODELS


def test_frozen_encoder_has_no_gradients_and_stays_in_eval():
    model = MODELS.build(dict(type='SkeletonTransformer', clip_len=16,
                              embed_dims=16, depth=2, num_heads=2,
                              drop_path_rate=0.5, drop_rate=0.5,
                              frozen=True))
    assert not any(p.requires_grad for p in model.parameters())
    model.train()
    assert not model.training
    assert not any(m.training for m in model.modules())
    x = torch.randn(2, 1, 16, 25, 3)
    out1, out2 = model(x), model(x)  # no dropout / drop path: deterministic
    assert torch.equal(out1, out2) and not out1.requires_grad


def test_unfrozen_encoder_trains():
    model = MODELS.build(dict(type='SkeletonTransformer', clip_len=16,
                              embed_dims=16, depth=1, num_heads=2))
    model.train()
    assert model.training
    assert all(p.requires_grad for p in model.parameters())
