"""Hook that checks the model weights are identical on every rank."""
import hashlib
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.dist import all_gather_object, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS


def tensor_digests(state_dict: Dict, prefixes: Optional[Sequence[str]] = None
                   ) -> Dict[str, str]:
    """SHA-1 of the bytes of every tensor (optionally under ``prefixes``).

    Args:
        state_dict (dict): Name to tensor.
        prefixes (Sequence[str], optional): Keep names starting with one of
            these (e.g. ``('teacher.',)``); None keeps all.

    Returns:
        dict: Name to hex digest, in ``state_dict`` order.
    """
    digests = {}
    for name, value in state_dict.items():
        if prefixes is not None and not name.startswith(tuple(prefixes)):
            continue
        raw = value.detach().cpu().contiguous().reshape(-1).view(
            torch.uint8)
        digests[name] = hashlib.sha1(raw.numpy().tobytes()).hexdigest()
    return digests


def combined_digest(digests: Dict[str, str]) -> str:
    """One SHA-1 over the names and digests of all tensors."""
    sha = hashlib.sha1()
    for name, digest in digests.items():
        sha.update(f'{name}={digest};'.encode())
    return sha.hexdigest()


@HOOKS.register_module()
class WeightSyncCheckHook(Hook):
    """Check every ``interval`` iterations that all ranks hold the same model.

    Each rank hashes the bytes of every tensor of the model's state dict
    (student, EMA teacher, head, buffers; or only the names under
    ``prefixes``), the digests are all-gathered, and any tensor that differs
    between ranks stops training with an error naming it. DDP keeps the
    student in sync by all-reducing gradients; the teacher is updated
    outside DDP by ``EMATeacherHook``, so this is the check that the EMA
    produced the same teacher everywhere. It runs after the EMA update.
    Does nothing without distributed training.

    Args:
        interval (int): Iterations between checks; <= 0 turns the hook off
            (MMEngine cannot remove a non-standard entry of
            ``default_hooks`` with None). Defaults to 1000.
        prefixes (Sequence[str], optional): Only check these state-dict
            prefixes, e.g. ``('teacher.',)``. Defaults to None (all).
        log (bool): Log a line with the common digest at every check.
            Defaults to True.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 1000,
                 prefixes: Optional[Sequence[str]] = None,
                 log: bool = True) -> None:
        self.interval = interval
        self.prefixes = tuple(prefixes) if prefixes is not None else None
        self.log = log

    def check(self, runner) -> str:
        """Compare the digests of all ranks; return the common digest.

        Raises:
            RuntimeError: Some tensor differs between ranks.
        """
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        digests = tensor_digests(model.state_dict(), self.prefixes)
        gathered: List[Dict[str, str]] = all_gather_object(digests)
        reference = gathered[0]
        differing = sorted({
            name
            for other in gathered[1:]
            for name in set(reference) | set(other)
            if reference.get(name) != other.get(name)
        })
        if differing:
            raise RuntimeError(
                f'model weights differ between ranks at iteration '
                f'{runner.iter + 1}: {len(differing)} tensor(s), e.g. '
                f'{differing[:10]}')
        return combined_digest(reference)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """Check every ``interval`` iterations (distributed runs only)."""
        world_size = get_world_size()
        if self.interval <= 0 or world_size < 2:
            return
        if not self.every_n_train_iters(runner, self.interval):
            return
        digest = self.check(runner)
        if self.log:
            runner.logger.info(
                f'WeightSyncCheckHook: weights identical on {world_size} '
                f'ranks at iteration {runner.iter + 1} (sha1 {digest})')
