"""Stratified labelled subsets for semi-supervised evaluation."""
import hashlib
import json
import os
import os.path as osp
import tempfile
from collections import defaultdict
from typing import Any, Dict, List, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from mmaction.registry import DATASETS


def stratified_subset(labels: Sequence[int],
                      fraction: float,
                      seed: int = 0,
                      min_per_class: int = 1) -> List[int]:
    """Draw ``fraction`` of the samples of every class, reproducibly.

    Class ``c`` with ``n_c`` samples keeps ``max(min_per_class,
    round(fraction * n_c))`` of them (at most ``n_c``), drawn without
    replacement from its own random stream seeded with ``(seed, c)``, so a
    class's draw depends only on the seed and on which samples have that
    label, in dataset order.

    Args:
        labels: Label of every sample, in dataset order.
        fraction: Fraction in ``(0, 1]``.
        seed: Seed of the draw.
        min_per_class: Samples kept at least per class.

    Returns:
        Sorted indices of the kept samples.
    """
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f'fraction must be in (0, 1], got {fraction}')
    if min_per_class < 1:
        raise ValueError(f'min_per_class must be >= 1, got {min_per_class}')
    by_class: Dict[int, List[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_class[int(label)].append(index)
    chosen: List[int] = []
    for label in sorted(by_class):
        members = np.asarray(by_class[label])
        count = int(np.floor(fraction * len(members) + 0.5))
        count = min(max(count, min_per_class), len(members))
        rng = np.random.default_rng([seed, label])
        chosen.extend(rng.choice(members, count, replace=False).tolist())
    return sorted(chosen)


@DATASETS.register_module()
class LabelFractionDataset:
    """Keep a stratified fraction of a labelled dataset (semi-supervised).

    Wraps a dataset (``BaseDataset`` or its config, e.g. MMAction2's
    ``PoseDataset``) and keeps, per class, ``fraction`` of its samples (at
    least ``min_per_class``), chosen with :func:`stratified_subset`. The
    wrapped dataset is cut down in place with ``get_subset_``, so its
    pipeline and its retries stay inside the subset. The choice is logged
    (counts and a SHA-1 of the chosen ``frame_dir`` names);
    :meth:`subset_record` returns it in full and :meth:`dump_record` writes
    it, which ``SubsetRecordHook`` does into the work directory.

    Args:
        dataset (BaseDataset | dict): The labelled dataset.
        fraction (float): Fraction of every class to keep, in ``(0, 1]``.
        seed (int): Seed of the draw. Defaults to 0.
        min_per_class (int): Samples kept at least per class. Defaults to 1.
        repeat_to_full (bool): Make an epoch as long as the full labelled
            set: the subset is repeated (the last repeat cut short), so a
            fine-tuning protocol's epochs, warm-up and schedule give as
            many optimizer steps as with all labels. Small datasets need
            it (10% of MSR Action3D is 33 clips, 3 steps an epoch at batch
            16). Defaults to False (an epoch is the subset once).
        lazy_init (bool): Defer loading the annotations. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[BaseDataset, dict],
                 fraction: float,
                 seed: int = 0,
                 min_per_class: int = 1,
                 repeat_to_full: bool = False,
                 lazy_init: bool = False) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if not isinstance(dataset, BaseDataset):
            raise TypeError('LabelFractionDataset wraps a BaseDataset or its '
                            f'config, got {type(dataset).__name__}')
        if not 0.0 < fraction <= 1.0:
            raise ValueError(f'fraction must be in (0, 1], got {fraction}')
        self.dataset = dataset
        self.fraction = fraction
        self.seed = seed
        self.min_per_class = min_per_class
        self.repeat_to_full = repeat_to_full
        self._record: Dict[str, Any] = {}
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """Meta information of the wrapped dataset."""
        return self.dataset.metainfo

    def full_init(self) -> None:
        """Load the wrapped dataset and cut it down to the subset."""
        if self._fully_initialized:
            return
        self.dataset.full_init()
        infos = [self.dataset.get_data_info(i)
                 for i in range(len(self.dataset))]
        labels = [int(info['label']) for info in infos]
        names = [str(info.get('frame_dir', i)) for i, info in enumerate(infos)]
        indices = stratified_subset(labels, self.fraction, self.seed,
                                    self.min_per_class)
        totals: Dict[int, int] = defaultdict(int)
        kept: Dict[int, int] = defaultdict(int)
        for label in labels:
            totals[label] += 1
        for index in indices:
            kept[labels[index]] += 1
        chosen = [names[i] for i in indices]
        digest = hashlib.sha1('\n'.join(sorted(chosen)).encode()).hexdigest()
        self._record = dict(
            fraction=self.fraction,
            seed=self.seed,
            min_per_class=self.min_per_class,
            repeat_to_full=self.repeat_to_full,
            num_samples=len(labels),
            num_selected=len(indices),
            sha1=digest,
            per_class={
                str(c): dict(selected=kept[c], total=totals[c])
                for c in sorted(totals)
            },
            frame_dirs=chosen)
        self.dataset.get_subset_(indices)
        self._fully_initialized = True
        print_log(
            f'LabelFractionDataset: kept {len(indices)}/{len(labels)} '
            f'samples ({self.fraction:g} per class, at least '
            f'{self.min_per_class}, seed {self.seed}, {len(totals)} '
            f'classes, frame_dir sha1 {digest})' +
            (f'; an epoch repeats them to {len(labels)} samples'
             if self.repeat_to_full else ''),
            logger='current')

    def subset_record(self) -> Dict[str, Any]:
        """The subset: settings, per-class counts and chosen frame_dirs."""
        self.full_init()
        return dict(self._record)

    def dump_record(self, path: str) -> str:
        """Write :meth:`subset_record` as JSON (atomically) to ``path``."""
        record = self.subset_record()
        folder = osp.dirname(osp.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix='.tmp')
        try:
            with os.fdopen(fd, 'w') as f:
                json.dump(record, f, indent=1)
            os.replace(tmp, path)
        except BaseException:
            if osp.exists(tmp):
                os.remove(tmp)
            raise
        return path

    def get_data_info(self, idx: int) -> dict:
        """Annotation of the ``idx``-th kept sample."""
        self.full_init()
        return self.dataset.get_data_info(self._subset_index(idx))

    def _subset_index(self, idx: int) -> int:
        """Index into the subset of an index into this (repeated) dataset."""
        if not -len(self) <= idx < len(self):
            raise IndexError(f'index {idx} out of range for '
                             f'{type(self).__name__} of length {len(self)}')
        return idx % len(self) % len(self.dataset)

    def __getitem__(self, idx: int) -> dict:
        self.full_init()
        return self.dataset[self._subset_index(idx)]

    def __len__(self) -> int:
        self.full_init()
        if self.repeat_to_full:
            return max(self._record['num_samples'], len(self.dataset))
        return len(self.dataset)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(fraction={self.fraction}, seed='
                f'{self.seed}, min_per_class={self.min_per_class}, '
                f'repeat_to_full={self.repeat_to_full}, '
                f'dataset={type(self.dataset).__name__})')
