"""DivergenceGuardOptimWrapper: a NaN loss or gradient never reaches the
weights or the checkpoints; optionally the step is skipped instead."""
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook

from mmskel2vec.engine.optim_wrappers import (DivergenceError,
                                              DivergenceGuardOptimWrapper)

#: What these tests change in the tiny demo run: 16 clips (4 iterations)
#: and a checkpoint after every iteration.
OPTIONS = {
    'train_dataloader.dataset.num_samples': 16,
    'default_hooks.checkpoint.by_epoch': False,
    'default_hooks.checkpoint.interval': 1,
    'default_hooks.checkpoint.max_keep_ckpts': 1
}


@pytest.fixture(scope='session')
def build_runner(tiny_runner):
    """``build_runner(work_dir, **options)``: a tiny demo runner with
    ``OPTIONS``, then ``options``."""
    return lambda work_dir, **options: tiny_runner(
        work_dir, {**OPTIONS, **options}, name='guard')


def poison_loss(runner, at_iters):
    """Make the loss NaN at the given 1-based iterations."""
    model = runner.model
    original = model.loss

    def loss(inputs, data_samples):
        losses = original(inputs, data_samples)
        if runner.iter + 1 in at_iters:
            losses['loss'] = losses['loss'] * float('nan')
        return losses

    model.loss = loss


def poison_grad(runner, at_iters):
    """Make one gradient infinite (the loss stays finite)."""
    param = next(runner.model.backbone.parameters())
    param.register_hook(lambda grad: grad * float('inf')
                        if runner.iter + 1 in at_iters else grad)


class Snapshots(Hook):
    """Model state after every iteration (1-based iteration -> state)."""

    priority = 'LOWEST'

    def __init__(self):
        self.states = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.states[runner.iter + 1] = {
            k: v.clone() for k, v in runner.model.state_dict().items()
        }


def test_pretraining_configs_use_the_guard(tmp_path, build_runner):
    runner = build_runner(tmp_path)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    assert isinstance(runner.optim_wrapper, DivergenceGuardOptimWrapper)


@pytest.mark.parametrize('poison, what', [(poison_loss, 'non-finite loss'),
                                          (poison_grad,
                                           'non-finite gradient norm')])
def test_non_finite_stops_and_keeps_last_checkpoint(
        tmp_path, poison, what, build_runner):
    runner = build_runner(tmp_path)
    snapshots = Snapshots()
    runner.register_hook(snapshots)
    poison(runner, {3})
    with pytest.raises(DivergenceError) as info:
        runner.train()
    message = str(info.value)
    assert f'{what}' in message and 'iteration 3 (epoch 1)' in message
    last = osp.join(tmp_path, 'iter_2.pth')
    assert last in message
    with open(osp.join(tmp_path, 'last_checkpoint')) as f:
        assert f.read().strip() == last
    saved = torch.load(last, map_location='cpu')['state_dict']
    # the refused step changed nothing: the model is still the checkpoint's
    for name, value in runner.model.state_dict().items():
        assert torch.equal(value, saved[name]), name
        assert torch.equal(value, snapshots.states[2][name]), name
    assert all(torch.isfinite(v).all() for v in saved.values()
               if v.is_floating_point())


@pytest.mark.parametrize('poison', [poison_loss, poison_grad])
def test_skip_mode_drops_the_step(tmp_path, poison, build_runner):
    runner = build_runner(
        tmp_path, **{'optim_wrapper.on_nonfinite': 'skip'})
    snapshots = Snapshots()
    runner.register_hook(snapshots)
    poison(runner, {2})
    runner.train()
    assert runner.iter == 4
    assert runner.optim_wrapper.num_skipped == 1
    # neither the student nor the EMA teacher moved at the skipped step
    for name, value in snapshots.states[1].items():
        assert torch.equal(value, snapshots.states[2][name]), name
    assert any(not torch.equal(v, snapshots.states[3][k])
               for k, v in snapshots.states[2].items()
               if k.startswith('teacher.'))
    assert all(torch.isfinite(v).all()
               for v in runner.model.state_dict().values()
               if v.is_floating_point())
    scalars = runner.message_hub.get_scalar('train/skipped_steps')
    assert scalars.current() == 1


def test_skip_mode_gives_up_after_consecutive_skips(tmp_path, build_runner):
    runner = build_runner(
        tmp_path, **{
            'optim_wrapper.on_nonfinite': 'skip',
            'optim_wrapper.max_consecutive_skips': 1
        })
    poison_loss(runner, {2, 3})
    with pytest.raises(DivergenceError, match='2 consecutive non-finite'):
        runner.train()


def test_rejects_unknown_mode():
    model = torch.nn.Linear(2, 2)
    with pytest.raises(ValueError, match='on_nonfinite'):
        DivergenceGuardOptimWrapper(
            torch.optim.SGD(model.parameters(), lr=0.1), on_nonfinite='warn')
