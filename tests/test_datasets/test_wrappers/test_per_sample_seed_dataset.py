"""PerSampleSeedDataset: augmentation depends on (seed, epoch, index) only,
not on worker processes, their persistence or the global RNG state."""
import pickle
import random

import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader

from mmskel2vec.datasets import PerSampleSeedDataset
from mmskel2vec.datasets.samplers import ResumableSampler, SampleIndex

from augmented_samples import SYNTHETIC_DATASET, sample_arrays
from augmented_samples import assert_same_sample as assert_same


def make_dataset(seed=None):
    return PerSampleSeedDataset(SYNTHETIC_DATASET, seed=seed)


def test_same_key_same_sample_whatever_the_global_state():
    dataset = make_dataset()
    first = dataset[SampleIndex(3, seed=5, epoch=1)]
    np.random.seed(123)
    random.seed(4)
    torch.manual_seed(9)
    state = np.random.get_state()[1].copy(), torch.get_rng_state()
    second = dataset[SampleIndex(3, seed=5, epoch=1)]
    assert_same(first, second)
    # the caller's generators are left where they were
    np.testing.assert_array_equal(np.random.get_state()[1], state[0])
    assert torch.equal(torch.get_rng_state(), state[1])


def test_other_epoch_or_seed_gives_other_augmentation():
    dataset = make_dataset()
    base = sample_arrays(dataset[SampleIndex(3, seed=5, epoch=1)])
    for key in (SampleIndex(3, seed=5, epoch=2), SampleIndex(3, seed=6,
                                                             epoch=1)):
        other = sample_arrays(dataset[key])
        assert not np.array_equal(base[0], other[0])


def test_plain_indices_use_own_seed_and_epoch():
    dataset = make_dataset(seed=5)
    dataset.set_epoch(1)
    # an explicit seed overrides the sampler's
    assert_same(dataset[3], dataset[SampleIndex(3, seed=99, epoch=1)])
    assert len(dataset) == 8
    assert dataset.metainfo['classes'][0] == 'wave_right_hand'
    assert dataset.get_data_info(SampleIndex(3, 0, 0))['frame_dir'] == \
        dataset.dataset.get_data_info(3)['frame_dir']


def epochs_of_batches(num_workers, persistent, epochs=2):
    dataset = make_dataset()
    sampler = ResumableSampler(dataset, seed=11)
    loader = DataLoader(
        dataset,
        batch_size=3,
        sampler=sampler,
        num_workers=num_workers,
        persistent_workers=persistent,
        collate_fn=pseudo_collate,
        multiprocessing_context='fork' if num_workers else None)
    out = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        out.append([[sample_arrays(dict(inputs=i, data_samples=s))
                     for i, s in zip(b['inputs'], b['data_samples'])]
                    for b in loader])
    return out


@pytest.mark.parametrize('num_workers, persistent', [(2, True), (2, False)])
def test_worker_layout_does_not_matter(num_workers, persistent):
    reference = epochs_of_batches(0, False)
    other = epochs_of_batches(num_workers, persistent)
    for ref_epoch, epoch in zip(reference, other):
        for ref_batch, batch in zip(ref_epoch, epoch):
            for ref, sample in zip(ref_batch, batch):
                for x, y in zip(ref, sample):
                    np.testing.assert_array_equal(x, y)
    # and epochs differ from each other
    assert not np.array_equal(reference[0][0][0][0], reference[1][0][0][0])


def test_wrapper_pickles_and_delegates():
    dataset = make_dataset()
    copy = pickle.loads(pickle.dumps(dataset))
    assert_same(copy[SampleIndex(1, 2, 3)], dataset[SampleIndex(1, 2, 3)])
    assert copy.num_samples == 8  # attribute of the wrapped dataset
    with pytest.raises(AttributeError):
        copy.no_such_attribute
