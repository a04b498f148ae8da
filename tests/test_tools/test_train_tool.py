"""End-to-end: tools/train.py on the embedded dataset, checkpoints, resume."""
import os.path as osp
import subprocess
import sys

import pytest
import torch

from repo_paths import DEMO_CONFIG as DEMO
from repo_paths import REPO_ROOT as REPO
from tiny_demo import TINY_DEMO_CLI

#: The tiny demo, with a checkpoint every epoch.
TINY = [*TINY_DEMO_CLI, 'default_hooks.checkpoint.interval=1']


def train(work_dir, *extra, epochs=1):
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools', 'train.py'), DEMO, '--work-dir',
        str(work_dir), *extra, '--cfg-options', *TINY,
        f'train_cfg.max_epochs={epochs}'
    ]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def split_state(state_dict, prefix):
    return {k[len(prefix):]: v for k, v in state_dict.items()
            if k.startswith(prefix)}


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('demo')
    log = train(work_dir)
    return work_dir, log


def test_train_shows_progress_and_saves_checkpoint(trained):
    work_dir, log = trained
    assert 'eta:' in log and 'loss:' in log
    ckpt_path = osp.join(work_dir, 'epoch_1.pth')
    assert f'Latest checkpoint: {ckpt_path}' in log
    ckpt = torch.load(ckpt_path, map_location='cpu')  # weights_only default
    teacher = split_state(ckpt['state_dict'], 'teacher.')
    student = split_state(ckpt['state_dict'], 'backbone.')
    assert teacher.keys() == student.keys() and teacher
    # the EMA moved the teacher, but less than the optimizer moved the student
    assert any(not torch.equal(teacher[k], student[k]) for k in teacher)
    assert 'optimizer' in ckpt and 'message_hub' in ckpt
    teacher_state = [k for k in ckpt['optimizer']['state']]
    num_student = sum(1 for k in ckpt['state_dict']
                      if not k.startswith('teacher.'))
    assert len(teacher_state) <= num_student  # no optimizer state for teacher


def test_load_from_restores_teacher(trained, tmp_path, tiny_runner):
    work_dir, _ = trained
    ckpt_path = osp.join(work_dir, 'epoch_1.pth')
    runner = tiny_runner(tmp_path, dict(load_from=ckpt_path))
    runner.load_or_resume()
    saved = torch.load(ckpt_path, map_location='cpu')['state_dict']
    for name, value in runner.model.state_dict().items():
        torch.testing.assert_close(value, saved[name], rtol=0, atol=0,
                                   msg=name)


def test_resume_restores_teacher_optimizer_and_iteration(
        trained, tmp_path, tiny_runner):
    work_dir, _ = trained
    ckpt_path = osp.join(work_dir, 'epoch_1.pth')
    runner = tiny_runner(
        tmp_path,
        dict(load_from=ckpt_path, resume=True, train_cfg=dict(
            type='EpochBasedTrainLoop', max_epochs=2, _delete_=True)))
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.param_schedulers = runner.build_param_scheduler(
        runner.param_schedulers)
    runner.load_or_resume()
    saved = torch.load(ckpt_path, map_location='cpu')
    teacher = split_state(runner.model.state_dict(), 'teacher.')
    for name, value in split_state(saved['state_dict'], 'teacher.').items():
        torch.testing.assert_close(teacher[name], value, rtol=0, atol=0)
    assert runner.iter == saved['meta']['iter'] == 3
    assert runner.epoch == 1
    assert runner.optim_wrapper.optimizer.state_dict()['state']


def test_cli_resume_continues_training(tmp_path):
    log1 = train(tmp_path)
    assert 'epoch_1.pth' in log1
    log2 = train(tmp_path, '--resume', epochs=2)
    assert 'resumed epoch: 1, iter: 3' in log2
    assert osp.exists(osp.join(tmp_path, 'epoch_2.pth'))


def test_amp_on_cpu_autocasts_in_bf16_or_says_why_not(tmp_path):
    """``--amp`` without CUDA: bf16 autocast, refused where it is emulated."""
    from mmskel2vec.utils.matmul_rate import dtype_is_emulated
    if torch.cuda.is_available():
        pytest.skip('--amp takes AmpOptimWrapper on GPU machines')
    cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), DEMO,
           '--work-dir', str(tmp_path), '--amp', '--cfg-options', *TINY,
           'train_cfg.max_epochs=1']
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    log = proc.stdout + proc.stderr
    if dtype_is_emulated(torch.bfloat16):
        assert proc.returncode != 0
        assert 'bf16 autocast refused: this CPU has no native bf16' in log
        assert 'GFLOP/s' in log
    else:
        assert proc.returncode == 0, log[-3000:]
        assert 'AutocastOptimWrapper: bf16 autocast on CPU' in log
        assert osp.exists(osp.join(tmp_path, 'epoch_1.pth'))
