import pytest
import torch

from mmskel2vec.evaluation import PositionVarianceShare


def share(targets, batch=7):
    stat = PositionVarianceShare()
    for start in range(0, len(targets), batch):
        stat.update(targets[start:start + batch])
    return stat.compute()


def test_collapsed_targets_share_one_and_position_free_share_zero():
    gen = torch.Generator().manual_seed(0)
    code = torch.randn(1, 12, 8, generator=gen)
    assert share(code.repeat(40, 1, 1)) == pytest.approx(1.0)
    noise = torch.randn(4000, 12, 8, generator=gen)
    assert share(noise) == pytest.approx(0.0, abs=0.01)


def test_share_matches_variance_decomposition():
    gen = torch.Generator().manual_seed(1)
    # position code of variance 1, per-sample noise of variance 3
    code = torch.randn(1, 50, 4, generator=gen)
    code = (code - code.mean(1, keepdim=True)) / code.std(
        1, keepdim=True, unbiased=False)
    targets = code + 3**0.5 * torch.randn(20000, 50, 4, generator=gen)
    assert share(targets, batch=1000) == pytest.approx(0.25, abs=0.01)


def test_bad_use_is_an_error():
    stat = PositionVarianceShare()
    stat.update(torch.zeros(1, 3, 2))
    with pytest.raises(ValueError, match='two samples'):
        stat.compute()
    with pytest.raises(ValueError, match='do not match'):
        stat.update(torch.zeros(2, 4, 2))
