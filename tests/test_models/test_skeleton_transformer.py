import pytest
import torch

from mmaction.registry import MODELS


def tiny_backbone(**kwargs):
    cfg = dict(type='SkeletonTransformer', num_joints=25, clip_len=16,
               t_patch=4, embed_dims=32, depth=3, num_heads=4)
    cfg.update(kwargs)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def test_recognizer_mode_shape():
    model = tiny_backbone()
    out = model(torch.randn(2, 2, 16, 25, 3))
    assert out.shape == (2, 2, 32, 4, 25)


def test_paper_grid_is_30_by_25():
    model = MODELS.build(dict(type='SkeletonTransformer', depth=1))
    out = model(torch.randn(1, 1, 120, 25, 3))
    assert out.shape == (1, 1, 256, 30, 25)


def test_masked_mode_encodes_only_visible_tokens():
    model = tiny_backbone().eval()
    x = torch.randn(3, 16, 25, 3)
    mask = torch.zeros(3, 4, 25, dtype=torch.bool)
    mask[:, :, :20] = True
    out, layers = model.forward_tokens(x, mask, return_layers=True)
    assert out.shape == (3, 4 * 5, 32)
    assert len(layers) == 3 and layers[0].shape == (3, 20, 32)
    # visible tokens do not see masked ones: changing masked joints'
    # coordinates leaves the output unchanged
    x2 = x.clone()
    x2[:, :, :20] += 5.0
    torch.testing.assert_close(model.forward_tokens(x2, mask), out)


def test_full_mode_returns_every_block():
    model = tiny_backbone().eval()
    out, layers = model.forward_tokens(torch.randn(2, 16, 25, 3),
                                       return_layers=True)
    assert out.shape == (2, 100, 32)
    assert [tuple(t.shape) for t in layers] == [(2, 100, 32)] * 3


def test_other_clip_length_interpolates_time_embedding():
    model = tiny_backbone()
    assert model(torch.randn(1, 1, 24, 25, 3)).shape == (1, 1, 32, 6, 25)


def test_layer_scale_and_drop_path_build():
    model = tiny_backbone(layer_scale_init=1e-4, drop_path_rate=0.1)
    model.train()
    assert model(torch.randn(1, 2, 16, 25, 3)).shape == (1, 2, 32, 4, 25)


@pytest.mark.parametrize('shape, message', [
    ((1, 16, 20, 3), '20 joints'),
    ((1, 18, 25, 3), 'multiple of t_patch'),
    ((1, 16, 25, 2), '2 coordinates'),
])
def test_bad_shapes_are_explained(shape, message):
    with pytest.raises(ValueError, match=message):
        tiny_backbone().forward_tokens(torch.randn(*shape))


def test_drops_into_recognizer_gcn_with_gcn_head():
    recognizer = MODELS.build(
        dict(type='RecognizerGCN',
             backbone=dict(type='SkeletonTransformer', clip_len=16,
                           embed_dims=32, depth=2, num_heads=4),
             cls_head=dict(type='GCNHead', num_classes=5, in_channels=32)))
    from mmaction.structures import ActionDataSample
    samples = [ActionDataSample().set_gt_label(i % 5) for i in range(2)]
    losses = recognizer(torch.randn(2, 1, 2, 16, 25, 3), samples,
                        mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    preds = recognizer(torch.randn(2, 3, 2, 16, 25, 3), samples,
                       mode='predict')  # multi-clip test
    assert preds[0].pred_score.shape == (5, )
