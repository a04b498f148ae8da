"""``tools/dist_train.sh`` with 2 CPU processes (gloo): pretraining keeps the
teacher identical on both ranks; a downstream run validates on all samples.
"""
import os
import os.path as osp
import pickle
import re
import socket
import subprocess

import pytest
import torch
from mmengine.config import Config

from repo_paths import DEMO_CONFIG as DEMO
from repo_paths import REPO_ROOT as REPO

FINETUNE = osp.join(
    REPO, 'configs', 'skeleton2vec', 'benchmarks',
    'skeleton2vec-finetune_stt-4x128_1xb16-30e_synthetic-keypoint-3d.py')
NPROC = 2
NUM_VAL = 7  # odd: padding by the sampler would show in the counts

PRETRAIN = '''
_base_ = [{base!r}]
model = dict(
    backbone=dict(depth=2, embed_dims=32, drop_path_rate=0.1),
    head=dict(in_channels=32, embed_dims=32, depth=1),
    target_generator=dict(top_k=2))
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(num_samples=12))
train_cfg = dict(max_epochs=2)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, resume_interval=2))
custom_hooks = [
    {{{{_base_.iter_seed_hook}}}},
    dict(type='WeightSyncCheckHook', interval=1),
    {{{{_base_.freed_memory_hook}}}}, {{{{_base_.ema_hook}}}},
    {{{{_base_.knn_monitor}}}}
]
'''

DOWNSTREAM = '''
_base_ = [{base!r}]
model = dict(
    backbone=dict(
        depth=2, embed_dims=32,
        init_cfg=dict(checkpoint={checkpoint!r}, prefix='backbone.')),
    cls_head=dict(in_channels=32))
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(num_samples=8))
val_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(num_samples={num_val}))
val_evaluator = [
    dict(type='AccMetric'),
    dict(type='DumpResults', out_file_path={dump!r})
]
train_cfg = dict(max_epochs=1, val_interval=1)
default_hooks = dict(logger=dict(interval=1))
custom_hooks = [
    dict(type='IterSeedHook'), dict(type='WeightSyncCheckHook', interval=1),
    dict(type='RetainFreedMemoryHook')
]
'''


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def dist_train(config, work_dir, *extra):
    env = dict(os.environ, PORT=str(free_port()), OMP_NUM_THREADS='1')
    cmd = [
        'bash',
        osp.join(REPO, 'tools', 'dist_train.sh'), config,
        str(NPROC), '--work-dir',
        str(work_dir), *extra, '--cfg-options',
        'env_cfg.dist_cfg.backend=gloo'
    ]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=400)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    return log


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    root = tmp_path_factory.mktemp('dist')
    config = root / 'pretrain.py'
    config.write_text(PRETRAIN.format(base=DEMO))
    work_dir = root / 'pretrain'
    log = dist_train(str(config), work_dir, '--auto-scale-lr')
    return root, work_dir, log


def test_teacher_identical_on_all_ranks_every_iteration(pretrained):
    _, work_dir, log = pretrained
    # 12 samples, 2 per rank and step: 3 iterations per epoch, 2 epochs
    checked = [int(i) for i in re.findall(
        r'weights identical on 2 ranks at iteration (\d+)', log)]
    assert checked == list(range(1, 7))
    assert 'differ between ranks' not in log
    ckpt = torch.load(osp.join(work_dir, 'epoch_2.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 6
    teacher = {k[len('teacher.'):]: v for k, v in ckpt['state_dict'].items()
               if k.startswith('teacher.')}
    assert teacher and any(
        not torch.equal(v, ckpt['state_dict']['backbone.' + k])
        for k, v in teacher.items())


def test_global_batch_scales_learning_rate(pretrained):
    _, work_dir, _ = pretrained
    ckpt = torch.load(osp.join(work_dir, 'epoch_2.pth'), map_location='cpu')
    # the demo's lr is for a global batch of auto_scale_lr.base_batch_size
    # (16); this run has 2 processes x 2 = 4, so --auto-scale-lr scales it
    # by 4 / 16
    demo = Config.fromfile(DEMO)
    scaled = demo.optim_wrapper.optimizer.lr * NPROC * 2 / \
        demo.auto_scale_lr.base_batch_size
    initial = [g['initial_lr'] for g in ckpt['optimizer']['param_groups']]
    assert initial == pytest.approx([scaled] * len(initial))
    assert scaled < demo.optim_wrapper.optimizer.lr


def test_downstream_validation_gathers_all_ranks(pretrained):
    root, work_dir, _ = pretrained
    dump = str(root / 'val_predictions.pkl')
    config = root / 'finetune.py'
    config.write_text(DOWNSTREAM.format(
        base=FINETUNE, checkpoint=str(work_dir / 'epoch_2.pth'),
        num_val=NUM_VAL, dump=dump))
    log = dist_train(str(config), root / 'finetune')
    assert 'weights identical on 2 ranks at iteration 2' in log
    with open(dump, 'rb') as f:
        predictions = pickle.load(f)
    names = [p['frame_dir'] for p in predictions]
    # every validation sample once, none padded in or lost
    assert len(names) == NUM_VAL == len(set(names))
    assert all(n.startswith('val_') for n in names)
    acc = float(re.findall(r'acc/top1: ([0-9.]+)', log)[-1])
    hits = sum(int(p['pred_score'].argmax()) == int(p['gt_label'])
               for p in predictions)
    assert acc == pytest.approx(hits / NUM_VAL, abs=1e-4)
