"""WeightSyncCheckHook compares per-tensor digests gathered from all ranks.

The real two-process check runs in tests/test_tools/test_dist_train.py;
here the gather is faked to show that a difference is reported by name.
"""
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from mmskel2vec.engine.hooks import WeightSyncCheckHook
from mmskel2vec.engine.hooks import weight_sync_check_hook as module


class Model(nn.Module):

    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(2, 2)
        self.teacher = nn.Linear(2, 2)
        self.register_buffer('steps', torch.zeros((), dtype=torch.int64))


def runner_for(model, it=4):
    logs = []
    return SimpleNamespace(
        model=model, iter=it,
        logger=SimpleNamespace(info=logs.append)), logs


def fake_world(monkeypatch, other_rank_state):
    monkeypatch.setattr(module, 'get_world_size', lambda: 2)

    def gather(digests):
        # the other rank hashes the same (possibly prefix-restricted) names
        other = module.tensor_digests(other_rank_state)
        return [digests, {name: other[name] for name in digests}]

    monkeypatch.setattr(module, 'all_gather_object', gather)


def test_identical_ranks_pass_and_log(monkeypatch):
    model = Model()
    fake_world(monkeypatch, model.state_dict())
    runner, logs = runner_for(model)
    WeightSyncCheckHook(interval=5).after_train_iter(runner, 0)
    assert logs and 'identical on 2 ranks at iteration 5' in logs[0]


def test_differing_teacher_is_named(monkeypatch):
    model = Model()
    other = {k: v.clone() for k, v in model.state_dict().items()}
    other['teacher.bias'][0] += 1e-7
    fake_world(monkeypatch, other)
    runner, _ = runner_for(model)
    with pytest.raises(RuntimeError, match=r"differ between ranks at "
                       r"iteration 5: 1 tensor\(s\), e.g. \['teacher.bias'\]"):
        WeightSyncCheckHook(interval=1).after_train_iter(runner, 0)
    # restricted to the student, the same state passes
    WeightSyncCheckHook(interval=1, prefixes=('backbone.', ),
                        log=False).after_train_iter(runner, 0)


def test_off_between_intervals_and_without_distribution(monkeypatch):
    model = Model()
    runner, logs = runner_for(model, it=3)
    WeightSyncCheckHook(interval=1).after_train_iter(runner, 0)  # 1 rank
    fake_world(monkeypatch, {})
    WeightSyncCheckHook(interval=5).after_train_iter(runner, 0)
    WeightSyncCheckHook(interval=0).after_train_iter(runner, 0)
    assert logs == []


def test_digests_cover_all_dtypes():
    state = dict(a=torch.zeros(()), b=torch.ones(3, dtype=torch.bfloat16),
                 c=torch.tensor([True]), d=torch.arange(4).view(2, 2).t())
    digests = module.tensor_digests(state)
    assert set(digests) == set(state)
    changed = dict(state, b=torch.full((3, ), 2, dtype=torch.bfloat16))
    assert module.tensor_digests(changed)['b'] != digests['b']
