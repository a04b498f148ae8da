"""Every pretraining config gets the reliability components by default."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from repo_paths import REPO_ROOT as REPO

PRETRAIN = sorted(
    glob.glob(osp.join(REPO, 'configs', 'skeleton2vec', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'skeleton2vec', 'ablations', '*.py'))
    + glob.glob(osp.join(REPO, 'configs', 'skeleton2vec', 'baselines',
                         '*.py')))


@pytest.mark.parametrize('path', PRETRAIN,
                         ids=[osp.basename(p) for p in PRETRAIN])
def test_pretraining_config_defaults(path):
    cfg = Config.fromfile(path)
    assert cfg.train_cfg.type == 'ResumableEpochBasedTrainLoop'
    assert cfg.train_dataloader.sampler.type == 'ResumableSampler'
    assert cfg.optim_wrapper.type == 'DivergenceGuardOptimWrapper'
    hooks = cfg.default_hooks
    assert hooks.checkpoint.type == 'AtomicCheckpointHook'
    assert hooks.checkpoint.resume_interval > 0
    types = [h.type for h in cfg.custom_hooks]
    assert 'IterSeedHook' in types and 'WeightSyncCheckHook' in types
    assert cfg.randomness.seed is not None


def test_found_the_pretraining_configs():
    assert len(PRETRAIN) >= 10
