"""The compat fixes for URL checkpoints and CPU distributed training."""
import os

import pytest
import torch
from mmengine.model.wrappers import MMDistributedDataParallel

from mmskel2vec import compat


def test_url_checkpoints_load_weights_only(monkeypatch):
    import mmengine.runner.checkpoint as checkpoint
    assert checkpoint.load_url._weights_only_forced
    assert compat.fix_mmengine_load_url_weights_only() is False  # idempotent
    seen = {}

    def fake(url, map_location=None, weights_only=False):
        seen.update(weights_only=weights_only)
        return {}

    monkeypatch.setattr(checkpoint, 'load_url', fake)
    assert compat.fix_mmengine_load_url_weights_only() is True
    checkpoint.load_url('http://example.invalid/x.pth', weights_only=False)
    assert seen['weights_only'] is True


def test_cpu_launchers_skip_cuda_set_device(monkeypatch):
    import mmengine.dist.utils as dist_utils
    assert compat.fix_mmengine_cpu_distributed() is False  # idempotent
    calls = []

    def init(backend, init_backend='torch', **kwargs):
        torch.cuda.set_device(0)
        calls.append(backend)

    wrapped = compat._without_cuda_set_device(init)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    wrapped('gloo')
    assert calls == ['gloo']
    with pytest.raises(RuntimeError, match='backend=gloo'):
        wrapped('nccl')
    assert dist_utils._init_dist_pytorch._cpu_safe
    assert dist_utils._init_dist_slurm._cpu_safe


def test_cpu_ddp_drops_device_ids(monkeypatch):
    seen = {}

    def fake_ddp_init(self, module=None, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr(torch.nn.parallel.DistributedDataParallel,
                        '__init__', fake_ddp_init)
    assert MMDistributedDataParallel.__init__._cpu_safe
    MMDistributedDataParallel(torch.nn.Linear(2, 2), device_ids=[0],
                              broadcast_buffers=False)
    assert seen == dict(device_ids=None, broadcast_buffers=False)
    assert os.environ  # nothing else touched
