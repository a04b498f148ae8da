"""LinearProbeHead: pooled features, affine-free BatchNorm, one Linear."""
import pytest
import torch
from torch import nn

from mmaction.registry import MODELS


def test_pools_normalizes_and_classifies():
    head = MODELS.build(dict(type='LinearProbeHead', num_classes=5,
                             in_channels=8))
    head.init_weights()
    bns = [m for m in head.modules() if isinstance(m, nn.BatchNorm1d)]
    assert len(bns) == 1 and not bns[0].affine
    linears = [m for m in head.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 1 and torch.all(linears[0].bias == 0)
    assert sum(p.numel() for p in head.parameters()) == 8 * 5 + 5
    x = torch.randn(4, 2, 8, 3, 7)
    scores = head(x)
    assert scores.shape == (4, 5)
    head.eval()
    pooled = x.mean(dim=(3, 4)).mean(dim=1)
    expected = head.fc(head.bn(pooled))
    assert torch.allclose(head(x), expected)


def test_rejects_wrong_width():
    head = MODELS.build(dict(type='LinearProbeHead', num_classes=3,
                             in_channels=8))
    with pytest.raises(ValueError, match='expects'):
        head(torch.randn(2, 1, 4, 3, 5))
