"""MaskedGCNEncoder: Skeleton2vec's token interface around MMAction2 GCNs."""
import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement

from mmaction.registry import MODELS
from mmskel2vec.models.backbones.masked_gcn_encoder import batch_statistics

STGCN = dict(type='STGCN', graph_cfg=dict(layout='nturgb+d',
                                          mode='stgcn_spatial'),
             base_channels=16, num_stages=4, inflate_stages=[3],
             down_stages=[2, 4])


def build(**kwargs):
    return MODELS.build(dict(type='MaskedGCNEncoder', encoder=STGCN,
                             **kwargs))


def tube_mask(batch, tokens_t, joints=25, masked=20, seed=0):
    rng = np.random.default_rng(seed)
    mask = np.zeros((batch, tokens_t, joints), dtype=bool)
    for b in range(batch):
        for t in range(tokens_t):
            mask[b, t, rng.choice(joints, masked, replace=False)] = True
    return torch.from_numpy(mask)


def test_tokens_layers_and_recognizer_mode():
    model = build()
    x = torch.randn(3, 16, 25, 3)
    mask = tube_mask(3, 4)
    visible = model.forward_tokens(x, mask)
    assert visible.shape == (3, 4 * 5, 32)  # 5 visible joints x 4 steps
    model.eval()
    tokens, layers = model.forward_tokens(x, return_layers=True)
    assert tokens.shape == (3, 4 * 25, 32)
    # the stages at the final resolution (T/4, 32 channels): the last one
    assert len(layers) == 1 and torch.allclose(layers[-1], tokens)
    out = model(torch.randn(2, 2, 16, 25, 3))
    assert out.shape == (2, 2, 32, 4, 25)


def test_masked_frames_are_replaced_by_the_mask_embedding():
    model = build()
    x = torch.randn(2, 16, 25, 3)
    mask = tube_mask(2, 4)
    masked = model.mask_input(x, mask)
    frame_mask = mask.repeat_interleave(4, dim=1)
    assert torch.equal(masked[frame_mask],
                       model.mask_token.expand(int(frame_mask.sum()), 3))
    assert torch.equal(masked[~frame_mask], x[~frame_mask])


def test_target_pass_leaves_running_statistics_alone():
    model = build()
    model.eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with batch_statistics(model):
        assert all(m.training for m in model.modules()
                   if isinstance(m, torch.nn.BatchNorm2d))
    model.forward_tokens(torch.randn(4, 16, 25, 3) * 5, return_layers=True)
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert not any(m.training for m in model.modules())


def test_mask_on_the_wrong_grid_is_explained():
    model = build()
    with pytest.raises(ValueError, match='t_patch'):
        model.forward_tokens(torch.randn(2, 16, 25, 3), tube_mask(2, 8))


def test_skeleton2vec_pretraining_step_with_stgcn():
    model = MODELS.build(dict(
        type='Skeleton2Vec',
        backbone=dict(type='MaskedGCNEncoder', encoder=STGCN),
        head=dict(type='Skeleton2VecHead', in_channels=32, embed_dims=32,
                  depth=1, num_heads=2, num_joints=25, num_tokens_t=4),
        target_generator=dict(type='ContextualTargetGenerator', top_k=1)))
    model.init_weights()
    model.teacher_updater = 'test'
    inputs = torch.randn(2, 1, 2, 16, 25, 3)
    samples = []
    for i in range(2):
        sample = BaseDataElement(metainfo=dict(frame_dir=f's{i}'))
        sample.mask = tube_mask(2, 4, seed=i)[None].numpy()
        samples.append(sample)
    losses = model(inputs, samples, mode='loss')
    losses['loss'].backward()
    assert torch.isfinite(losses['loss'])
    assert model.backbone.mask_token.grad is not None
    assert all(p.grad is None for p in model.teacher.parameters())
