"""IterSeedHook: the random stream of an iteration depends only on it."""
from types import SimpleNamespace

import torch

from mmskel2vec.engine.hooks import IterSeedHook


def draw_at(hook, seed, it):
    hook.before_train_iter(SimpleNamespace(seed=seed, iter=it), 0)
    return torch.rand(3)


def test_same_iteration_same_draws_whatever_came_before():
    hook = IterSeedHook()
    first = draw_at(hook, 0, 7)
    torch.rand(100)  # anything in between
    draw_at(hook, 0, 3)
    assert torch.equal(draw_at(hook, 0, 7), first)
    assert not torch.equal(draw_at(hook, 0, 8), first)
    assert not torch.equal(draw_at(hook, 1, 7), first)


def test_explicit_seed_ignores_the_runner_seed():
    assert torch.equal(draw_at(IterSeedHook(seed=5), 0, 2),
                       draw_at(IterSeedHook(seed=5), 99, 2))
