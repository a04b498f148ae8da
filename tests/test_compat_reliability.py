"""The compat fixes for URL checkpoints and CPU distributed training."""
import os
import subprocess
import sys

import pytest
import torch
from mmengine.model.wrappers import MMDistributedDataParallel

from mmskel2vec import compat


def test_url_checkpoints_load_weights_only(monkeypatch):
    import mmengine.runner.checkpoint as checkpoint
    seen = {}

    def fake(url, map_location=None, weights_only=False):
        seen.update(weights_only=weights_only)
        return {}

    monkeypatch.setattr(checkpoint, 'load_url', fake)
    assert compat.fix_mmengine_load_url_weights_only() is True
    assert compat.fix_mmengine_load_url_weights_only() is False  # idempotent
    checkpoint.load_url('http://example.invalid/x.pth', weights_only=False)
    assert seen['weights_only'] is True


@pytest.fixture
def cpu_distributed_fix(monkeypatch):
    """Apply the tools' CPU-distributed fix for one test, then undo it."""
    import mmengine.dist.utils as dist_utils
    for name in ('_init_dist_pytorch', '_init_dist_slurm'):
        monkeypatch.setattr(dist_utils, name, getattr(dist_utils, name))
    monkeypatch.setattr(MMDistributedDataParallel, '__init__',
                        MMDistributedDataParallel.__init__)
    compat.fix_mmengine_cpu_distributed()
    assert compat.fix_mmengine_cpu_distributed() is False  # idempotent
    return dist_utils


def test_cpu_launchers_skip_cuda_set_device(monkeypatch, cpu_distributed_fix):
    dist_utils = cpu_distributed_fix
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


def test_cpu_ddp_drops_device_ids(monkeypatch, cpu_distributed_fix):
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


def test_import_leaves_url_loading_and_distributed_alone(repo_root):
    """``import mmskel2vec`` applies neither tool fix; the tools apply both."""
    script = (
        'import mmskel2vec, mmengine.runner.checkpoint as c, '
        'mmengine.dist.utils as d\n'
        'from mmengine.model.wrappers import MMDistributedDataParallel as M\n'
        'def state():\n'
        '    return [hasattr(c.load_url, "_weights_only_forced"), '
        'hasattr(d._init_dist_pytorch, "_cpu_safe"), '
        'hasattr(M.__init__, "_cpu_safe")]\n'
        'before = state()\n'
        'mmskel2vec.compat.apply_tool_fixes()\n'
        'print(before, state())\n')
    proc = subprocess.run([sys.executable, '-c', script], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split('\n')[-2] == \
        '[False, False, False] [True, True, True]'


UNFIXED_CPU_DISTRIBUTED = '''
import os, socket
import torch
from mmengine.dist import init_dist
from mmengine.model.wrappers import MMDistributedDataParallel
with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
os.environ.update(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
                  MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
failed = []
try:
    init_dist('pytorch', backend='gloo')
except Exception:
    failed.append('launcher')
    torch.distributed.init_process_group('gloo', rank=0, world_size=1)
try:
    MMDistributedDataParallel(torch.nn.Linear(2, 2), device_ids=[0])
except ValueError:
    failed.append('ddp')
print(failed)
'''


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a CPU-only run')
def test_cpu_distributed_fails_without_the_fix(repo_root):
    """Without the tools' fix, MMEngine's launcher and its DDP wrapper both
    fail on a machine without CUDA (one gloo process stands in for a run)."""
    proc = subprocess.run([sys.executable, '-c', UNFIXED_CPU_DISTRIBUTED],
                          cwd=repo_root, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split('\n')[-2] == "['launcher', 'ddp']"


def test_url_loading_is_not_weights_only_without_the_fix(repo_root):
    """MMEngine's URL loader defaults to ``weights_only=False``."""
    script = ('import inspect, mmengine.runner.checkpoint as c\n'
              'print(inspect.signature(c.load_url)'
              '.parameters["weights_only"].default)\n')
    proc = subprocess.run([sys.executable, '-c', script], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if proc.stdout.split('\n')[-2] != 'False':
        pytest.skip('the installed mmengine loads URLs weights-only')
