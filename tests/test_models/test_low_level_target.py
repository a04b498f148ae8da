"""LowLevelTargetGenerator: per-token joint / motion reconstruction targets."""
import pytest
import torch

from mmaction.registry import MODELS


def tokens(x, t_patch):
    """Reference: the token layout of SkeletonTransformer.embed."""
    b, t, v, c = x.shape
    x = x.reshape(b, t // t_patch, t_patch, v, c).transpose(2, 3)
    return x.reshape(b, -1, t_patch * c)


def test_joint_target_is_the_raw_patch():
    gen = MODELS.build(dict(type='LowLevelTargetGenerator', kind='joint',
                            t_patch=4, normalize=False))
    x = torch.randn(2, 8, 5, 3)
    target = gen(x, None)
    assert target.shape == (2, 2 * 5, 12)
    assert torch.equal(target, tokens(x, 4))


def test_motion_target_is_the_frame_difference():
    gen = MODELS.build(dict(type='LowLevelTargetGenerator', kind='motion',
                            t_patch=2, normalize=False))
    x = torch.randn(1, 6, 4, 3)
    motion = torch.zeros_like(x)
    motion[:, :-1] = x[:, 1:] - x[:, :-1]
    assert torch.allclose(gen(x), tokens(motion, 2))


def test_normalized_per_token():
    gen = MODELS.build(dict(type='LowLevelTargetGenerator', kind='joint',
                            t_patch=4))
    target = gen(torch.randn(3, 8, 5, 3) * 7 + 2)
    assert torch.allclose(target.mean(-1), torch.zeros(3, 10), atol=1e-5)
    assert torch.allclose(target.std(-1, unbiased=False), torch.ones(3, 10),
                          atol=1e-3)


def test_bad_arguments():
    with pytest.raises(ValueError, match='kind'):
        MODELS.build(dict(type='LowLevelTargetGenerator', kind='bone'))
    gen = MODELS.build(dict(type='LowLevelTargetGenerator', t_patch=4))
    with pytest.raises(ValueError, match='multiple'):
        gen(torch.randn(1, 6, 5, 3))
