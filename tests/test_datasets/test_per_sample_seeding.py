"""PerSampleSeedMixin: keyed indices seed a sample's transforms, plain
indices leave the global generators alone."""
import numpy as np
import torch
from mmaction.datasets import PoseDataset

from mmskel2vec.datasets import (CheckedPoseDataset, PerSampleSeedDataset,
                                 SyntheticSkeletonDataset)
from mmskel2vec.datasets.per_sample_seeding import seeds_per_sample
from mmskel2vec.datasets.samplers import SampleIndex

from augmented_samples import SYNTHETIC_DATASET, sample_arrays
from augmented_samples import assert_same_sample


def make():
    return SyntheticSkeletonDataset(**{
        k: v for k, v in SYNTHETIC_DATASET.items() if k != 'type'})


def test_keyed_index_seeds_as_the_wrapper_does():
    # the same augmentation as PerSampleSeedDataset around the same data,
    # so configs that name ResumableSampler train exactly as the wrapped
    # datasets did
    key = SampleIndex(3, seed=5, epoch=1)
    wrapped = PerSampleSeedDataset(SYNTHETIC_DATASET)
    assert_same_sample(make()[key], wrapped[key])


def test_keyed_index_ignores_and_restores_the_global_state():
    dataset = make()
    key = SampleIndex(2, seed=7, epoch=4)
    first = dataset[key]
    np.random.seed(123)
    torch.manual_seed(9)
    state = np.random.get_state()[1].copy(), torch.get_rng_state()
    assert_same_sample(first, dataset[key])
    np.testing.assert_array_equal(np.random.get_state()[1], state[0])
    assert torch.equal(torch.get_rng_state(), state[1])
    other = dataset[SampleIndex(2, seed=7, epoch=5)]
    assert not np.array_equal(sample_arrays(first)[0],
                              sample_arrays(other)[0])


def test_plain_index_draws_from_the_global_generators():
    dataset = make()
    np.random.seed(0)
    torch.manual_seed(0)
    a = dataset[3]
    b = dataset[3]  # the stream moved on: another crop and mask
    assert not np.array_equal(sample_arrays(a)[0], sample_arrays(b)[0])
    np.random.seed(0)
    torch.manual_seed(0)
    assert_same_sample(a, dataset[3])


def test_which_datasets_seed_per_sample():
    assert issubclass(CheckedPoseDataset, PoseDataset)
    assert seeds_per_sample(make())
    assert seeds_per_sample(PerSampleSeedDataset(SYNTHETIC_DATASET))
    assert not seeds_per_sample(list(range(3)))
    assert not seeds_per_sample(
        PoseDataset.__new__(PoseDataset))  # MMAction2's own: not seeded
    assert seeds_per_sample(CheckedPoseDataset.__new__(CheckedPoseDataset))
