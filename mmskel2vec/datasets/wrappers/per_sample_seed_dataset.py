"""Seed the data pipeline of every sample from (seed, epoch, index)."""
from typing import Any, Optional, Union

from mmengine.dataset import BaseDataset

from mmaction.registry import DATASETS
from mmskel2vec.utils import derive_seed, isolated_global_rngs


@DATASETS.register_module()
class PerSampleSeedDataset:
    """Make the random transforms of a sample depend only on what it is.

    Skeleton transforms (crops, rotations, masks) draw from NumPy's global
    generator; in data-loader workers that stream depends on the number of
    workers, on whether they are persistent and on when the run was last
    (re)started, and it is not saved in checkpoints. This wrapper seeds
    ``random``, ``numpy.random`` and torch's CPU generator from
    ``(seed, epoch, index)`` right before the wrapped dataset prepares a
    sample, and restores their previous state afterwards. Augmentations and
    masks are then a function of those three numbers only: the same in any
    worker layout, after any interruption, on any number of ranks.

    ``seed`` and ``epoch`` come with the index when the sampler is a keyed
    :class:`~mmskel2vec.datasets.samplers.ResumableSampler` (the index is a
    :class:`~mmskel2vec.datasets.samplers.SampleIndex`); this also reaches
    persistent workers, which hold a copy of the dataset made when they
    started. For plain integer indices the wrapper's own ``seed`` and
    ``epoch`` attributes are used (:meth:`set_epoch` changes the latter, but
    only in the process that calls it).

    Args:
        dataset (BaseDataset | dict): The dataset or its config.
        seed (int, optional): Base seed. None takes the sampler's seed from
            keyed indices (MMEngine gives the sampler the run's seed), and 0
            for plain indices. Defaults to None.
        lazy_init (bool): Defer loading the wrapped dataset.
            Defaults to False.
    """

    def __init__(self,
                 dataset: Union[BaseDataset, dict],
                 seed: Optional[int] = None,
                 lazy_init: bool = False) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self.dataset = dataset
        self.seed = seed
        self.epoch = 0
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """Meta information of the wrapped dataset."""
        return self.dataset.metainfo

    def full_init(self) -> None:
        """Fully initialize the wrapped dataset."""
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()

    def set_epoch(self, epoch: int) -> None:
        """Epoch used for plain integer indices (in this process only)."""
        self.epoch = int(epoch)

    def sample_seed(self, idx: int) -> int:
        """Seed of the pipeline run for ``idx`` (an int or SampleIndex)."""
        seed = self.seed
        if seed is None:
            seed = getattr(idx, 'seed', 0)
        epoch = getattr(idx, 'epoch', self.epoch)
        return derive_seed(seed, epoch, int(idx))

    def get_data_info(self, idx: int) -> dict:
        """Annotation of sample ``idx`` (no pipeline)."""
        return self.dataset.get_data_info(int(idx))

    def __getitem__(self, idx: int) -> Any:
        with isolated_global_rngs(self.sample_seed(idx)):
            return self.dataset[int(idx)]

    def __len__(self) -> int:
        return len(self.dataset)

    def __getattr__(self, name: str) -> Any:
        # Expose the wrapped dataset's other attributes (e.g. the records of
        # LabelFractionDataset). Guarded so that unpickling, which looks up
        # attributes before ``dataset`` is set, cannot recurse.
        if name == 'dataset' or name.startswith('__'):
            raise AttributeError(name)
        return getattr(self.dataset, name)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(seed={self.seed}, '
                f'dataset={type(self.dataset).__name__}, len={len(self)})')
