"""The noisy 45-epoch demo differs from the demo only where it says so.

Its kNN monitor must score the same noisy clips it trains on: a child
config that adds the noise to the training set but not to one of the two
kNN loaders would compare the encoders on different tasks.
"""
import os.path as osp

from mmengine import Config

NOISY = 'skeleton2vec_stt-4x128_1xb16-45e_synthetic-noisy-keypoint-3d.py'


def _knn_datasets(cfg: Config) -> list:
    monitor, = [h for h in cfg.custom_hooks if h.type == 'KNNMonitorHook']
    return [monitor.train_dataloader.dataset, monitor.val_dataloader.dataset]


def test_noisy_demo_adds_the_noise_everywhere(demo_config):
    demo = Config.fromfile(demo_config)
    noisy = Config.fromfile(osp.join(osp.dirname(demo_config), NOISY))
    noise = dict(noise_std=0.03)
    assert noisy.train_dataloader.dataset.variation == noise
    assert [d.variation for d in _knn_datasets(noisy)] == [noise, noise]
    assert all('variation' not in d for d in _knn_datasets(demo))
    # the kNN clips are otherwise the demo's
    for ours, theirs in zip(_knn_datasets(noisy), _knn_datasets(demo)):
        assert {k: v for k, v in ours.items() if k != 'variation'} == theirs


def test_noisy_demo_changes_only_schedule_and_teacher(demo_config):
    demo = Config.fromfile(demo_config)
    noisy = Config.fromfile(osp.join(osp.dirname(demo_config), NOISY))
    assert noisy.model == demo.model
    assert noisy.train_cfg.max_epochs == 45
    assert noisy.optim_wrapper.optimizer.lr == 2.5e-4
    cosine = noisy.param_scheduler[-1]
    assert (cosine.end, cosine.T_max) == (45, 45 - demo.warmup_epochs)
    assert noisy.param_scheduler[0] == demo.param_scheduler[0]
    ema, = [h for h in noisy.custom_hooks if h.type == 'EMATeacherHook']
    assert (ema.hold_epochs, ema.hold_momentum) == (15, 0.996)
    assert (ema.momentum, ema.end_momentum) == (0.97, 1.0)
    demo_pipeline = demo.train_dataloader.dataset.pipeline
    assert noisy.train_dataloader.dataset.pipeline == demo_pipeline
