"""SIGKILL in the middle of an epoch, ``--resume``: the run continues exactly.

One uninterrupted reference run (module fixture, no data workers) is
compared with a run that is killed with SIGKILL inside its second epoch
(two persistent data workers) and then resumed with ``tools/train.py
--resume`` (no workers). The killed run stops after iteration 5 while its
last checkpoint is the rolling ``iter_4.pth`` (one batch into epoch 2), so
the resume has to skip that batch, replay iteration 5 and continue the
teacher, the EMA momentum schedule, the optimizer, the LR schedule, the
data order and all random streams (drop path and dropout are on). The loss
of every iteration and the final weights, optimizer and scheduler states
must be bit-identical.
"""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch

from repo_paths import DEMO_CONFIG as DEMO
from repo_paths import REPO_ROOT as REPO

EPOCHS = 3  # 12 samples / batch 4 = 3 iterations per epoch
KILL_AFTER_ITER = 5

STALL_HOOK = '''
"""Test helper: stall after a given iteration so the test can SIGKILL us."""
import os
import time

from mmengine.hooks import Hook
from mmaction.registry import HOOKS


@HOOKS.register_module()
class StallAfterIterHook(Hook):
    priority = 'LOWEST'  # after the checkpoint hook

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        stall_at = int(os.environ.get('STALL_AFTER_ITER', 0))
        if runner.iter + 1 == stall_at:
            with open(os.environ['STALL_MARKER'], 'w') as f:
                f.write(str(runner.iter + 1))
            while True:
                time.sleep(1)
'''

CONFIG = '''
_base_ = [{demo!r}]
custom_imports = dict(
    imports=['mmskel2vec', 'stall_hook'], allow_failed_imports=False)
model = dict(
    backbone=dict(depth=2, embed_dims=32, drop_rate=0.1,
                  drop_path_rate=0.2),
    head=dict(in_channels=32, embed_dims=32),
    target_generator=dict(top_k=2))
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(num_samples=12))
train_cfg = dict(max_epochs={epochs})
log_processor = dict(window_size=1)
custom_hooks = [
    {{{{_base_.iter_seed_hook}}}}, {{{{_base_.weight_sync_hook}}}},
    {{{{_base_.freed_memory_hook}}}},
    dict(type='EMATeacherHook', momentum=0.9, end_momentum=0.99),
    dict(type='StallAfterIterHook')
]
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, max_keep_ckpts=2, resume_interval=2))
'''


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp('crash')
    (root / 'stall_hook.py').write_text(STALL_HOOK)
    config = root / 'tiny_pretrain.py'
    config.write_text(CONFIG.format(demo=DEMO, epochs=EPOCHS))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(root), REPO, os.environ.get('PYTHONPATH', '')]))
    return root, str(config), env


def train_cmd(config, work_dir, *extra):
    return [
        sys.executable,
        osp.join(REPO, 'tools', 'train.py'), config, '--work-dir',
        str(work_dir), *extra
    ]


def run_train(config, work_dir, env, *extra):
    proc = subprocess.run(
        train_cmd(config, work_dir, *extra),
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def logged_losses(work_dir):
    """iteration -> loss from every run's scalars.json in ``work_dir``."""
    losses = {}
    for run in sorted(os.listdir(work_dir)):
        path = osp.join(work_dir, run, 'vis_data', 'scalars.json')
        if not osp.isfile(path):
            continue
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'loss' in record:
                    # 'step' counts the run's iterations ('iter' counts
                    # within the epoch, as MMAction2's json logs do)
                    losses.setdefault(run, {})[record['step']] = \
                        record['loss']
    return losses


@pytest.fixture(scope='module')
def reference(setup):
    root, config, env = setup
    work_dir = root / 'reference'
    run_train(config, work_dir, env)
    (run_losses, ) = logged_losses(work_dir).values()
    return work_dir, run_losses


@pytest.fixture(scope='module')
def crashed_and_resumed(setup):
    root, config, env = setup
    work_dir = root / 'crashed'
    marker = root / 'stalled'
    crash_env = dict(env, STALL_AFTER_ITER=str(KILL_AFTER_ITER),
                     STALL_MARKER=str(marker))
    # The interrupted run uses two persistent data workers, the resumed run
    # none: the data must not depend on the worker layout.
    proc = subprocess.Popen(
        train_cmd(config, work_dir, '--cfg-options',
                  'train_dataloader.num_workers=2',
                  'train_dataloader.persistent_workers=True'),
        cwd=REPO, env=crash_env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, 'the run never reached the kill'
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the trainer and its data workers
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with open(work_dir / 'last_checkpoint') as f:
        last = f.read().strip()
    meta = torch.load(last, map_location='cpu')['meta']
    log = run_train(config, work_dir, env, '--resume')
    return work_dir, (last, meta), log


def test_kill_happened_mid_epoch_after_a_rolling_checkpoint(
        crashed_and_resumed):
    work_dir, (last, meta), log = crashed_and_resumed
    assert osp.basename(last) == 'iter_4.pth'
    assert meta['epoch'] == 1 and meta['iter'] == 4
    assert 'resumed epoch: 1, iter: 4' in log
    assert 'Resuming inside epoch 2: 1 of 3 batches already trained' in log


def test_loss_curve_matches_uninterrupted_run(reference, crashed_and_resumed):
    _, ref_losses = reference
    work_dir, _, _ = crashed_and_resumed
    runs = logged_losses(work_dir)
    assert len(runs) == 2
    killed, resumed = (runs[name] for name in sorted(runs))
    assert sorted(killed) == list(range(1, KILL_AFTER_ITER + 1))
    assert sorted(resumed) == list(range(5, EPOCHS * 3 + 1))
    assert sorted(ref_losses) == list(range(1, EPOCHS * 3 + 1))
    # bit-exact: the killed run up to the kill, the resumed run after the
    # checkpoint (iteration 5 ran in both and agrees too)
    for it, loss in killed.items():
        assert loss == ref_losses[it], it
    for it, loss in resumed.items():
        assert loss == ref_losses[it], it


def test_final_state_matches_uninterrupted_run(reference, crashed_and_resumed):
    ref_dir, _ = reference
    work_dir, _, _ = crashed_and_resumed
    name = f'epoch_{EPOCHS}.pth'
    ref = torch.load(osp.join(ref_dir, name), map_location='cpu')
    res = torch.load(osp.join(work_dir, name), map_location='cpu')
    assert ref['meta']['iter'] == res['meta']['iter'] == EPOCHS * 3
    assert ref['state_dict'].keys() == res['state_dict'].keys()
    for key, value in ref['state_dict'].items():
        assert torch.equal(value, res['state_dict'][key]), key
    assert any(k.startswith('teacher.') for k in ref['state_dict'])
    ref_opt, res_opt = ref['optimizer'], res['optimizer']
    assert ref_opt['param_groups'] == res_opt['param_groups']
    for index, state in ref_opt['state'].items():
        for key, value in state.items():
            assert torch.equal(value, res_opt['state'][index][key]), key
    assert ref['param_schedulers'] == res['param_schedulers']


def test_resumed_run_cleaned_up(crashed_and_resumed):
    work_dir, _, _ = crashed_and_resumed
    names = sorted(os.listdir(work_dir))
    assert not [n for n in names if n.endswith('.tmp')]
    # the rolling checkpoint was superseded by the epoch checkpoints
    assert not [n for n in names if n.startswith('iter_')]
    assert [n for n in names if n.startswith('epoch_')] == [
        f'epoch_{EPOCHS - 1}.pth', f'epoch_{EPOCHS}.pth'
    ]
