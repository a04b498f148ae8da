"""LayerDecayOptimWrapperConstructor: lr scale per depth, no-decay groups."""
import pytest

from mmaction.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmskel2vec.engine.optimizers import count_layers, get_layer_depth


def recognizer(frozen=False):
    return MODELS.build(dict(
        type='RecognizerGCN',
        backbone=dict(type='SkeletonTransformer', clip_len=16, embed_dims=16,
                      depth=3, num_heads=2, frozen=frozen),
        cls_head=dict(type='GCNHead', num_classes=4, in_channels=16)))


@pytest.mark.parametrize('name, depth', [
    ('backbone.patch_embed.weight', 0),
    ('backbone.pos_embed.temporal', 0),
    ('backbone.blocks.0.attn.qkv.weight', 1),
    ('backbone.blocks.2.norm2.bias', 3),
    ('backbone.norm.weight', 4),
    ('cls_head.fc.weight', 4),
    # MMAction2's ST-GCN and the MaskedGCNEncoder around it
    ('backbone.data_bn.weight', 0),
    ('backbone.gcn.1.gcn.conv.weight', 2),
    ('backbone.encoder.gcn.2.tcn.bn.bias', 3),
    ('backbone.encoder.data_bn.bias', 0),
])
def test_layer_depth(name, depth):
    assert get_layer_depth(name, num_layers=3) == depth


def test_lr_scale_and_weight_decay_per_parameter():
    model = recognizer()
    wrapper = OPTIM_WRAPPER_CONSTRUCTORS.build(dict(
        type='LayerDecayOptimWrapperConstructor',
        optim_wrapper_cfg=dict(optimizer=dict(type='AdamW', lr=1e-3,
                                              weight_decay=0.05)),
        paramwise_cfg=dict(layer_decay_rate=0.5)))(model)
    groups = wrapper.optimizer.param_groups
    assert groups[0]['lr'] == pytest.approx(1e-3)  # what MMEngine logs
    seen = {}
    for group in groups:
        for name in group['param_names']:
            seen[name] = group
    named = dict(model.named_parameters())
    assert set(seen) == set(named)
    expected_depth = {'backbone.patch_embed.weight': 0,
                      'backbone.blocks.0.mlp.0.weight': 1,
                      'backbone.blocks.2.attn.proj.weight': 3,
                      'backbone.norm.weight': 4, 'cls_head.fc.weight': 4}
    for name, depth in expected_depth.items():
        assert seen[name]['lr'] == pytest.approx(1e-3 * 0.5**(4 - depth))
    for name, group in seen.items():
        no_decay = named[name].ndim == 1 or 'pos_embed' in name
        assert group['weight_decay'] == (0.0 if no_decay else 0.05), name


def test_frozen_parameters_are_left_out():
    model = recognizer(frozen=True)
    wrapper = OPTIM_WRAPPER_CONSTRUCTORS.build(dict(
        type='LayerDecayOptimWrapperConstructor',
        optim_wrapper_cfg=dict(optimizer=dict(type='SGD', lr=0.1)),
        paramwise_cfg=dict(num_layers=3)))(model)
    names = [n for g in wrapper.optimizer.param_groups
             for n in g['param_names']]
    assert sorted(names) == ['cls_head.fc.bias', 'cls_head.fc.weight']


def test_count_layers():
    assert count_layers(['backbone.blocks.0.x', 'backbone.blocks.7.y',
                         'cls_head.fc.weight']) == 8
    with pytest.raises(ValueError, match='num_layers'):
        count_layers(['cls_head.fc.weight'])
