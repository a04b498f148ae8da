"""Seeding of the global random generators (Python, NumPy, torch CPU).

Transforms and models draw from the process-wide generators (``random``,
``numpy.random``, torch's default CPU generator). Their state is not part of
a checkpoint and, in data-loader workers, depends on the worker layout. The
helpers here make a stream a pure function of a few integers instead:
:func:`derive_seed` mixes them with NumPy's ``SeedSequence`` (well spread,
platform independent), :func:`seed_global_rngs` seeds all three generators,
and :func:`isolated_global_rngs` does so for a block of code and then puts
the previous states back.
"""
import random
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch


def derive_seed(*keys: int) -> int:
    """A 63-bit seed that depends only on ``keys``.

    Args:
        *keys (int): Integers, e.g. ``(seed, epoch, index)`` (taken modulo
            ``2**64``).

    Returns:
        int: Seed in ``[0, 2**63)``.
    """
    entropy = [int(k) % 2**64 for k in keys]
    words = np.random.SeedSequence(entropy).generate_state(2, dtype=np.uint32)
    return (int(words[0]) << 31) ^ int(words[1])


def seed_global_rngs(seed: int) -> None:
    """Seed ``random``, ``numpy.random`` and torch's CPU generator.

    NumPy's legacy generator takes 32 bits, so it gets ``seed % 2**32``.
    CUDA generators are left alone (data pipelines run on the CPU); use
    ``torch.manual_seed`` for those.

    Args:
        seed (int): Non-negative seed.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.default_generator.manual_seed(seed)


@contextmanager
def isolated_global_rngs(seed: int) -> Iterator[None]:
    """Run a block with freshly seeded global generators, then restore them.

    The block draws from ``random``, ``numpy.random`` and torch's CPU
    generator seeded with ``seed``; afterwards all three are back in the
    state they had before, so the caller's streams are not disturbed.

    Args:
        seed (int): Seed for the block.
    """
    py_state = random.getstate()
    np_state = np.random.get_state()
    torch_state = torch.default_generator.get_state()
    try:
        seed_global_rngs(seed)
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        torch.default_generator.set_state(torch_state)
