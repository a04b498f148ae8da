"""Each masking ablation changes its base's masking step and nothing else."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from repo_paths import REPO_ROOT

ABLATIONS = sorted(glob.glob(osp.join(
    REPO_ROOT, 'configs', 'skeleton2vec', 'ablations', '*.py')))
MASKING = 'MotionAwareTubeMasking'


def resolved_base(cfg: Config) -> Config:
    """The config an ablation names as its ``_base_``."""
    text = open(cfg.filename).read()
    base = text.split("_base_ = '", 1)[1].split("'", 1)[0]
    return Config.fromfile(osp.join(osp.dirname(cfg.filename), base))


def test_found_the_ablations():
    assert len(ABLATIONS) >= 9


@pytest.mark.parametrize('path', ABLATIONS,
                         ids=[osp.basename(p) for p in ABLATIONS])
def test_only_the_masking_step_differs(path):
    cfg = Config.fromfile(path)
    base = resolved_base(cfg)
    ours = cfg.train_dataloader.dataset.pipeline
    theirs = base.train_dataloader.dataset.pipeline
    assert [s['type'] for s in ours] == [s['type'] for s in theirs]
    for step, base_step in zip(ours, theirs):
        if step['type'] != MASKING:
            assert step == base_step
            continue
        assert step == dict(type=MASKING, t_patch=base_step['t_patch'],
                            **cfg.ablation_masking)
        assert step != base_step
    # everything outside the train pipeline is the base's
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'custom_hooks',
                'train_cfg', 'randomness'):
        assert cfg[key] == base[key], key
    ours_loader = cfg.train_dataloader.copy()
    theirs_loader = base.train_dataloader.copy()
    ours_loader.dataset = dict(ours_loader.dataset, pipeline=None)
    theirs_loader.dataset = dict(theirs_loader.dataset, pipeline=None)
    assert ours_loader == theirs_loader
