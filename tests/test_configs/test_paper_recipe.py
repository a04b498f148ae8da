"""The paper-scale configs follow the authors' final recipe."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.dataset import Compose

from mmaction.registry import MODELS
from mmskel2vec.datasets.synthetic_dataset import generate_synthetic_skeletons

from repo_paths import REPO_ROOT

PAPER = sorted(glob.glob(osp.join(
    REPO_ROOT, 'configs', 'skeleton2vec',
    'skeleton2vec_stt-8x256_2xb64-800e_*-keypoint-3d.py')))
BENCH = osp.join(REPO_ROOT, 'configs', 'skeleton2vec', 'benchmarks')


def test_six_splits():
    names = {osp.basename(p).split('_')[-1] for p in PAPER}
    assert names == {f'{ds}-keypoint-3d.py' for ds in (
        'ntu60-xsub', 'ntu60-xview', 'ntu120-xsub', 'ntu120-xset',
        'pku1-xsub', 'pku2-xsub')}


@pytest.mark.parametrize('path', PAPER, ids=[osp.basename(p) for p in PAPER])
def test_recipe_values(path):
    cfg = Config.fromfile(path)
    backbone, head = cfg.model.backbone, cfg.model.head
    assert (backbone.depth, backbone.embed_dims, backbone.num_heads) == (
        8, 256, 8)
    assert (backbone.clip_len, backbone.t_patch) == (90, 3)
    assert backbone.layer_scale_init == head.layer_scale_init == 1e-4
    assert backbone.drop_path_rate == 0.0
    assert (head.depth, head.embed_dims, head.num_tokens_t) == (3, 256, 30)
    assert cfg.model.target_generator.top_k == 8
    assert cfg.model.target_generator.layer_norm == 'instance'
    pipeline = cfg.train_dataloader.dataset.pipeline
    sample = [t for t in pipeline if t['type'] == 'UniformSampleFrames']
    assert sample and sample[0]['clip_len'] == 90
    assert not any(t['type'] == 'RandomTemporalCropResize' for t in pipeline)
    (mask, ) = [t for t in pipeline if t['type'] == 'MotionAwareTubeMasking']
    beta = 0.2 if 'ntu120' in path else 0.1
    assert mask == dict(type='MotionAwareTubeMasking', t_patch=3, tube_len=5,
                        mask_ratio=0.9, prior='additive', beta=beta,
                        count='keep')
    optim = cfg.optim_wrapper
    assert optim.optimizer.lr == 1e-3
    assert optim.optimizer.betas == (0.9, 0.95)
    assert optim.optimizer.weight_decay == 0.05
    assert optim.clip_grad.max_norm == 4.0
    assert cfg.train_cfg.max_epochs == 800
    assert cfg.param_scheduler[1].eta_min == 1e-5
    assert cfg.param_scheduler[0].end == 20
    (ema, ) = [h for h in cfg.custom_hooks if h.type == 'EMATeacherHook']
    assert (ema.momentum, ema.end_momentum) == (0.9999, 1.0)
    assert ema.anneal_iters is None
    assert cfg.train_dataloader.batch_size * 2 == \
        cfg.auto_scale_lr.base_batch_size


@pytest.mark.parametrize('path', PAPER[:2], ids=[osp.basename(p)
                                                 for p in PAPER[:2]])
def test_pipeline_and_loss_on_ntu_shaped_samples(path):
    cfg = Config.fromfile(path)
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    packed = [pipeline(dict(a)) for a in generate_synthetic_skeletons(2)]
    mask = packed[0]['data_samples'].mask
    assert packed[0]['inputs'].shape == (1, 2, 90, 25, 3)
    assert mask.shape == (1, 2, 30, 25) and (mask.sum(-1) == 23).all()
    cfg.model.backbone.depth = 2
    cfg.model.head.depth = 1
    cfg.model.target_generator.top_k = 2
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.teacher_updater = 'test'
    data = model.data_preprocessor(
        dict(inputs=[p['inputs'] for p in packed],
             data_samples=[p['data_samples'] for p in packed]), True)
    losses = model(**data, mode='loss')
    assert losses['loss'].isfinite()


def test_downstream_backbones_load_the_pretrained_teacher():
    teacher = MODELS.build(Config.fromfile(PAPER[0]).model).teacher
    expected = {k: v.shape for k, v in teacher.state_dict().items()}
    configs = glob.glob(osp.join(BENCH, '*_stt-8x256_*.py'))
    assert len(configs) >= 20
    for path in configs:
        cfg = Config.fromfile(path)
        assert cfg.model.backbone.init_cfg.prefix == 'teacher.', path
        backbone_cfg = dict(cfg.model.backbone)
        backbone_cfg.pop('init_cfg')
        backbone = MODELS.build(backbone_cfg)
        got = {k: v.shape for k, v in backbone.state_dict().items()}
        assert got == expected, path
