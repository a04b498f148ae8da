"""Every shipped config lists our runtime hooks in ``custom_hooks``.

MMEngine replaces ``custom_hooks`` whole, so a config that sets its own
list has to start it with the runtime hooks of
``configs/_base_/default_runtime.py``; this test finds one that forgot.
"""
import glob
import os.path as osp

import pytest
from mmengine import Config

from repo_paths import REPO_ROOT as REPO

CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p)
RUNTIME = ['IterSeedHook', 'WeightSyncCheckHook', 'RetainFreedMemoryHook']
#: default_hooks entries may only be MMEngine's own names
MMENGINE_DEFAULT_HOOKS = {'runtime_info', 'timer', 'logger', 'param_scheduler',
                          'checkpoint', 'sampler_seed', 'sync_buffers'}


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_runtime_hooks_are_custom_hooks(path):
    cfg = Config.fromfile(path)
    if 'iter_seed_hook' not in cfg:
        pytest.skip('not built on our default_runtime.py (e.g. an MMAction2 '
                    'recipe with only the initialization changed)')
    types = [hook['type'] for hook in cfg.get('custom_hooks', [])]
    assert types[:3] == RUNTIME, types
    assert set(cfg.default_hooks) <= MMENGINE_DEFAULT_HOOKS
    if cfg.model.get('type') == 'Skeleton2Vec' and cfg.model.get(
            'target_generator', {}).get('type', 'ContextualTargetGenerator') \
            == 'ContextualTargetGenerator':
        assert types.count('EMATeacherHook') == 1, types


def test_found_the_configs():
    assert len(CONFIGS) >= 60
    ours = [p for p in CONFIGS if 'iter_seed_hook' in Config.fromfile(p)]
    assert len(ours) >= len(CONFIGS) - 3
