"""Hook that makes the model-side randomness a function of the iteration."""
from typing import Optional

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmaction.registry import HOOKS
from mmskel2vec.utils import derive_seed, seed_global_rngs


@HOOKS.register_module()
class IterSeedHook(Hook):
    """Reseed the global generators before every training iteration.

    Dropout, drop path and anything else drawing from the global generators
    in the main process (``random``, ``numpy.random``, torch's CPU and CUDA
    generators) get a seed derived from ``(runner.seed, iteration)``. The
    stream of an iteration then does not depend on what ran before, so a run
    resumed from a checkpoint draws exactly what the uninterrupted run drew,
    and no generator state needs to be stored in checkpoints. MMEngine's
    ``runner.seed`` already includes the rank when
    ``randomness.diff_rank_seed`` is set, so ranks draw different dropout
    masks; ``rank_offset=True`` forces a per-rank stream otherwise.

    Data augmentation is seeded separately, per sample, by the datasets
    under a keyed ``ResumableSampler`` (``PerSampleSeedMixin``).

    Args:
        seed (int, optional): Base seed; None uses ``runner.seed``.
        rank_offset (bool): Mix the rank into the seed even when the runner
            seed is shared by all ranks. Defaults to False.

    The configs list it in ``custom_hooks``
    (``configs/_base_/default_runtime.py``); leave it out to turn it off.
    """

    priority = 'VERY_HIGH'

    def __init__(self,
                 seed: Optional[int] = None,
                 rank_offset: bool = False) -> None:
        self.seed = seed
        self.rank_offset = rank_offset

    def iteration_seed(self, runner) -> int:
        """Seed for the current iteration ``runner.iter``."""
        base = self.seed if self.seed is not None else runner.seed
        keys = [base, runner.iter]
        if self.rank_offset:
            keys.append(get_rank())
        return derive_seed(*keys)

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        """Seed ``random``, NumPy and torch (CPU and CUDA) generators."""
        seed = self.iteration_seed(runner)
        seed_global_rngs(seed)
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.cuda.manual_seed_all(seed)
