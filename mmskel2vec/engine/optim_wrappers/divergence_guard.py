"""Optimizer wrapper that stops (or skips) on a non-finite loss or gradient."""
import logging
import math
from typing import Dict, List, Optional

import torch
import torch.distributed as torch_dist
from mmengine.dist import is_distributed
from mmengine.logging import MessageHub, print_log
from mmengine.optim import OptimWrapper

from mmaction.registry import OPTIM_WRAPPERS


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss or gradient."""


def total_grad_norm(params: List[torch.Tensor]) -> float:
    """L2 norm of the gradients of ``params`` (0.0 when none have one)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    norms = torch._foreach_norm(grads)
    return float(torch.linalg.vector_norm(torch.stack(norms)))


def agree_all_finite(value: bool, device: torch.device) -> bool:
    """True only if ``value`` is True on every rank (one tiny all-reduce)."""
    if not is_distributed():
        return value
    flag = torch.tensor([1.0 if value else 0.0], device=device)
    torch_dist.all_reduce(flag, op=torch_dist.ReduceOp.MIN)
    return bool(flag.item() > 0)


@OPTIM_WRAPPERS.register_module()
class DivergenceGuardOptimWrapper(OptimWrapper):
    """``OptimWrapper`` that refuses to apply a non-finite update.

    Before ``backward`` the loss is checked; at an optimizer step the total
    gradient norm (before any clipping) is checked. In distributed training
    the loss verdict is agreed on by all ranks (one all-reduce of a flag per
    iteration) so they stop or skip together; gradients are already
    all-reduced, so their norm is the same everywhere.

    ``on_nonfinite='raise'`` (default) stops training with
    :class:`DivergenceError` naming the iteration (1-based, as in the log
    and in ``iter_<k>.pth``), the epoch and the last checkpoint. The
    weights are not touched, and the checkpoint hook does not run for that
    iteration, so the last good checkpoint stays as it is.

    ``on_nonfinite='skip'`` drops the update (gradients are zeroed, the
    optimizer does not step; with gradient accumulation the whole window is
    dropped), logs a warning and counts it in :attr:`num_skipped` and the
    ``train/skipped_steps`` scalar; :attr:`step_skipped` tells hooks such as
    ``EMATeacherHook`` to leave the teacher alone. More than
    ``max_consecutive_skips`` skips in a row raise, since the run has most
    likely diverged.

    Under AMP use ``AmpOptimWrapper`` instead: its loss scaler already skips
    steps with overflowing gradients.

    Args:
        *args: Positional arguments of ``OptimWrapper``.
        on_nonfinite (str): ``'raise'`` or ``'skip'``. Defaults to 'raise'.
        max_consecutive_skips (int): Skips in a row tolerated in ``'skip'``
            mode. Defaults to 10.
        **kwargs: Keyword arguments of ``OptimWrapper`` (``optimizer``,
            ``clip_grad``, ``accumulative_counts``).
    """

    def __init__(self,
                 *args,
                 on_nonfinite: str = 'raise',
                 max_consecutive_skips: int = 10,
                 **kwargs) -> None:
        if on_nonfinite not in ('raise', 'skip'):
            raise ValueError("on_nonfinite must be 'raise' or 'skip', got "
                             f'{on_nonfinite!r}')
        super().__init__(*args, **kwargs)
        self.on_nonfinite = on_nonfinite
        self.max_consecutive_skips = max_consecutive_skips
        self.num_skipped = 0
        self.consecutive_skips = 0
        self.step_skipped = False

    def _params(self) -> List[torch.Tensor]:
        """Trainable parameters of all parameter groups."""
        return [
            p for group in self.optimizer.param_groups
            for p in group['params'] if p.requires_grad
        ]

    def _where(self) -> str:
        """'iteration k (epoch e)' from the message hub."""
        hub = MessageHub.get_current_instance()
        cur_iter, epoch = hub.get_info('iter'), hub.get_info('epoch')
        where = (f'iteration {cur_iter + 1}'
                 if cur_iter is not None else 'this iteration')
        if epoch is not None:
            where += f' (epoch {epoch + 1})'
        return where

    def _handle(self, what: str) -> None:
        """Raise, or drop the pending update and count the skip."""
        hub = MessageHub.get_current_instance()
        last = hub.get_info('last_ckpt')
        where = self._where()
        if self.on_nonfinite == 'raise':
            raise DivergenceError(
                f'{what} at {where}: training stopped before the optimizer '
                'step, the weights were not updated and the last checkpoint '
                f'({last or "none saved yet"}) is intact. Resume from it '
                'with --resume (e.g. with a lower learning rate or gradient '
                "clipping), or set optim_wrapper.on_nonfinite='skip' to "
                'drop such steps.')
        self.zero_grad()
        self.step_skipped = True
        self.num_skipped += 1
        self.consecutive_skips += 1
        hub.update_scalar('train/skipped_steps', self.num_skipped)
        print_log(
            f'{what} at {where}: update skipped ({self.num_skipped} skipped '
            'so far)',
            logger='current',
            level=logging.WARNING)
        if self.consecutive_skips > self.max_consecutive_skips:
            raise DivergenceError(
                f'{self.consecutive_skips} consecutive non-finite steps up '
                f'to {where}: training has diverged; the last checkpoint is '
                f'{last or "none saved yet"}')

    def update_params(  # type: ignore
            self,
            loss: torch.Tensor,
            step_kwargs: Optional[Dict] = None,
            zero_kwargs: Optional[Dict] = None) -> None:
        """Check the loss, backward, check the gradients, then step.

        Args:
            loss (torch.Tensor): The loss of the iteration.
            step_kwargs (dict, optional): Arguments of ``optimizer.step``.
            zero_kwargs (dict, optional): Arguments of
                ``optimizer.zero_grad``.
        """
        step_kwargs = step_kwargs or {}
        zero_kwargs = zero_kwargs or {}
        self.step_skipped = False
        finite = agree_all_finite(bool(torch.isfinite(loss).all()),
                                  loss.device)
        if not finite:
            # Keep the accumulation counter in step with the iterations:
            # the backward of a zero leaf counts like one and touches no
            # parameter (OptimWrapper.backward is what counts).
            self.backward(loss.new_zeros((), requires_grad=True))
            self._handle(f'non-finite loss ({float(loss.detach().sum())})')
            return
        self.backward(self.scale_loss(loss))
        if not self.should_update():
            return
        norm = total_grad_norm(self._params())
        if not math.isfinite(norm):
            self._handle(f'non-finite gradient norm ({norm})')
            return
        self.consecutive_skips = 0
        self.step(**step_kwargs)
        self.zero_grad(**zero_kwargs)
