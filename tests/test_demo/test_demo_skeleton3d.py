"""demo/demo_skeleton3d.py on the synthetic data and on an MSR text file."""
import importlib.util
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmaction.apis import inference_recognizer, init_recognizer
from mmaction.registry import MODELS
from mmskel2vec.datasets.synthetic_dataset import (
    SYNTHETIC_CLASSES, generate_synthetic_skeletons)

BENCH = osp.join('configs', 'skeleton2vec', 'benchmarks')
SYNTHETIC_FT = osp.join(
    BENCH,
    'skeleton2vec-finetune_stt-4x128_1xb16-30e_synthetic-keypoint-3d.py')
MSR_FT = osp.join(
    BENCH, 'skeleton2vec-finetune_stt-4x128_1xb16-30e_'
    'msr-action3d-xsub-keypoint-3d.py')


@pytest.fixture(scope='module')
def demo(repo_root):
    spec = importlib.util.spec_from_file_location(
        'demo_skeleton3d', osp.join(repo_root, 'demo', 'demo_skeleton3d.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recognizer_checkpoint(repo_root, config, path):
    """A (randomly initialised) recognizer checkpoint of ``config``."""
    cfg = Config.fromfile(osp.join(repo_root, config))
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return str(path)


@pytest.fixture(scope='module')
def synthetic(repo_root, tmp_path_factory):
    root = tmp_path_factory.mktemp('demo')
    samples = generate_synthetic_skeletons(3, seed=1)
    ann = root / 'synthetic.pkl'
    with open(ann, 'wb') as f:
        pickle.dump(dict(split=dict(test=[s['frame_dir'] for s in samples]),
                         annotations=samples), f)
    ckpt = recognizer_checkpoint(repo_root, SYNTHETIC_FT, root / 'ft.pth')
    return root, str(ann), ckpt, samples


def test_mmaction_inference_api_on_a_raw_sample(repo_root, synthetic):
    _, _, ckpt, samples = synthetic
    model = init_recognizer(osp.join(repo_root, SYNTHETIC_FT), ckpt,
                            device='cpu')
    raw = {k: v for k, v in samples[0].items() if k != 'label'}
    result = inference_recognizer(model, raw)
    assert result.pred_score.shape == (8, )
    assert float(result.pred_score.sum()) == pytest.approx(1.0, abs=1e-4)


def test_top5_with_names_and_animation(repo_root, synthetic, demo, capsys,
                                       monkeypatch):
    from PIL import Image
    root, ann, ckpt, samples = synthetic
    monkeypatch.chdir(repo_root)
    out = root / 'clip.gif'
    ranked = demo.main([SYNTHETIC_FT, ckpt, ann, '--index', '1',
                        '--out', str(out), '--device', 'cpu'])
    assert len(ranked) == 5
    assert all(name in SYNTHETIC_CLASSES for _, name, _ in ranked)
    scores = [score for _, _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    printed = capsys.readouterr().out
    persons = samples[1]['keypoint'].shape[0]
    assert f'{samples[1]["frame_dir"]}: {persons} person(s)' in printed
    assert f'1. {ranked[0][1]} (label {ranked[0][0]})' in printed
    with Image.open(out) as gif:
        assert gif.n_frames == samples[1]['keypoint'].shape[1]


def test_mask_animation_of_the_pretraining_config(repo_root, synthetic,
                                                  demo, demo_config,
                                                  monkeypatch):
    from PIL import Image
    root, ann, ckpt, _ = synthetic
    monkeypatch.chdir(repo_root)
    out = root / 'mask.gif'
    demo.main([SYNTHETIC_FT, ckpt, ann, '--frame-dir',
               generate_synthetic_skeletons(3, seed=1)[2]['frame_dir'],
               '--mask', demo_config, '--out', str(out), '--device', 'cpu'])
    cfg, keypoint, masked, t_patch = demo.masked_view(
        demo_config, dict(generate_synthetic_skeletons(3, seed=1)[2]), 0)
    assert t_patch == 4 and masked.shape == keypoint.shape[:3]
    # inside a token row every frame masks the same joints
    assert (masked[:, ::t_patch] == masked[:, 1::t_patch]).all()
    with Image.open(out) as gif:
        assert gif.n_frames == keypoint.shape[1]


def test_msr_text_file(repo_root, tmp_path, demo, monkeypatch):
    monkeypatch.chdir(repo_root)
    rng = np.random.default_rng(0)
    frames = rng.normal(size=(12, 20, 4)).round(4)
    path = tmp_path / 'a05_s02_e01_skeleton3D.txt'
    path.write_text('\n'.join(' '.join(str(v) for v in joint)
                              for frame in frames for joint in frame))
    ckpt = recognizer_checkpoint(repo_root, MSR_FT, tmp_path / 'msr.pth')
    labels = tmp_path / 'labels.txt'
    labels.write_text('\n'.join(f'action {i}' for i in range(20)))
    ranked = demo.main([MSR_FT, ckpt, str(path), '--label-map',
                        str(labels), '--top-k', '3', '--device', 'cpu'])
    assert [name for _, name, _ in ranked] == [
        f'action {label}' for label, _, _ in ranked]
    assert len(ranked) == 3
