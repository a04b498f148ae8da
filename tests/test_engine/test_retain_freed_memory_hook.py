from types import SimpleNamespace

import pytest
import torch

from mmskel2vec.engine.hooks import RetainFreedMemoryHook
from mmskel2vec.engine.hooks import retain_freed_memory_hook as module


@pytest.fixture
def calls(monkeypatch):
    made = []
    monkeypatch.setattr(module, 'retain_freed_memory',
                        lambda: made.append(1) or True)
    return made


def runner_with(model):
    return SimpleNamespace(model=model)


def test_applies_for_cpu_models(calls):
    RetainFreedMemoryHook().before_train(runner_with(torch.nn.Linear(2, 2)))
    assert calls == [1]


def test_meta_device_leaves_allocator_alone(calls):
    RetainFreedMemoryHook().before_train(
        runner_with(torch.nn.Linear(2, 2, device='meta')))
    assert calls == []
