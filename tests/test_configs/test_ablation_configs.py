"""Each ablation changes one named part of its base and nothing else.

An ablation names what it changes in a variable: ``ablation_masking`` (the
masking step's arguments), ``ablation_ema`` (the ``EMATeacherHook``'s
schedule), ``ablation_target`` (the target generator's arguments),
``ablation_decoder`` (the pretraining head's arguments),
``ablation_schedule`` (the run's length: the warm-up as in the base, the
cosine stretched to the new end), ``ablation_optimizer`` (the optimizer's
arguments, e.g. its learning rate) or ``ablation_data`` (the pretraining
data: the training splits of several datasets in the base's joint order,
the schedule's epochs scaled by one factor).
"""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from repo_paths import REPO_ROOT

ABLATIONS = sorted(glob.glob(osp.join(
    REPO_ROOT, 'configs', 'skeleton2vec', 'ablations', '*.py')))
IDS = [osp.basename(p) for p in ABLATIONS]
MASKING = 'MotionAwareTubeMasking'
KINDS = ('ablation_masking', 'ablation_ema', 'ablation_target',
         'ablation_decoder', 'ablation_schedule', 'ablation_optimizer',
         'ablation_data')
DATASET_BASES = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets')
POOLED_MSR_DEFAULT = osp.join(
    REPO_ROOT, 'configs', 'skeleton2vec',
    'skeleton2vec_stt-4x128_1xb32-58e_pooled-msr-action3d-xsub-keypoint-3d.py')


def resolved_base(cfg: Config) -> Config:
    """The config an ablation names as its ``_base_``."""
    text = open(cfg.filename).read()
    base = text.split("_base_ = '", 1)[1].split("'", 1)[0]
    return Config.fromfile(osp.join(osp.dirname(cfg.filename), base))


def pretraining_parts(loader) -> list:
    """The datasets of a train dataloader (each part of pooled data)."""
    dataset = loader.dataset
    return (dataset.datasets
            if dataset.type == 'ConcatDataset' else [dataset])


def without_pipeline(loader):
    """A train dataloader dict with its datasets' pipelines left out."""
    loader = loader.copy()
    if loader.dataset.type == 'ConcatDataset':
        loader.dataset = dict(loader.dataset, datasets=[
            dict(part, pipeline=None) for part in loader.dataset.datasets])
    else:
        loader.dataset = dict(loader.dataset, pipeline=None)
    return loader


def assert_same_except(cfg: Config, base: Config, *changed: str) -> None:
    """Every part of the run but those ``changed`` is the base's."""
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'custom_hooks',
                'train_cfg', 'randomness'):
        if key not in changed:
            assert cfg[key] == base[key], key
    if 'pipeline' in changed:
        assert without_pipeline(cfg.train_dataloader) == without_pipeline(
            base.train_dataloader)
    else:
        assert cfg.train_dataloader == base.train_dataloader


def test_found_the_ablations():
    assert len(ABLATIONS) >= 11


@pytest.mark.parametrize('path', ABLATIONS, ids=IDS)
def test_each_ablation_names_one_change(path):
    cfg = Config.fromfile(path)
    assert sum(kind in cfg for kind in KINDS) == 1


@pytest.mark.parametrize('path', ABLATIONS, ids=IDS)
def test_only_the_named_part_differs(path):
    cfg = Config.fromfile(path)
    base = resolved_base(cfg)
    if 'ablation_masking' in cfg:
        parts = pretraining_parts(cfg.train_dataloader)
        base_parts = pretraining_parts(base.train_dataloader)
        assert len(parts) == len(base_parts)
        for part, base_part in zip(parts, base_parts):
            ours, theirs = part.pipeline, base_part.pipeline
            assert [s['type'] for s in ours] == [s['type'] for s in theirs]
            for step, base_step in zip(ours, theirs):
                if step['type'] != MASKING:
                    assert step == base_step
                    continue
                assert step == dict(base_step, **cfg.ablation_masking)
                assert step != base_step
        assert_same_except(cfg, base, 'pipeline')
    elif 'ablation_ema' in cfg:
        assert [h['type'] for h in cfg.custom_hooks] == [
            h['type'] for h in base.custom_hooks]
        for hook, base_hook in zip(cfg.custom_hooks, base.custom_hooks):
            if hook['type'] == 'EMATeacherHook':
                assert hook == dict(base_hook, **cfg.ablation_ema)
                assert hook != base_hook
            else:
                assert hook == base_hook
        assert_same_except(cfg, base, 'custom_hooks')
    elif 'ablation_schedule' in cfg:
        max_epochs = cfg.ablation_schedule.max_epochs
        assert max_epochs != base.train_cfg.max_epochs
        assert cfg.train_cfg == dict(base.train_cfg, max_epochs=max_epochs)
        (warmup, cosine), (base_warmup, base_cosine) = (
            cfg.param_scheduler, base.param_scheduler)
        assert warmup == base_warmup
        assert base_cosine.end == base.train_cfg.max_epochs
        assert cosine == dict(base_cosine, end=max_epochs,
                              T_max=max_epochs - base_cosine.begin)
        assert_same_except(cfg, base, 'param_scheduler', 'train_cfg')
    elif 'ablation_optimizer' in cfg:
        optimizer = base.optim_wrapper.optimizer
        assert cfg.optim_wrapper == dict(
            base.optim_wrapper,
            optimizer=dict(optimizer, **cfg.ablation_optimizer))
        assert cfg.optim_wrapper.optimizer != optimizer
        assert_same_except(cfg, base, 'optim_wrapper')
    elif 'ablation_data' in cfg:
        assert_pooled_data(cfg, base, cfg.ablation_data)
    elif 'ablation_decoder' in cfg:
        head = base.model.head
        assert cfg.model.head == dict(head, **cfg.ablation_decoder) != head
        assert dict(cfg.model, head=None) == dict(base.model, head=None)
        assert_same_except(cfg, base, 'model')
    else:
        target = base.model.target_generator
        assert cfg.model.target_generator == dict(target,
                                                  **cfg.ablation_target)
        assert cfg.model.target_generator != target
        assert dict(cfg.model, target_generator=None) == dict(
            base.model, target_generator=None)
        assert_same_except(cfg, base, 'model')


