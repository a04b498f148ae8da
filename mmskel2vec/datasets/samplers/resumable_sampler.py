"""A ``DefaultSampler`` that can skip consumed samples and keys the epoch."""
from typing import Iterator, Optional, Sized

from mmengine.dataset import DefaultSampler

from mmaction.registry import DATA_SAMPLERS


class SampleIndex(int):
    """A dataset index that also carries the sampler's seed and epoch.

    It is an ``int`` (any dataset indexes with it as usual) with two extra
    attributes, ``seed`` and ``epoch``. It travels with the index through
    the data loader, into worker processes too (it pickles with them), so a
    dataset (``PerSampleSeedMixin``, ``PerSampleSeedDataset``) can seed the
    augmentation of a sample from ``(seed, epoch, index)`` whatever the
    worker layout.

    Args:
        index (int): Position in the dataset.
        seed (int): Seed of the sampler.
        epoch (int): Epoch the sample is drawn for.
    """

    seed: int
    epoch: int

    def __new__(cls, index: int, seed: int, epoch: int) -> 'SampleIndex':
        obj = super().__new__(cls, index)
        obj.seed = int(seed)
        obj.epoch = int(epoch)
        return obj

    def __reduce__(self):
        return SampleIndex, (int(self), self.seed, self.epoch)

    def __repr__(self) -> str:
        return (f'SampleIndex({int(self)}, seed={self.seed}, '
                f'epoch={self.epoch})')


@DATA_SAMPLERS.register_module()
class ResumableSampler(DefaultSampler):
    """``DefaultSampler`` that resumes inside an epoch and keys each sample.

    The order is MMEngine's: a permutation drawn from ``seed + epoch``, padded
    and split across ranks. Two additions:

    * :meth:`skip` drops the first samples of this rank from the next
      iteration only (``ResumableEpochBasedTrainLoop`` calls it to continue
      an epoch after a resume without loading the batches that were already
      trained on). ``len()`` stays the length of a full epoch so the epoch's
      batch count, ``max_iters`` and the schedulers do not change.
    * With ``keyed=True`` it yields :class:`SampleIndex` objects that carry
      ``(seed, epoch)``, so the epoch reaches the dataset even in persistent
      worker processes, which never see later changes of a dataset attribute.

    Args:
        dataset (Sized): The dataset.
        shuffle (bool): Shuffle every epoch. Defaults to True.
        seed (int, optional): Seed of the order, identical on all ranks;
            None draws one and synchronizes it. Defaults to None.
        round_up (bool): Pad to a multiple of the world size.
            Defaults to True.
        keyed (bool): Yield :class:`SampleIndex` instead of plain ints.
            Defaults to True.
    """

    def __init__(self,
                 dataset: Sized,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True,
                 keyed: bool = True) -> None:
        super().__init__(dataset, shuffle=shuffle, seed=seed,
                         round_up=round_up)
        self.keyed = keyed
        self._skip = 0

    def skip(self, num_samples: int) -> None:
        """Leave out the first ``num_samples`` of this rank's next epoch.

        Args:
            num_samples (int): Samples already consumed in this epoch.
        """
        if not 0 <= num_samples <= self.num_samples:
            raise ValueError(f'can skip 0 to {self.num_samples} samples, '
                             f'got {num_samples}')
        self._skip = int(num_samples)

    def __iter__(self) -> Iterator[int]:
        """Indices of this rank for the current epoch, after any skip."""
        indices = list(super().__iter__())
        skip, self._skip = self._skip, 0
        indices = indices[skip:]
        if not self.keyed:
            return iter(indices)
        return iter([SampleIndex(i, self.seed, self.epoch) for i in indices])
