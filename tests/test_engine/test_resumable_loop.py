"""ResumableEpochBasedTrainLoop continues an epoch instead of restarting it.

MMEngine's ``EpochBasedTrainLoop`` restores epoch and iteration from an
iteration checkpoint but replays the whole epoch; the resumable loop skips
the batches already trained, so the run ends at ``max_iters``.
"""
import os.path as osp

import pytest
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmskel2vec.datasets import SyntheticSkeletonDataset
from mmskel2vec.datasets.samplers import ResumableSampler
from mmskel2vec.engine.runner import (BATCHES_DONE_KEY,
                                      ResumableEpochBasedTrainLoop)


class Trace(Hook):
    """(epoch, batch_idx, iter, sample names) of every iteration."""

    def __init__(self):
        self.steps = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        names = [s.frame_dir for s in data_batch['data_samples']]
        self.steps.append((runner.epoch, batch_idx, runner.iter + 1, names))


#: Two epochs of 3 iterations, a checkpoint after every iteration.
OPTIONS = {
    'train_cfg.max_epochs': 2,
    'default_hooks.checkpoint.by_epoch': False,
    'default_hooks.checkpoint.interval': 1,
    'default_hooks.checkpoint.max_keep_ckpts': 10
}


@pytest.fixture(scope='session')
def run_tiny(tiny_demo_cfg):
    """``run_tiny(work_dir, **options)``: train the tiny demo; returns the
    runner and the ``Trace`` of its steps."""

    def train(work_dir, **options):
        cfg = tiny_demo_cfg(work_dir, OPTIONS, name='loop')
        cfg.merge_from_dict(options)
        runner = Runner.from_cfg(cfg)
        trace = Trace()
        runner.register_hook(trace)
        runner.train()
        return runner, trace.steps

    return train


@pytest.fixture(scope='module')
def full_run(tmp_path_factory, run_tiny):
    work_dir = tmp_path_factory.mktemp('full')
    _, steps = run_tiny(work_dir)
    return work_dir, steps


def log_text(root):
    """All text logs of the runs under ``root``."""
    import glob
    return ''.join(open(p).read()
                   for p in glob.glob(osp.join(str(root), '*', '*.log')))


def test_the_config_names_what_runs(full_run, tiny_demo_cfg, tmp_path):
    # the sampler and dataset of the config are the ones that run
    cfg = tiny_demo_cfg(tmp_path, name='loop')
    assert cfg.train_dataloader.sampler.type == 'ResumableSampler'
    assert cfg.train_dataloader.dataset.type == 'SyntheticSkeletonDataset'
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    assert type(loader.sampler) is ResumableSampler
    assert type(loader.dataset) is SyntheticSkeletonDataset
    work_dir, _ = full_run
    assert 'augmentations and masks after a resume' not in log_text(work_dir)


@pytest.mark.parametrize('options,reason', [
    ({'train_dataloader.sampler.type': 'DefaultSampler'},
     'the train sampler is DefaultSampler, not a keyed ResumableSampler'),
    ({'train_dataloader.sampler.keyed': False},
     'the train sampler is ResumableSampler, not a keyed ResumableSampler'),
])
def test_unseeded_samples_are_warned_about(tmp_path, tiny_demo_cfg, options,
                                           reason):
    cfg = tiny_demo_cfg(tmp_path, name='loop')
    cfg.merge_from_dict(options)
    Runner.from_cfg(cfg).train()
    text = log_text(tmp_path)
    assert reason in text
    assert 'augmentations and masks after a resume will differ' in text


def test_a_run_without_iter_seed_hook_is_warned_about(full_run, tmp_path,
                                                      tiny_demo_cfg):
    work_dir, _ = full_run
    text = log_text
    assert 'no IterSeedHook' not in text(work_dir)
    cfg = tiny_demo_cfg(tmp_path, name='loop')
    cfg.custom_hooks = [h for h in cfg.custom_hooks
                        if h['type'] != 'IterSeedHook']
    Runner.from_cfg(cfg).train()
    assert 'no IterSeedHook' in text(tmp_path)


def test_resume_inside_epoch_continues_it(full_run, tmp_path, run_tiny):
    work_dir, full = full_run
    runner, steps = run_tiny(
        tmp_path, load_from=osp.join(work_dir, 'iter_4.pth'), resume=True)
    assert isinstance(runner.train_loop, ResumableEpochBasedTrainLoop)
    # epoch 2 (0-based 1) had one batch done: batches 1 and 2 remain, with
    # the same samples as in the uninterrupted run
    assert steps == full[4:]
    assert runner.iter == runner.max_iters == 6


def test_mmengine_loop_replays_the_epoch(full_run, tmp_path, run_tiny):
    work_dir, full = full_run
    runner, steps = run_tiny(
        tmp_path,
        load_from=osp.join(work_dir, 'iter_4.pth'),
        resume=True,
        **{'train_cfg.type': 'EpochBasedTrainLoop'})
    assert [s[1] for s in steps] == [0, 1, 2]  # batch 0 trained twice
    assert runner.iter == 7 > runner.max_iters


def test_resume_at_last_batch_finishes_epoch(full_run, tmp_path, run_tiny):
    work_dir, full = full_run
    runner, steps = run_tiny(
        tmp_path, load_from=osp.join(work_dir, 'iter_3.pth'), resume=True)
    assert steps == full[3:]


def test_batch_count_change_inside_epoch_is_refused(
        full_run, tmp_path, run_tiny):
    work_dir, _ = full_run
    with pytest.raises(RuntimeError, match='3 batches per epoch.*this run '
                       'has 4'):
        run_tiny(tmp_path, load_from=osp.join(work_dir, 'iter_4.pth'),
                 resume=True, **{'train_dataloader.batch_size': 3})


def test_sampler_without_skip_discards_batches(full_run, tmp_path, run_tiny):
    work_dir, full = full_run
    runner, steps = run_tiny(
        tmp_path,
        load_from=osp.join(work_dir, 'iter_4.pth'),
        resume=True,
        **{'train_dataloader.sampler.type': 'DefaultSampler'})
    # DefaultSampler draws the same order as ResumableSampler
    assert steps == full[4:]
    assert runner.message_hub.get_info(BATCHES_DONE_KEY) == 0


class Calls(Hook):
    """Names of the hook methods the runner called, in order."""

    def __init__(self):
        self.calls = []

    def before_train(self, runner):
        self.calls.append('before_train')

    def before_train_epoch(self, runner):
        self.calls.append('before_train_epoch')

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.calls.append('before_train_iter')


def test_a_run_without_teacher_updates_fails_before_training(
        tmp_path, tiny_demo_cfg):
    cfg = tiny_demo_cfg(tmp_path, name='loop')
    cfg.custom_hooks = [h for h in cfg.custom_hooks
                        if h['type'] != 'EMATeacherHook']
    runner = Runner.from_cfg(cfg)
    calls = Calls()
    runner.register_hook(calls)
    with pytest.raises(RuntimeError, match='nothing updates its teacher'):
        runner.train()
    # refused after the before_train hooks, before any batch
    assert calls.calls == ['before_train']
    assert runner.iter == 0
