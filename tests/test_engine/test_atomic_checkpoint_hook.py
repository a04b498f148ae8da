"""AtomicCheckpointHook: an interrupted save never costs the last checkpoint.

A save is made to crash half-way through writing the file (the write of
the third iteration checkpoint stops after half of the bytes and raises).
The previous checkpoint must still load, ``last_checkpoint`` must still
name it, no partial file may be left in place, and a resumed runner must
pick it. MMEngine's own ``CheckpointHook`` fails the same scenario, which
is why the pretraining configs use the atomic hook.
"""
import os
import os.path as osp

import pytest
import torch
from mmengine.fileio import LocalBackend
from mmengine.hooks import Hook

from mmskel2vec.engine.hooks import AtomicCheckpointHook
from mmskel2vec.engine.hooks.atomic_checkpoint_hook import (
    NonFiniteCheckpointError, atomic_write_text)


@pytest.fixture(scope='session')
def build_runner(tiny_runner):
    """``build_runner(work_dir, checkpoint, **options)``: a tiny demo
    runner with the checkpoint hook config ``checkpoint``."""
    return lambda work_dir, checkpoint, **options: tiny_runner(
        work_dir, {
            'default_hooks.checkpoint': dict(checkpoint, _delete_=True),
            **options
        },
        name='atomic')


