"""Downstream protocol configs through tools/train.py and tools/test.py.

Every benchmark config must build; one config per protocol (linear probe,
fine-tuning, semi-supervised, ST-GCN pretraining + fine-tuning) runs an
epoch on a few synthetic samples with a small model, in-process.
"""
import glob
import json
import os.path as osp
import runpy
import sys

import pytest
import torch
from mmengine.config import Config

from mmaction.registry import MODELS
from mmskel2vec.compat import get_installed_path
from mmskel2vec.models.weight_init import PretrainedKeyError

from repo_paths import REPO_ROOT as REPO

BENCH = osp.join(REPO, 'configs', 'skeleton2vec', 'benchmarks')
SUFFIX = 'synthetic-keypoint-3d.py'
LINEAR = osp.join(BENCH, f'skeleton2vec-linear_stt-4x128_1xb32-30e_{SUFFIX}')
FINETUNE = osp.join(BENCH,
                    f'skeleton2vec-finetune_stt-4x128_1xb16-30e_{SUFFIX}')
SEMI = osp.join(BENCH, f'skeleton2vec-semi1pct_stt-4x128_1xb16-30e_{SUFFIX}')
GCN_PRE = osp.join(REPO, 'configs', 'skeleton2vec',
                   f'skeleton2vec_stgcn_1xb16-15e_{SUFFIX}')
GCN_FT = osp.join(BENCH, f'skeleton2vec-finetune_stgcn_1xb16-10e_{SUFFIX}')

LOADER = ['num_workers=0', 'persistent_workers=False', 'batch_size=8']
SMALL = ['model.backbone.depth=2', 'model.backbone.embed_dims=32',
         'model.cls_head.in_channels=32', 'train_cfg.max_epochs=1',
         'train_cfg.val_interval=1', 'default_hooks.logger.interval=1']
# ST-GCN with 4 stages (width 8 -> 16, temporal stride 4)
SMALL_STGCN = ['base_channels=8', 'num_stages=4', 'inflate_stages=[3]',
               'down_stages=[2,4]']
EVAL_DATA = [f'{loader}_dataloader.{opt}' for loader in ('val', 'test')
             for opt in LOADER + ['dataset.num_samples=8']]


def options(train_dataset='train_dataloader.dataset', extra=()):
    train = [f'train_dataloader.{opt}' for opt in LOADER]
    return SMALL + EVAL_DATA + train + [
        f'{train_dataset}.num_samples=16'] + list(extra)


def run_tool(monkeypatch, tool, *args):
    monkeypatch.setattr(sys, 'argv', [tool, *map(str, args)])
    runpy.run_path(osp.join(REPO, 'tools', tool), run_name='__main__')


def state(path, prefix):
    sd = torch.load(path, map_location='cpu')['state_dict']
    return {k[len(prefix):]: v for k, v in sd.items() if k.startswith(prefix)}


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    """A Skeleton2vec checkpoint (student and teacher) of the small model."""
    encoder = MODELS.build(dict(type='SkeletonTransformer', clip_len=64,
                                embed_dims=32, depth=2, num_heads=4))
    sd = encoder.state_dict()
    ckpt = {f'backbone.{k}': v for k, v in sd.items()}
    ckpt.update({f'teacher.{k}': v + 0.5 for k, v in sd.items()})
    ckpt['head.mask_token'] = torch.zeros(1, 32)
    path = tmp_path_factory.mktemp('pre') / 'epoch_15.pth'
    torch.save(dict(state_dict=ckpt), path)
    return path


def test_every_benchmark_config_builds():
    configs = sorted(glob.glob(osp.join(BENCH, '*.py')))
    assert len(configs) >= 40
    for path in configs:
        cfg = Config.fromfile(path)
        init = cfg.model.backbone.init_cfg
        # transformer protocols start from the EMA teacher, the GCN ones
        # from the student's wrapped encoder
        expected = 'backbone.encoder.' if 'stgcn' in path else 'teacher.'
        assert init['type'] == 'Pretrained' and init['strict'] and \
            init['prefix'] == expected, \
            path
        assert cfg.train_dataloader and cfg.val_dataloader, path
        MODELS.build(cfg.model)


def unscoped(value):
    """Drop MMEngine's `_scope_` marks (added for a `mmaction::` base)."""
    if isinstance(value, dict):
        return {k: unscoped(v) for k, v in value.items() if k != '_scope_'}
    if isinstance(value, (list, tuple)):
        return type(value)(unscoped(v) for v in value)
    return value


