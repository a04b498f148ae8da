from types import SimpleNamespace

import pytest
import torch
from mmengine.optim import OptimWrapper
from torch import nn

from mmskel2vec.engine.hooks import EMATeacherHook, ema_momentum, ema_update


class Pair(nn.Module):

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
        self.teacher = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
        self.teacher.requires_grad_(False)


def test_momentum_schedule_is_linear_then_constant():
    assert ema_momentum(0, 0.9998, 0.99999, 100) == 0.9998
    assert ema_momentum(50, 0.9998, 0.99999, 100) == pytest.approx(
        (0.9998 + 0.99999) / 2)
    assert ema_momentum(100, 0.9998, 0.99999, 100) == pytest.approx(0.99999)
    assert ema_momentum(10**6, 0.9998, 0.99999, 100) == pytest.approx(
        0.99999)
    assert ema_momentum(5, 0.9, 0.99, 0) == 0.99


def test_ema_update_math_and_buffers():
    torch.manual_seed(0)
    pair = Pair()
    pair.backbone[1].running_mean.fill_(3.0)
    t0 = [p.clone() for p in pair.teacher.parameters()]
    s = [p.detach().clone() for p in pair.backbone.parameters()]
    ema_update(pair.teacher, pair.backbone, 0.9)
    for new, old, stu in zip(pair.teacher.parameters(), t0, s):
        torch.testing.assert_close(new, 0.9 * old + 0.1 * stu)
    assert (pair.teacher[1].running_mean == 3.0).all()


def fake_runner(pair, cur_iter, should_update=True, max_iters=100,
                hooks=(), iters_per_epoch=10):
    optim = SimpleNamespace(should_update=lambda: should_update)
    return SimpleNamespace(model=pair, optim_wrapper=optim, iter=cur_iter,
                           max_iters=max_iters, hooks=list(hooks),
                           train_dataloader=range(iters_per_epoch))


def test_hook_uses_iteration_momentum_and_skips_accumulation_steps():
    torch.manual_seed(0)
    pair = Pair()
    hook = EMATeacherHook(momentum=0.5, end_momentum=0.9, anneal_iters=10)
    before = [p.clone() for p in pair.teacher.parameters()]
    hook.after_train_iter(fake_runner(pair, 3, should_update=False), 0)
    for a, b in zip(pair.teacher.parameters(), before):
        torch.testing.assert_close(a, b)
    hook.after_train_iter(fake_runner(pair, 5), 0)  # m = 0.7
    for new, old, stu in zip(pair.teacher.parameters(), before,
                             pair.backbone.parameters()):
        torch.testing.assert_close(new, 0.7 * old + 0.3 * stu)


def test_hook_is_stateless_so_resume_continues_exactly():
    torch.manual_seed(0)
    a, b = Pair(), Pair()
    b.load_state_dict(a.state_dict())
    hook_a = EMATeacherHook(momentum=0.5, end_momentum=0.9, anneal_iters=4)
    for it in range(6):
        hook_a.after_train_iter(fake_runner(a, it), 0)
    hook_b1 = EMATeacherHook(momentum=0.5, end_momentum=0.9, anneal_iters=4)
    for it in range(3):
        hook_b1.after_train_iter(fake_runner(b, it), 0)
    hook_b2 = EMATeacherHook(momentum=0.5, end_momentum=0.9, anneal_iters=4)
    for it in range(3, 6):  # a fresh hook after "resume"
        hook_b2.after_train_iter(fake_runner(b, it), 0)
    for x, y in zip(a.teacher.parameters(), b.teacher.parameters()):
        torch.testing.assert_close(x, y, rtol=0, atol=0)


def test_gradient_accumulation_with_real_optim_wrapper():
    pair = Pair()
    optim = OptimWrapper(torch.optim.SGD(pair.backbone.parameters(), lr=0.1),
                         accumulative_counts=2)
    optim.initialize_count_status(pair, 0, 4)
    updates = []
    for _ in range(4):
        loss = pair.backbone(torch.randn(4, 3)).sum()
        optim.update_params(loss)
        updates.append(optim.should_update())
    assert updates == [False, True, False, True]


def test_before_train_checks_layout():
    hook = EMATeacherHook()
    pair = Pair()
    hook.before_train(fake_runner(pair, 0))
    pair.teacher.requires_grad_(True)
    with pytest.raises(RuntimeError, match='frozen'):
        hook.before_train(fake_runner(pair, 0))
    with pytest.raises(AttributeError, match='teacher'):
        hook.before_train(fake_runner(nn.Linear(2, 2), 0))


def test_before_train_names_the_hook_as_the_teachers_updater():
    hook = EMATeacherHook()
    pair = Pair()
    hook.before_train(fake_runner(pair, 0, hooks=[hook]))
    assert pair.teacher_updater == 'EMATeacherHook'
    second = EMATeacherHook()
    with pytest.raises(RuntimeError, match='one updater'):
        second.before_train(fake_runner(pair, 0, hooks=[hook, second]))


def test_hold_keeps_a_constant_momentum_then_ramps_over_the_rest():
    hook = EMATeacherHook(momentum=0.5, end_momentum=0.9, hold_iters=10,
                          hold_momentum=0.99)
    pair = Pair()
    at = [hook.momentum_at(fake_runner(pair, it, max_iters=30))
          for it in (0, 9, 10, 20, 30)]
    assert at[:2] == [0.99, 0.99]
    assert at[2] == 0.5  # the ramp starts after the hold
    assert at[3] == pytest.approx(0.7)  # half of the remaining 20
    assert at[4] == pytest.approx(0.9)
    with pytest.raises(ValueError, match='hold_iters'):
        EMATeacherHook(hold_iters=-1)
    with pytest.raises(ValueError, match='hold_momentum'):
        EMATeacherHook(hold_momentum=1.5)


def test_hold_in_epochs_counts_the_dataloaders_iterations():
    hook = EMATeacherHook(momentum=0.5, end_momentum=0.9, hold_epochs=2,
                          hold_momentum=0.99)
    pair = Pair()
    hook.before_train(fake_runner(pair, 0, hooks=[hook], iters_per_epoch=7))
    assert pair.teacher_updater == 'EMATeacherHook'
    # 7 iterations per epoch: a hold of 14, then the ramp over 28 - 14
    at = [hook.momentum_at(fake_runner(pair, it, max_iters=28,
                                       iters_per_epoch=7))
          for it in (13, 14, 21, 28)]
    assert at[0] == 0.99
    assert at[1] == 0.5
    assert at[2] == pytest.approx(0.7)
    assert at[3] == pytest.approx(0.9)
    # the same hook on a dataset of 3 iterations per epoch holds for 6
    assert hook.momentum_at(fake_runner(pair, 6, max_iters=12,
                                        iters_per_epoch=3)) == 0.5
    with pytest.raises(ValueError, match='not both'):
        EMATeacherHook(hold_iters=5, hold_epochs=1)
    with pytest.raises(ValueError, match='hold_epochs'):
        EMATeacherHook(hold_epochs=-1)
