"""The demo and its 45-epoch relative change their bases where they say so.

The kNN monitor and the downstream probes must score the same noisy clips
the demo trains on: a config that adds the noise to the training set but
not to a kNN loader or a probe's split would compare the encoders on
different tasks.
"""
import os.path as osp

from mmengine import Config

from repo_paths import REPO_ROOT

DATASET_BASES = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets')
SYNTHETIC_BASE = osp.join(DATASET_BASES, 'synthetic_3d.py')
NOISY_BASE = osp.join(DATASET_BASES, 'synthetic_noisy_3d.py')
BENCHMARKS = osp.join(REPO_ROOT, 'configs', 'skeleton2vec', 'benchmarks')
# the demo encoder's downstream configs (the semi ones wrap the fine-tuning
# config's training set)
PROBES = [f'skeleton2vec-{protocol}_stt-4x128_{run}_synthetic-keypoint-3d.py'
          for protocol, run in (('linear', '1xb32-30e'),
                                ('finetune', '1xb16-30e'),
                                ('semi10pct', '1xb16-30e'),
                                ('semi1pct', '1xb16-30e'))]
MODEL_BASE = osp.join(REPO_ROOT, 'configs', '_base_', 'models',
                      'skeleton2vec_stt-4x128.py')
LONG = 'skeleton2vec_stt-4x128_1xb16-45e_synthetic-noisy-keypoint-3d.py'
MASKING = 'MotionAwareTubeMasking'


def _hook(cfg: Config, type_: str):
    hook, = [h for h in cfg.custom_hooks if h.type == type_]
    return hook


def _knn_datasets(monitor: dict) -> list:
    return [monitor.train_dataloader.dataset, monitor.val_dataloader.dataset]


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}


def _loader_datasets(cfg: Config) -> list:
    """The datasets of every loader a dataset base defines."""
    return [cfg[f'{split}_dataloader'].dataset
            for split in ('train', 'val', 'test')] + _knn_datasets(
                cfg.knn_monitor)


def test_noisy_base_adds_the_noise_everywhere():
    noisy, clean = (Config.fromfile(p) for p in (NOISY_BASE, SYNTHETIC_BASE))
    assert noisy.variation['noise_std'] > 0
    for ours, theirs in zip(_loader_datasets(noisy), _loader_datasets(clean)):
        assert ours.variation == noisy.variation
        assert 'variation' not in theirs
        assert _without(ours, 'variation') == theirs
    loaders = ('train_dataloader', 'val_dataloader')
    assert {k: v for k, v in noisy.knn_monitor.items() if k not in loaders} \
        == {k: v for k, v in clean.knn_monitor.items() if k not in loaders}


def test_demo_and_its_probes_see_the_same_noisy_clips(demo_config):
    noise = Config.fromfile(NOISY_BASE).variation
    demo = Config.fromfile(demo_config)
    assert demo.train_dataloader.dataset.variation == noise
    knn = _knn_datasets(_hook(demo, 'KNNMonitorHook'))
    assert [d.variation for d in knn] == [noise] * 2
    for name in PROBES:
        probe = Config.fromfile(osp.join(BENCHMARKS, name))
        for split in ('train', 'val', 'test'):
            dataset = probe[f'{split}_dataloader'].dataset
            dataset = dataset.get('dataset', dataset)  # a semi wrapper
            assert dataset.variation == noise, (name, split)


def test_demo_masks_as_the_dataset_base(demo_config):
    demo, base = Config.fromfile(demo_config), Config.fromfile(SYNTHETIC_BASE)
    assert demo.train_dataloader.dataset.pipeline == base.pretrain_pipeline
    assert MASKING in [step.type for step in base.pretrain_pipeline]


def test_demo_narrows_only_the_decoder(demo_config):
    demo, base = Config.fromfile(demo_config), Config.fromfile(MODEL_BASE)
    assert demo.model.head.embed_dims < base.model.head.embed_dims
    assert demo.model == dict(base.model, head=dict(
        base.model.head, embed_dims=demo.model.head.embed_dims))


def test_long_run_is_the_demo_with_the_base_decoder(demo_config):
    """The 45-epoch config changes the demo's decoder back to the model
    base's, its length (the cosine ends with the run), its teacher (the
    schedule base's, its hold shorter than the run) and how often the kNN
    monitor runs; nothing else."""
    long = Config.fromfile(osp.join(osp.dirname(demo_config), LONG))
    demo = Config.fromfile(demo_config)
    assert long.train_dataloader == demo.train_dataloader
    epochs = long.train_cfg.max_epochs
    assert epochs > demo.train_cfg.max_epochs
    warmup, cosine = long.param_scheduler
    assert warmup == demo.param_scheduler[0]
    assert cosine.end == epochs
    assert cosine.T_max == cosine.end - cosine.begin == epochs - warmup.end
    ema = _hook(long, 'EMATeacherHook')
    assert 0 < ema.hold_epochs < epochs
    assert _without(ema, 'hold_epochs') == _without(demo.ema_hook,
                                                    'hold_epochs')
    monitor, demo_monitor = (_hook(c, 'KNNMonitorHook') for c in (long, demo))
    assert monitor.interval < epochs
    assert _without(monitor, 'interval') == _without(demo_monitor,
                                                     'interval')
    others = ('EMATeacherHook', 'KNNMonitorHook')
    assert [h for h in long.custom_hooks if h.type not in others] == \
        [h for h in demo.custom_hooks if h.type not in others]
    assert long.model == Config.fromfile(MODEL_BASE).model
    for key in ('optim_wrapper', 'randomness'):
        assert long[key] == demo[key], key
