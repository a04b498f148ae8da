"""Hook that keeps the teacher an exponential moving average of the student."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from torch import nn

from mmaction.registry import HOOKS

from ..optim_wrappers.divergence_guard import DivergenceGuardOptimWrapper


def ema_momentum(cur_iter: int, momentum: float, end_momentum: float,
                 anneal_iters: int) -> float:
    """EMA momentum at an iteration: linear from start to end, then flat.

    Args:
        cur_iter (int): 0-based training iteration.
        momentum (float): Momentum at iteration 0.
        end_momentum (float): Momentum from ``anneal_iters`` on.
        anneal_iters (int): Iterations of the linear ramp (0: no ramp).

    Returns:
        float: The momentum ``m`` of ``teacher = m * teacher + (1-m) *
        student``.
    """
    if anneal_iters <= 0:
        return end_momentum
    progress = min(cur_iter / anneal_iters, 1.0)
    return momentum + (end_momentum - momentum) * progress


@torch.no_grad()
def ema_update(teacher: nn.Module, student: nn.Module,
               momentum: float) -> None:
    """In place: ``teacher <- m * teacher + (1 - m) * student``.

    Parameters are updated with one foreach ``lerp`` call; buffers are
    copied from the student.
    """
    t_params = list(teacher.parameters())
    s_params = list(student.parameters())
    if len(t_params) != len(s_params):
        raise RuntimeError('teacher and student have different parameters')
    if t_params:
        torch._foreach_lerp_(t_params, [p.detach() for p in s_params],
                             1.0 - momentum)
    for t_buf, s_buf in zip(teacher.buffers(), student.buffers()):
        t_buf.copy_(s_buf)


@HOOKS.register_module()
class EMATeacherHook(Hook):
    """Update ``model.teacher`` as the EMA of ``model.backbone``.

    After every optimizer step (iterations that only accumulate gradients
    are skipped), ``teacher <- m * teacher + (1 - m) * student`` with ``m``
    rising linearly from ``momentum`` to ``end_momentum`` over
    ``anneal_iters`` iterations and constant afterwards. With ``hold_iters``
    (or ``hold_epochs``) the momentum is ``hold_momentum`` for the first
    ``hold_iters`` iterations (``hold_epochs`` epochs of
    ``len(runner.train_dataloader)`` iterations) and the ramp starts after
    them (a slow teacher through an early phase, a faster one later). ``m``
    depends only on the iteration, and the teacher lives in the model's
    state dict, so the hook keeps no state and a resumed run continues
    exactly.

    Args:
        momentum (float): Momentum at the start of the ramp (the first
            iteration unless ``hold_iters``). Defaults to 0.9998.
        end_momentum (float): Final momentum. Defaults to 0.99999.
        anneal_iters (int, optional): Length of the ramp in iterations;
            None uses the rest of the run (``runner.max_iters -
            hold_iters``).
        hold_iters (int): Iterations at ``hold_momentum`` before the ramp.
            Defaults to 0 (the ramp starts at once).
        hold_epochs (int, optional): The hold in epochs instead, so that
            one value means the same point of the learning-rate schedule
            on datasets of different sizes; not together with
            ``hold_iters``. Defaults to None.
        hold_momentum (float): Momentum of the first ``hold_iters``
            iterations. Defaults to 0.996.
        teacher_name (str): Attribute of the teacher. Defaults to 'teacher'.
        student_name (str): Attribute of the student. Defaults to
            'backbone'.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self,
                 momentum: float = 0.9998,
                 end_momentum: float = 0.99999,
                 anneal_iters: Optional[int] = None,
                 hold_iters: int = 0,
                 hold_epochs: Optional[int] = None,
                 hold_momentum: float = 0.996,
                 teacher_name: str = 'teacher',
                 student_name: str = 'backbone') -> None:
        for name, value in (('momentum', momentum),
                            ('end_momentum', end_momentum),
                            ('hold_momentum', hold_momentum)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f'{name} must be in [0, 1], got {value}')
        if hold_iters < 0:
            raise ValueError(f'hold_iters must be >= 0, got {hold_iters}')
        if hold_epochs is not None:
            if hold_epochs < 0:
                raise ValueError(
                    f'hold_epochs must be >= 0, got {hold_epochs}')
            if hold_iters:
                raise ValueError('give hold_iters or hold_epochs, not both')
        self.momentum = momentum
        self.end_momentum = end_momentum
        self.anneal_iters = anneal_iters
        self.hold_iters = hold_iters
        self.hold_epochs = hold_epochs
        self.hold_momentum = hold_momentum
        self.teacher_name = teacher_name
        self.student_name = student_name

    def _modules(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        for name in (self.teacher_name, self.student_name):
            if not hasattr(model, name):
                raise AttributeError(
                    f'EMATeacherHook: {type(model).__name__} has no '
                    f'submodule {name!r}')
        return getattr(model, self.teacher_name), getattr(
            model, self.student_name)

    def before_train(self, runner) -> None:
        """Check the model and name this hook as its teacher's updater.

        The model's ``teacher_updater`` attribute is set to this hook's
        name, so a model that checks it (``Skeleton2Vec``) knows its teacher
        is kept up to date; a runner with two such hooks is refused.
        """
        teacher, _ = self._modules(runner)
        if any(p.requires_grad for p in teacher.parameters()):
            raise RuntimeError('EMATeacherHook: the teacher must be frozen '
                               '(requires_grad=False)')
        if sum(isinstance(h, EMATeacherHook) for h in runner.hooks) > 1:
            raise RuntimeError('EMATeacherHook: the runner has more than one '
                               'EMATeacherHook; one updater only')
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model.teacher_updater = type(self).__name__
        if self.hold_epochs is not None:
            print_log(
                f'EMATeacherHook: momentum {self.hold_momentum:g} for '
                f'{self.hold_epochs} epochs ({self.held_iters(runner)} '
                f'iterations), then {self.momentum:g} -> '
                f'{self.end_momentum:g}', logger='current')

    def held_iters(self, runner) -> int:
        """Length of the hold in iterations."""
        if self.hold_epochs is None:
            return self.hold_iters
        return self.hold_epochs * len(runner.train_dataloader)

    def momentum_at(self, runner) -> float:
        """Momentum used after the current iteration's optimizer step."""
        hold = self.held_iters(runner)
        if runner.iter < hold:
            return self.hold_momentum
        anneal = self.anneal_iters if self.anneal_iters is not None \
            else runner.max_iters - hold
        return ema_momentum(runner.iter - hold, self.momentum,
                            self.end_momentum, anneal)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """EMA update when this iteration stepped the optimizer."""
        if not runner.optim_wrapper.should_update():
            return
        optim_wrapper = runner.optim_wrapper
        if isinstance(optim_wrapper, DivergenceGuardOptimWrapper) and \
                optim_wrapper.step_skipped:
            return  # the guard dropped this update (mode='skip')
        teacher, student = self._modules(runner)
        ema_update(teacher, student, self.momentum_at(runner))