def test_stgcn_config_is_mmaction_own_plus_init_cfg_and_safe_loading():
    ours = Config.fromfile(osp.join(
        BENCH, 'skeleton2vec-finetune_stgcn_8xb16-joint-u100-80e_'
        'ntu60-xsub-keypoint-3d.py'))
    theirs = Config.fromfile(osp.join(
        get_installed_path('mmaction'), '.mim', 'configs', 'skeleton',
        'stgcn', 'stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'))
    init = ours.model.backbone.pop('init_cfg')
    assert init.prefix == 'backbone.encoder.'
    # the other change: annotations through the allow-listed loader
    for loader in (ours.train_dataloader.dataset, ours.val_dataloader,
                   ours.test_dataloader):
        dataset = loader.get('dataset', loader)
        assert dataset.type == 'CheckedPoseDataset'
        dataset.type = 'PoseDataset'
    for key in ('model', 'train_dataloader', 'val_dataloader',
                'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert unscoped(ours[key]) == theirs[key], key


def test_linear_probe_trains_only_the_head(tmp_path, monkeypatch,
                                           pretrained):
    work = tmp_path / 'linear'
    opts = options(extra=[f'model.backbone.init_cfg.checkpoint={pretrained}'])
    run_tool(monkeypatch, 'train.py', LINEAR, '--work-dir', work,
             '--cfg-options', *opts)
    trained = work / 'epoch_1.pth'
    # the probe froze the EMA teacher (the student differs by -0.5)
    before, after = state(pretrained, 'teacher.'), state(trained,
                                                         'backbone.')
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    head = state(trained, 'cls_head.')
    assert set(head) == {'bn.running_mean', 'bn.running_var',
                         'bn.num_batches_tracked', 'fc.weight', 'fc.bias'}
    log = open(glob.glob(str(work / '*' / '*.log'))[0]).read()
    assert 'load SkeletonTransformer strictly' in log
    run_tool(monkeypatch, 'test.py', LINEAR, trained, '--work-dir', work,
             '--cfg-options', *opts)
    results = [json.load(open(p)) for p in glob.glob(str(work / '*' /
                                                         '2*.json'))]
    assert any('acc/top1' in r and 'acc/mean1' in r for r in results)


def test_wrong_checkpoint_fails_naming_the_keys(tmp_path, monkeypatch,
                                                pretrained):
    opts = options(extra=[f'model.backbone.init_cfg.checkpoint={pretrained}',
                          'model.backbone.depth=3'])
    with pytest.raises(PretrainedKeyError, match=r'blocks\.2\.attn\.qkv'):
        run_tool(monkeypatch, 'train.py', LINEAR, '--work-dir',
                 tmp_path / 'wrong', '--cfg-options', *opts)


def test_finetune_with_layer_decay_then_test(tmp_path, monkeypatch,
                                             pretrained):
    work = tmp_path / 'finetune'
    opts = options(extra=[f'model.backbone.init_cfg.checkpoint={pretrained}'])
    run_tool(monkeypatch, 'train.py', FINETUNE, '--work-dir', work,
             '--cfg-options', *opts)
    ckpt = torch.load(work / 'epoch_1.pth', map_location='cpu')
    scales = sorted({round(g['lr_scale'], 6)
                     for g in ckpt['optimizer']['param_groups']})
    assert scales == [round(0.8**k, 6) for k in (3, 2, 1, 0)]
    before, after = state(pretrained, 'teacher.'), state(
        work / 'epoch_1.pth', 'backbone.')
    assert any(not torch.equal(before[k], after[k]) for k in before)
    # it started from the teacher: closer to it than to the student
    student = state(pretrained, 'backbone.')
    key = 'blocks.0.attn.qkv.weight'
    assert (after[key] - before[key]).abs().mean() < (
        after[key] - student[key]).abs().mean()
    run_tool(monkeypatch, 'test.py', FINETUNE, work / 'epoch_1.pth',
             '--work-dir', work, '--cfg-options', *opts)


def test_semi_supervised_subset_is_recorded(tmp_path, monkeypatch,
                                            pretrained):
    work = tmp_path / 'semi'
    opts = options('train_dataloader.dataset.dataset', extra=[
        f'model.backbone.init_cfg.checkpoint={pretrained}'])
    run_tool(monkeypatch, 'train.py', SEMI, '--work-dir', work,
             '--cfg-options', *opts)
    record = json.load(open(work / 'labelled_subset.json'))
    assert record['fraction'] == 0.01 and record['num_samples'] == 16
    assert record['num_selected'] == 8 and len(record['frame_dirs']) == 8
    assert all(v['selected'] == 1 for v in record['per_class'].values())


def test_stgcn_pretrains_and_fine_tunes_from_its_export(tmp_path,
                                                        monkeypatch):
    pre = tmp_path / 'gcn_pre'
    run_tool(monkeypatch, 'train.py', GCN_PRE, '--work-dir', pre,
             '--cfg-options', *[f'model.backbone.encoder.{opt}'
                                for opt in SMALL_STGCN],
             'model.head.in_channels=16', 'model.head.embed_dims=16',
             'model.head.depth=1', 'model.target_generator.top_k=1',
             'model.head.num_tokens_t=8', 'train_cfg.max_epochs=1',
             'train_dataloader.dataset.pipeline.1.clip_len=32',
             'train_dataloader.dataset.num_samples=4',
             'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
             'train_dataloader.persistent_workers=False',
             'default_hooks.logger.interval=1')
    ckpt = pre / 'epoch_1.pth'
    exported = tmp_path / 'stgcn.pth'
    run_tool(monkeypatch, 'misc/export_backbone.py', ckpt, exported)
    plain = MODELS.build(dict(
        type='STGCN', graph_cfg=dict(layout='nturgb+d',
                                     mode='stgcn_spatial'),
        base_channels=8, num_stages=4, inflate_stages=[3],
        down_stages=[2, 4], init_cfg=dict(
            type='Pretrained', strict=True, checkpoint=str(exported),
            prefix='backbone.')))
    plain.init_weights()  # strict: fails on any missing or unexpected key
    student = state(ckpt, 'backbone.encoder.')
    assert plain.state_dict().keys() == student.keys()
    assert all(torch.equal(plain.state_dict()[k], v)
               for k, v in student.items())
    # MMAction2's recognizer, loaded straight from the pretraining run
    run_tool(monkeypatch, 'train.py', GCN_FT, '--work-dir',
             tmp_path / 'gcn_ft', '--cfg-options',
             f'model.backbone.init_cfg.checkpoint={ckpt}',
             *[f'model.backbone.{opt}' for opt in SMALL_STGCN],
             'model.cls_head.in_channels=16',
             *[o for o in options() if not o.startswith('model.')],
             'train_dataloader.dataset.num_samples=8',
             *[f'{split}_dataloader.dataset.pipeline.1.clip_len=32'
               for split in ('train', 'val', 'test')])
    assert (tmp_path / 'gcn_ft' / 'epoch_1.pth').exists()
