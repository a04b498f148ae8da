"""ResumableEpochBasedTrainLoop continues an epoch instead of restarting it.

MMEngine's ``EpochBasedTrainLoop`` restores epoch and iteration from an
iteration checkpoint but replays the whole epoch; the resumable loop skips
the batches already trained, so the run ends at ``max_iters``.
"""
import os.path as osp
import uuid

import pytest
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmskel2vec.engine.runner import (BATCHES_DONE_KEY,
                                      ResumableEpochBasedTrainLoop,
                                      with_per_sample_seeding)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(REPO, 'configs', 'skeleton2vec',
                'skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py')
TINY = {
    'model.backbone.depth': 1, 'model.backbone.embed_dims': 16,
    'model.backbone.num_heads': 2, 'model.head.in_channels': 16,
    'model.head.embed_dims': 16, 'model.head.depth': 1,
    'model.head.num_heads': 2, 'model.target_generator.top_k': 1,
    'train_dataloader.dataset.num_samples': 12,
    'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'train_cfg.max_epochs': 2, 'default_hooks.logger.interval': 1,
    'default_hooks.checkpoint.by_epoch': False,
    'default_hooks.checkpoint.interval': 1,
    'default_hooks.checkpoint.max_keep_ckpts': 10
}


class Trace(Hook):
    """(epoch, batch_idx, iter, sample names) of every iteration."""

    def __init__(self):
        self.steps = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        names = [s.frame_dir for s in data_batch['data_samples']]
        self.steps.append((runner.epoch, batch_idx, runner.iter + 1, names))


def train(work_dir, **options):
    cfg = Config.fromfile(DEMO)
    cfg.merge_from_dict(TINY)
    cfg.merge_from_dict(options)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'loop_{uuid.uuid4().hex}'
    runner = Runner.from_cfg(cfg)
    trace = Trace()
    runner.register_hook(trace)
    runner.train()
    return runner, trace.steps


@pytest.fixture(scope='module')
def full_run(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('full')
    _, steps = train(work_dir)
    return work_dir, steps


def test_config_rewrite():
    cfg = dict(
        batch_size=2,
        sampler=dict(type='DefaultSampler', shuffle=True),
        dataset=dict(type='PoseDataset', ann_file='a.pkl'))
    new = with_per_sample_seeding(cfg)
    assert new['dataset'] == dict(
        type='PerSampleSeedDataset',
        dataset=dict(type='PoseDataset', ann_file='a.pkl'))
    assert new['sampler'] == dict(type='ResumableSampler', shuffle=True)
    assert cfg['sampler']['type'] == 'DefaultSampler'  # input untouched
    assert with_per_sample_seeding(new) == new


def test_the_rewrite_is_logged(full_run):
    import glob
    work_dir, _ = full_run
    logs = glob.glob(osp.join(str(work_dir), '*', '*.log'))
    text = ''.join(open(path).read() for path in logs)
    assert ('rewrites the train dataloader of the config: dataset '
            'SyntheticSkeletonDataset -> PerSampleSeedDataset('
            'SyntheticSkeletonDataset), sampler DefaultSampler -> '
            'ResumableSampler') in text


def test_a_run_without_iter_seed_hook_is_warned_about(full_run, tmp_path):
    import glob
    work_dir, _ = full_run

    def text(root):
        return ''.join(open(p).read()
                       for p in glob.glob(osp.join(str(root), '*', '*.log')))

    assert 'no IterSeedHook' not in text(work_dir)
    cfg = Config.fromfile(DEMO)
    cfg.custom_hooks = [h for h in cfg.custom_hooks
                        if h['type'] != 'IterSeedHook']
    cfg.merge_from_dict(dict(TINY, **{'train_cfg.max_epochs': 1}))
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = f'loop_{uuid.uuid4().hex}'
    Runner.from_cfg(cfg).train()
    assert 'no IterSeedHook' in text(tmp_path)


def test_resume_inside_epoch_continues_it(full_run, tmp_path):
    work_dir, full = full_run
    runner, steps = train(
        tmp_path, load_from=osp.join(work_dir, 'iter_4.pth'), resume=True)
    assert isinstance(runner.train_loop, ResumableEpochBasedTrainLoop)
    # epoch 2 (0-based 1) had one batch done: batches 1 and 2 remain, with
    # the same samples as in the uninterrupted run
    assert steps == full[4:]
    assert runner.iter == runner.max_iters == 6


def test_mmengine_loop_replays_the_epoch(full_run, tmp_path):
    work_dir, full = full_run
    runner, steps = train(
        tmp_path,
        load_from=osp.join(work_dir, 'iter_4.pth'),
        resume=True,
        **{'train_cfg.type': 'EpochBasedTrainLoop'})
    assert [s[1] for s in steps] == [0, 1, 2]  # batch 0 trained twice
    assert runner.iter == 7 > runner.max_iters


def test_resume_at_last_batch_finishes_epoch(full_run, tmp_path):
    work_dir, full = full_run
    runner, steps = train(
        tmp_path, load_from=osp.join(work_dir, 'iter_3.pth'), resume=True)
    assert steps == full[3:]


def test_batch_count_change_inside_epoch_is_refused(full_run, tmp_path):
    work_dir, _ = full_run
    with pytest.raises(RuntimeError, match='3 batches per epoch.*this run '
                       'has 4'):
        train(tmp_path, load_from=osp.join(work_dir, 'iter_4.pth'),
              resume=True, **{'train_dataloader.batch_size': 3})


def test_sampler_without_skip_discards_batches(full_run, tmp_path):
    work_dir, full = full_run
    runner, steps = train(
        tmp_path,
        load_from=osp.join(work_dir, 'iter_4.pth'),
        resume=True,
        **{'train_cfg.per_sample_seed': False})
    # DefaultSampler draws the same order as ResumableSampler
    assert steps == full[4:]
    assert runner.message_hub.get_info(BATCHES_DONE_KEY) == 0