def crash_on_third_checkpoint(monkeypatch):
    """Make the third checkpoint write stop half-way with an OSError."""
    original = LocalBackend.put
    calls = []

    def put(self, obj, filepath):
        if str(filepath).endswith(('.pth', '.pth.tmp')):
            calls.append(filepath)
            if len(calls) == 3:
                with open(filepath, 'wb') as f:
                    f.write(obj[:len(obj) // 2])
                raise OSError('simulated crash while writing a checkpoint')
        return original(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', put)


def iter_checkpoint(hook_type):
    return dict(type=hook_type, by_epoch=False, interval=1, max_keep_ckpts=1)


def read_last(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def test_crash_while_saving_keeps_previous_checkpoint(
        tmp_path, monkeypatch, build_runner):
    runner = build_runner(tmp_path, iter_checkpoint('AtomicCheckpointHook'))
    crash_on_third_checkpoint(monkeypatch)
    with pytest.raises(OSError, match='simulated crash'):
        runner.train()
    monkeypatch.undo()

    previous = osp.join(tmp_path, 'iter_2.pth')
    assert read_last(tmp_path) == previous
    assert not osp.exists(osp.join(tmp_path, 'iter_3.pth'))
    assert not [n for n in os.listdir(tmp_path) if n.endswith('.tmp')]
    ckpt = torch.load(previous, map_location='cpu')  # complete, loads
    assert ckpt['meta']['iter'] == 2

    # --resume (auto) picks the previous checkpoint and continues from it
    resumed = build_runner(
        tmp_path, iter_checkpoint('AtomicCheckpointHook'), resume=True)
    resumed.train()
    assert resumed.iter == 3
    assert read_last(tmp_path) == osp.join(tmp_path, 'iter_3.pth')
    assert sorted(n for n in os.listdir(tmp_path)
                  if n.endswith('.pth')) == ['iter_3.pth']


def test_mmengine_checkpoint_hook_loses_everything_in_same_crash(
        tmp_path, monkeypatch, build_runner):
    # Why the configs switch hooks: MMEngine deletes the outdated checkpoint
    # before writing the new one and writes in place.
    runner = build_runner(tmp_path, iter_checkpoint('CheckpointHook'))
    crash_on_third_checkpoint(monkeypatch)
    with pytest.raises(OSError, match='simulated crash'):
        runner.train()
    monkeypatch.undo()
    assert read_last(tmp_path) == osp.join(tmp_path, 'iter_2.pth')
    assert not osp.exists(osp.join(tmp_path, 'iter_2.pth'))
    with pytest.raises(Exception):
        torch.load(osp.join(tmp_path, 'iter_3.pth'), map_location='cpu')


def test_refuses_to_save_non_finite_weights(tmp_path, build_runner):
    runner = build_runner(
        tmp_path, dict(type='AtomicCheckpointHook', interval=1))
    runner.train()
    good = osp.join(tmp_path, 'epoch_1.pth')
    before = os.path.getmtime(good), os.path.getsize(good)
    with torch.no_grad():
        next(runner.model.teacher.parameters()).fill_(float('nan'))
    hook = next(h for h in runner.hooks
                if isinstance(h, AtomicCheckpointHook))
    with pytest.raises(NonFiniteCheckpointError,
                       match=r"non-finite .*'teacher\..*epoch_1\.pth"):
        hook._save_checkpoint(runner)
    assert (os.path.getmtime(good), os.path.getsize(good)) == before
    assert read_last(tmp_path) == good


def test_stale_temporary_files_are_removed(tmp_path, build_runner):
    stale = tmp_path / '.iter_7.pth.tmp'
    stale.write_bytes(b'half a checkpoint')
    other = tmp_path / 'notes.tmp'
    other.write_text('not ours')
    runner = build_runner(
        tmp_path, dict(type='AtomicCheckpointHook', interval=1))
    runner.train()
    assert not stale.exists() and other.exists()


def test_rolling_checkpoint_needs_resumable_loop(tmp_path, build_runner):
    runner = build_runner(
        tmp_path,
        dict(type='AtomicCheckpointHook', interval=1, resume_interval=1),
        **{'train_cfg.type': 'EpochBasedTrainLoop'})
    runner.train()
    assert sorted(n for n in os.listdir(tmp_path)
                  if n.endswith('.pth')) == ['epoch_1.pth']


def test_rolling_checkpoint_replaces_previous(tmp_path, build_runner):
    runner = build_runner(
        tmp_path,
        dict(type='AtomicCheckpointHook', interval=1, resume_interval=1),
        **{'train_cfg.max_epochs': 2, 'train_cfg.val_interval': 10})
    seen = []

    class ListCheckpoints(Hook):
        priority = 'LOWEST'

        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            seen.append((read_last(tmp_path), sorted(
                n for n in os.listdir(tmp_path) if n.endswith('.pth'))))

    runner.register_hook(ListCheckpoints())
    runner.train()
    # iterations 1, 2: rolling; 3: end of epoch 1 (epoch_1 follows in
    # after_train_epoch); 4, 5: rolling next to epoch_1; 6: last iteration
    names = [files for _, files in seen]
    assert names[0] == ['iter_1.pth']
    assert names[1] == ['iter_2.pth']
    assert names[3] == ['epoch_1.pth', 'iter_4.pth']
    assert names[4] == ['epoch_1.pth', 'iter_5.pth']
    assert seen[4][0] == osp.join(tmp_path, 'iter_5.pth')
    assert read_last(tmp_path) == osp.join(tmp_path, 'epoch_2.pth')
    assert sorted(n for n in os.listdir(tmp_path)
                  if n.endswith('.pth')) == ['epoch_1.pth', 'epoch_2.pth']


def test_atomic_write_text_replaces_whole_file(tmp_path):
    path = tmp_path / 'last_checkpoint'
    atomic_write_text(str(path), 'a' * 100)
    atomic_write_text(str(path), 'b')
    assert path.read_text() == 'b'
    assert os.listdir(tmp_path) == ['last_checkpoint']


def test_a_changed_parent_save_method_fails_at_start(monkeypatch):
    from mmengine.hooks import CheckpointHook

    def changed(self, runner, step, meta, extra):
        pass

    AtomicCheckpointHook(interval=1)  # the pinned mmengine: accepted
    monkeypatch.setattr(CheckpointHook, '_save_checkpoint_with_step',
                        changed)
    with pytest.raises(RuntimeError, match='_save_checkpoint_with_step'):
        AtomicCheckpointHook(interval=1)