PRIOR_ABLATIONS = [p for p in ABLATIONS if osp.basename(p).startswith(
    ('skeleton2vec-randommask_', 'skeleton2vec-mampprior_'))]


@pytest.mark.parametrize('path', PRIOR_ABLATIONS,
                         ids=[osp.basename(p) for p in PRIOR_ABLATIONS])
def test_prior_ablations_keep_the_base_count_and_tubes(path):
    """Random masking and MAMP's prior change the prior and nothing else:
    the base's tube length, mask ratio and count rule carry over."""
    cfg = Config.fromfile(path)
    assert set(cfg.ablation_masking) <= {'prior', 'beta', 'tau'}
    base_masking = [
        step for step in pretraining_parts(
            resolved_base(cfg).train_dataloader)[0].pipeline
        if step['type'] == MASKING][0]
    assert cfg.ablation_masking.prior != base_masking['prior']


def test_msr_default_pools_the_training_splits():
    """MSR Action3D's default is its in-domain config on pooled data."""
    cfg = Config.fromfile(POOLED_MSR_DEFAULT)
    assert_pooled_data(cfg, resolved_base(cfg), cfg.pooled_data)


def assert_pooled_data(cfg: Config, base: Config, pooled_data) -> None:
    """Pooled training splits and a schedule scaled by ``epoch_scale``.

    Args:
        cfg: The config that pools the data.
        base: The config it names as its ``_base_``.
        pooled_data: Its ``datasets`` (the training splits) and
            ``epoch_scale``.
    """
    scale = pooled_data.epoch_scale
    # every dataset is one of the dataset bases' training splits, moved
    # into the base's joint order before the base's pretraining pipeline
    bases = [Config.fromfile(path)
             for path in glob.glob(osp.join(DATASET_BASES, '*_3d.py'))]
    train_splits = [b.train_data for b in bases if 'train_data' in b]
    pooled = cfg.train_dataloader.dataset
    assert pooled.type == 'ConcatDataset'
    assert len(pooled.datasets) == len(pooled_data.datasets) > 1
    assert base.train_dataloader.dataset.ann_file in [
        d.ann_file for d in pooled.datasets]
    for data, dataset in zip(pooled_data.datasets, pooled.datasets):
        assert data in train_splits
        assert dataset == dict(
            base.train_dataloader.dataset, **data, pipeline=[
                dict(type='ReorderJoints',
                     target=base.train_dataloader.dataset.layout),
                *base.train_dataloader.dataset.pipeline])
    assert dict(cfg.train_dataloader, dataset=None) == dict(
        base.train_dataloader, dataset=None)
    # the schedule: every epoch count of the base times the scale
    assert cfg.train_cfg == dict(
        base.train_cfg, max_epochs=round(base.train_cfg.max_epochs * scale))
    for step, base_step in zip(cfg.param_scheduler, base.param_scheduler):
        assert step == dict(
            base_step, begin=round(base_step.begin * scale),
            end=round(base_step.end * scale),
            **({'T_max': round(base_step.T_max * scale)}
               if 'T_max' in base_step else {}))
    for hook, base_hook in zip(cfg.custom_hooks, base.custom_hooks):
        if hook['type'] == 'EMATeacherHook':
            assert hook == dict(base_hook, hold_epochs=round(
                base_hook.hold_epochs * scale))
        else:
            assert hook == base_hook
    for key in ('model', 'optim_wrapper', 'randomness'):
        assert cfg[key] == base[key], key
