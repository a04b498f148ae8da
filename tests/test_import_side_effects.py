"""Importing ``mmskel2vec`` changes nothing for MMAction2's own configs.

MMAction2's ST-GCN config (``mmaction::skeleton/stgcn/...ntu60-xsub-
keypoint-3d.py``, from the mmaction2 wheel) trains for one epoch on a tiny
NTU-shaped annotation file, in two fresh interpreters: one with only the
documented compat fixes (``mmskel2vec/compat.py`` loaded from its path, which
the pinned stack needs to import MMAction2's models at all), one with
``import mmskel2vec``. The backbone starts from a *partial* checkpoint through
MMEngine's ``Pretrained`` (a strict override would refuse it). Both runs must
give the same losses and bit-identical final weights.
"""
import json
import os
import os.path as osp
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

STGCN_CONFIG = ('skeleton/stgcn/'
                'stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py')

SCRIPT = textwrap.dedent('''
    import hashlib, importlib.util, json, os.path as osp, sys
    mode, root, compat_path = sys.argv[1:4]
    if mode == 'package':
        import mmskel2vec  # noqa: F401
    else:
        spec = importlib.util.spec_from_file_location('compat_only',
                                                      compat_path)
        compat = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(compat)
        compat.apply_compat_fixes()
    import mmaction
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(osp.join(osp.dirname(mmaction.__file__), '.mim',
                                   'configs', sys.argv[4]))
    cfg.work_dir = osp.join(root, mode)
    cfg.model.backbone.init_cfg = dict(
        type='Pretrained', checkpoint=osp.join(root, 'partial.pth'))
    cfg.train_dataloader.update(batch_size=2, num_workers=0,
                                persistent_workers=False)
    ds = cfg.train_dataloader.dataset
    ds = ds.dataset if 'dataset' in ds else ds  # RepeatDataset
    ds.update(ann_file=osp.join(root, 'ann.pkl'), split='xsub_train')
    cfg.train_dataloader.dataset = ds
    for key in ('val', 'test'):
        cfg[key + '_dataloader'] = None
        cfg[key + '_evaluator'] = None
        cfg[key + '_cfg'] = None
    cfg.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1)
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=0)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    losses = []

    from mmengine.hooks import Hook

    class Record(Hook):
        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            losses.append(float(outputs['loss']))

    runner.register_hook(Record())
    runner.train()
    digest = hashlib.sha256()
    for key, value in sorted(runner.model.state_dict().items()):
        digest.update(key.encode())
        digest.update(value.detach().cpu().numpy().tobytes())
    print(json.dumps(dict(losses=losses, weights=digest.hexdigest())))
''')


def ntu_sample(rng, name, label):
    frames = 40
    return dict(frame_dir=name, label=label, total_frames=frames,
                img_shape=(1080, 1920), original_shape=(1080, 1920),
                keypoint=rng.normal(size=(1, frames, 25, 3)).astype(
                    np.float32))


@pytest.fixture
def stgcn_run_dir(tmp_path):
    """Annotation file and a partial ST-GCN checkpoint for the config."""
    import mmaction
    from mmengine.config import Config

    from mmaction.registry import MODELS
    path = osp.join(osp.dirname(mmaction.__file__), '.mim', 'configs',
                    STGCN_CONFIG)
    if not osp.exists(path):
        pytest.skip(f'the mmaction2 wheel has no {STGCN_CONFIG}')
    rng = np.random.default_rng(0)
    samples = [ntu_sample(rng, f'S001C001P00{i}R001A00{i % 2 + 1}', i % 2)
               for i in range(4)]
    with open(tmp_path / 'ann.pkl', 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=[s['frame_dir']
                                                for s in samples]),
                         annotations=samples), f)
    backbone = MODELS.build(Config.fromfile(path).model.backbone)
    state = backbone.state_dict()
    kept = sorted(state)[:len(state) // 2]
    torch.save(dict(state_dict={k: state[k] + 0.5 for k in kept}),
               tmp_path / 'partial.pth')
    return tmp_path


def train(mode, root, repo_root):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    proc = subprocess.run(
        [sys.executable, '-c', SCRIPT, mode, str(root),
         osp.join(repo_root, 'mmskel2vec', 'compat.py'), STGCN_CONFIG],
        cwd=str(root), env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f'{mode}: {proc.stderr[-3000:]}'
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_mmaction_stgcn_config_unchanged_by_import(stgcn_run_dir, repo_root):
    compat_only = train('compat', stgcn_run_dir, repo_root)
    package = train('package', stgcn_run_dir, repo_root)
    assert len(compat_only['losses']) == 2
    assert package == compat_only
