"""Datasets that seed each sample's pipeline from its keyed index."""
from typing import Any

from mmskel2vec.utils import derive_seed, isolated_global_rngs
from .samplers import SampleIndex


class PerSampleSeedMixin:
    """Seed a sample's random transforms from ``(seed, epoch, index)``.

    Mixed into a dataset class before its base (``class D(PerSampleSeedMixin,
    BaseDataset)``). When the index comes from a keyed
    :class:`~mmskel2vec.datasets.samplers.ResumableSampler` (a
    :class:`~mmskel2vec.datasets.samplers.SampleIndex` that carries the
    sampler's seed and the epoch), ``random``, ``numpy.random`` and torch's
    CPU generator are seeded from those three numbers while the sample is
    prepared, and restored afterwards: crops, rotations and masks are then
    the same in any worker layout and after any interruption. A plain
    integer index (any other sampler, ``dataset[i]`` in a script) leaves the
    generators alone, so the dataset behaves as its base class.

    A train dataloader asks for this with
    ``sampler=dict(type='ResumableSampler')``; datasets without the mixin
    get the same behaviour from the
    :class:`~mmskel2vec.datasets.wrappers.PerSampleSeedDataset` wrapper.
    """

    def __getitem__(self, idx: int) -> Any:
        if not isinstance(idx, SampleIndex):
            return super().__getitem__(idx)
        with isolated_global_rngs(derive_seed(idx.seed, idx.epoch, int(idx))):
            return super().__getitem__(int(idx))


def seeds_per_sample(dataset: Any) -> bool:
    """Whether ``dataset`` seeds its samples from keyed indices.

    Args:
        dataset: A built dataset.

    Returns:
        bool: True for datasets with :class:`PerSampleSeedMixin` and for
        ``PerSampleSeedDataset``.
    """
    from .wrappers import PerSampleSeedDataset
    return isinstance(dataset, (PerSampleSeedMixin, PerSampleSeedDataset))
