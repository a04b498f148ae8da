import numpy as np
import pytest
import torch

from mmaction.registry import MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample


def tiny_model(**kwargs):
    cfg = dict(
        type='Skeleton2Vec',
        backbone=dict(type='SkeletonTransformer', clip_len=16, t_patch=4,
                      embed_dims=32, depth=3, num_heads=4),
        head=dict(type='Skeleton2VecHead', in_channels=32, embed_dims=16,
                  depth=1, num_heads=2, num_tokens_t=4),
        target_generator=dict(type='ContextualTargetGenerator', top_k=2))
    cfg.update(kwargs)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def make_batch(num=2, persons=2, views=1, empty_second=False, seed=0):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.normal(scale=0.05, size=(num, 1, persons, 16, 25, 3)),
                  axis=3).astype(np.float32) + 1
    if empty_second:
        x[:, :, 1:] = 0
    masking = TRANSFORMS.build(dict(type='MotionAwareTubeMasking', t_patch=4,
                                    tube_len=2, num_views=views))
    np.random.seed(seed)
    samples = []
    for i in range(num):
        sample = ActionDataSample()
        sample.set_metainfo({'frame_dir': f's{i}'})
        sample.set_field(masking.transform({'keypoint': x[i]})['mask'],
                         'mask')
        samples.append(sample)
    return torch.from_numpy(x), samples


def test_loss_mode_and_no_gradient_reaches_teacher():
    model = tiny_model()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss', 'target_std'}
    assert torch.isfinite(losses['loss']) and losses['loss'] > 0
    losses['loss'].backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert all(not p.requires_grad for p in model.teacher.parameters())
    assert model.backbone.patch_embed.weight.grad is not None
    assert model.head.mask_token.grad is not None


def test_tensor_mode_gives_student_features():
    model = tiny_model()
    inputs, _ = make_batch()
    assert model(inputs, mode='tensor').shape == (2, 2, 32, 4, 25)
    with pytest.raises(RuntimeError, match='predict'):
        model(inputs, mode='predict')


def test_teacher_starts_as_copy_and_stays_in_eval():
    model = tiny_model()
    for (n, t), s in zip(model.teacher.state_dict().items(),
                         model.backbone.state_dict().values()):
        torch.testing.assert_close(t, s, msg=n)
    model.train()
    assert model.backbone.training and not model.teacher.training


def test_targets_match_manual_computation():
    model = tiny_model().eval()
    inputs, samples = make_batch(num=1)
    skeletons = inputs[:, 0].flatten(0, 1)
    mask = torch.from_numpy(samples[0].mask[0])
    _, layers = model.teacher.forward_tokens(skeletons, return_layers=True)
    target = model.target_generator.combine(layers).flatten(0, 1)[
        mask.reshape(-1)]
    latent = model.backbone.forward_tokens(skeletons, mask)
    expected = model.head.loss(model.head(latent, mask), target)
    torch.testing.assert_close(
        model(inputs, samples, mode='loss')['loss'], expected)


def test_several_views_share_one_teacher_pass():
    model = tiny_model()
    calls = []
    inputs, samples = make_batch(views=3)
    original = model.teacher.forward_tokens

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    model.teacher.forward_tokens = counting
    losses = model(inputs, samples, mode='loss')
    assert torch.isfinite(losses['loss']) and len(calls) == 1


def test_empty_persons_are_left_out():
    model = tiny_model()
    inputs, samples = make_batch(empty_second=True)
    seen = []
    original = model.backbone.forward_tokens
    model.backbone.forward_tokens = lambda x, m: (seen.append(x.shape[0]),
                                                  original(x, m))[1]
    model(inputs, samples, mode='loss')
    assert seen == [2]  # 2 samples x 1 non-empty person


def test_bad_inputs_name_the_sample():
    model = tiny_model()
    inputs, samples = make_batch()
    inputs[1, 0, 0, 3, 4, 0] = float('nan')
    with pytest.raises(ValueError, match="s1"):
        model(inputs, samples, mode='loss')
    inputs, samples = make_batch()
    del samples[0].mask
    with pytest.raises(ValueError, match='MotionAwareTubeMasking'):
        model(inputs, samples, mode='loss')
    _, samples = make_batch(num=1)
    with pytest.raises(ValueError, match='20 joints'):
        model(torch.randn(1, 1, 2, 16, 20, 3), samples, mode='loss')
