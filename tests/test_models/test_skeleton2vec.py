import numpy as np
import pytest
import torch

from mmaction.registry import MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample


def tiny_model(updater='test', **kwargs):
    """A small Skeleton2Vec; ``updater`` declares who updates its teacher."""
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
    model.teacher_updater = updater
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


def grads_after_train_step(model, inputs, samples, optim_type='OptimWrapper',
                           **wrapper_kwargs):
    """Gradients left by one ``train_step`` (the optimizer has lr 0)."""
    from mmengine.optim import build_optim_wrapper
    wrapper = build_optim_wrapper(
        model, dict(type=optim_type, optimizer=dict(type='SGD', lr=0.0),
                    **wrapper_kwargs))
    # keep the gradients: no zero_grad after the (lr 0) step
    wrapper.zero_grad = lambda **kwargs: None
    batch = dict(inputs=list(inputs), data_samples=samples)
    log_vars = model.train_step(batch, wrapper)
    grads = {n: p.grad.clone() for n, p in model.named_parameters()
             if p.grad is not None}
    return grads, log_vars


def grads_after_accumulation(model, inputs, samples, parts):
    """Gradients left by ``parts`` train steps under MMEngine accumulation."""
    from mmengine.optim import build_optim_wrapper
    wrapper = build_optim_wrapper(
        model, dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.0),
                    accumulative_counts=parts))
    wrapper.initialize_count_status(model, 0, parts)
    wrapper.zero_grad = lambda **kwargs: None
    size = inputs.shape[0] // parts
    stepped = []
    for i in range(parts):
        part = slice(i * size, (i + 1) * size)
        model.train_step(dict(inputs=list(inputs[part]),
                              data_samples=samples[part]), wrapper)
        stepped.append(wrapper.should_update())
    grads = {n: p.grad.clone() for n, p in model.named_parameters()
             if p.grad is not None}
    return grads, stepped


def test_gradient_accumulation_gives_the_whole_batch_gradient():
    # every sample has the same number of masked tokens, so the mean of
    # the parts' losses is the whole batch's loss: the CPU-memory recipe of
    # docs/performance.md (smaller batches, accumulative_counts)
    inputs, samples = make_batch(num=4, seed=3)
    whole = tiny_model()
    parts = tiny_model()
    parts.load_state_dict(whole.state_dict())
    grads, _ = grads_after_train_step(whole, inputs, samples)
    part_grads, stepped = grads_after_accumulation(parts, inputs, samples, 2)
    assert stepped == [False, True]
    assert grads.keys() == part_grads.keys() and grads
    for name, grad in grads.items():
        torch.testing.assert_close(part_grads[name], grad, atol=1e-6,
                                   rtol=1e-4, msg=name)


def test_non_finite_loss_stops_an_accumulating_step():
    from mmskel2vec.engine.optim_wrappers.divergence_guard import \
        DivergenceError
    inputs, samples = make_batch(num=2, seed=5)
    model = tiny_model()
    model.head.regressor.bias.data[0] = float('inf')
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    from mmengine.optim import build_optim_wrapper
    wrapper = build_optim_wrapper(
        model, dict(type='DivergenceGuardOptimWrapper',
                    optimizer=dict(type='SGD', lr=0.1),
                    accumulative_counts=2))
    wrapper.initialize_count_status(model, 0, 2)
    with pytest.raises(DivergenceError):
        model.train_step(dict(inputs=list(inputs), data_samples=samples),
                         wrapper)
    for name, param in model.named_parameters():
        torch.testing.assert_close(param, before[name], msg=name)


def test_training_without_a_teacher_updater_fails_loudly():
    model = tiny_model(updater=None)
    inputs, samples = make_batch()
    with pytest.raises(RuntimeError, match='EMATeacherHook'):
        model(inputs, samples, mode='loss')
    # evaluation and gradient-free calls need no updater
    with torch.no_grad():
        model(inputs, samples, mode='loss')
    model.eval()
    model(inputs, samples, mode='loss')
    # nor do targets that do not come from the teacher
    low_level = tiny_model(
        updater=None, head=dict(type='Skeleton2VecHead', in_channels=32,
                                embed_dims=16, depth=1, num_heads=2,
                                num_tokens_t=4, target_dims=12),
        target_generator=dict(type='LowLevelTargetGenerator', kind='motion',
                              t_patch=4))
    low_level(inputs, samples, mode='loss')
