"""The noisy 45-epoch demo differs from the demo only where it says so.

Its kNN monitor must score the same noisy clips it trains on: a child
config that adds the noise to the training set but not to one of the two
kNN loaders would compare the encoders on different tasks.
"""
import os.path as osp

from mmengine import Config

NOISY = 'skeleton2vec_stt-4x128_1xb16-45e_synthetic-noisy-keypoint-3d.py'


def _hook(cfg: Config, type_: str):
    hook, = [h for h in cfg.custom_hooks if h.type == type_]
    return hook


def _knn_datasets(cfg: Config) -> list:
    monitor = _hook(cfg, 'KNNMonitorHook')
    return [monitor.train_dataloader.dataset, monitor.val_dataloader.dataset]


def _noisy_and_demo(demo_config: str) -> tuple:
    noisy = Config.fromfile(osp.join(osp.dirname(demo_config), NOISY))
    return noisy, Config.fromfile(demo_config)


def test_noisy_demo_adds_the_noise_everywhere(demo_config):
    noisy, demo = _noisy_and_demo(demo_config)
    assert noisy.variation['noise_std'] > 0
    assert noisy.train_dataloader.dataset.variation == noisy.variation
    assert [d.variation for d in _knn_datasets(noisy)] == [noisy.variation] * 2
    assert all('variation' not in d for d in _knn_datasets(demo))
    # the kNN clips are otherwise the demo's
    for ours, theirs in zip(_knn_datasets(noisy), _knn_datasets(demo)):
        assert {k: v for k, v in ours.items() if k != 'variation'} == theirs


def test_noisy_demo_stretches_the_schedule_to_its_length(demo_config):
    """Only the length, the rate and the teacher's hold change; the cosine
    ends with the run instead of at the demo's 15 epochs."""
    noisy, demo = _noisy_and_demo(demo_config)
    epochs = noisy.train_cfg.max_epochs
    assert epochs > demo.train_cfg.max_epochs
    warmup, cosine = noisy.param_scheduler
    assert warmup == demo.param_scheduler[0]
    assert cosine.end == epochs
    assert cosine.T_max == cosine.end - cosine.begin == epochs - warmup.end
    ema, demo_ema = (_hook(c, 'EMATeacherHook') for c in (noisy, demo))
    assert ema.hold_epochs < epochs
    assert {k: v for k, v in ema.items() if k != 'hold_epochs'} == \
        {k: v for k, v in demo_ema.items() if k != 'hold_epochs'}
    assert noisy.model == demo.model
    assert noisy.train_dataloader.dataset.pipeline == \
        demo.train_dataloader.dataset.pipeline
