"""KNNMonitorHook in a real (tiny) pretraining run of the demo config."""
import glob
import json
import os.path as osp

import pytest
from mmengine.runner import Runner


def tiny_cfg(tiny_demo_cfg, work_dir, epochs=2, interval=1):
    """The tiny demo on 8 clips (2 iterations an epoch), a smaller kNN."""
    cfg = tiny_demo_cfg(work_dir, {
        'train_dataloader.dataset.num_samples': 8,
        'train_cfg.max_epochs': epochs
    }, name='knn')
    (knn, ) = [h for h in cfg.custom_hooks if h.type == 'KNNMonitorHook']
    knn.interval = interval
    knn.train_dataloader.dataset.num_samples = 24
    knn.val_dataloader.dataset.num_samples = 16
    return cfg


def scalars(work_dir):
    (path, ) = [osp.join(r, 'vis_data', 'scalars.json') for r in
                glob.glob(osp.join(str(work_dir), '2*'))]
    with open(path) as f:
        return [json.loads(line) for line in f]


def test_scores_before_training_every_interval_and_at_the_end(
        tiny_demo_cfg, tmp_path):
    runner = Runner.from_cfg(
        tiny_cfg(tiny_demo_cfg, tmp_path, epochs=3, interval=2))
    runner.train()
    rows = [r for r in scalars(tmp_path) if 'knn/teacher_top1' in r]
    # epoch 0 (random encoders), epoch 2 (interval), epoch 3 (last)
    assert [r['epoch'] for r in rows] == [0, 2, 3]
    assert [r['step'] for r in rows] == [0, 4, 6]
    for r in rows:
        for key in ('knn/teacher_top1', 'knn/student_top1'):
            assert 0.0 <= r[key] <= 100.0
        assert 0.0 <= r['knn/position_share'] <= 1.0
    # identical encoders at iteration 0 score alike; the student moved since
    assert rows[0]['knn/teacher_top1'] == rows[0]['knn/student_top1']
    # the model is back in training mode (teacher always in eval)
    model = runner.model
    assert model.training and model.backbone.training
    assert not model.teacher.training


def test_missing_encoder_is_a_clear_error(tiny_demo_cfg, tmp_path):
    cfg = tiny_cfg(tiny_demo_cfg, tmp_path, epochs=1)
    (knn, ) = [h for h in cfg.custom_hooks if h.type == 'KNNMonitorHook']
    knn.encoders = dict(ema='ema_teacher')
    runner = Runner.from_cfg(cfg)
    with pytest.raises(AttributeError, match="no encoder 'ema_teacher'"):
        runner.train()


def test_bad_arguments():
    from mmskel2vec.engine.hooks import KNNMonitorHook
    with pytest.raises(ValueError):
        KNNMonitorHook(dict(), dict(), interval=0)
    with pytest.raises(ValueError):
        KNNMonitorHook(dict(), dict(), temperature=0)
