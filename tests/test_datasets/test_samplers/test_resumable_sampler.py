"""ResumableSampler: MMEngine's order, a one-off skip, keyed indices."""
import pickle

import pytest
from mmengine.dataset import DefaultSampler

from mmskel2vec.datasets.samplers import ResumableSampler, SampleIndex


def test_same_order_as_default_sampler():
    data = list(range(10))
    for epoch in range(3):
        ours = ResumableSampler(data, seed=7)
        ref = DefaultSampler(data, seed=7)
        ours.set_epoch(epoch)
        ref.set_epoch(epoch)
        assert list(ours) == list(ref)
        assert len(ours) == len(ref)


def test_keyed_indices_carry_seed_and_epoch():
    sampler = ResumableSampler(list(range(5)), seed=3)
    sampler.set_epoch(4)
    keys = list(sampler)
    assert all(isinstance(k, SampleIndex) for k in keys)
    assert {(k.seed, k.epoch) for k in keys} == {(3, 4)}
    plain = ResumableSampler(list(range(5)), seed=3, keyed=False)
    plain.set_epoch(4)
    assert [type(i) for i in plain] == [int] * 5
    assert list(plain) == [int(k) for k in keys]


def test_skip_applies_to_the_next_epoch_only():
    sampler = ResumableSampler(list(range(10)), seed=0)
    full = list(sampler)
    sampler.skip(4)
    assert len(sampler) == 10  # an epoch keeps its batch count
    assert list(sampler) == full[4:]
    assert list(sampler) == full
    with pytest.raises(ValueError, match='can skip 0 to 10'):
        sampler.skip(11)


def test_skip_per_rank():
    data = list(range(10))
    ranks = []
    for rank in range(2):
        sampler = ResumableSampler(data, seed=0)
        sampler.rank, sampler.world_size = rank, 2
        sampler.num_samples, sampler.total_size = 5, 10
        full = list(sampler)
        sampler.skip(2)
        assert list(sampler) == full[2:]
        ranks.append(full)
    assert sorted(ranks[0] + ranks[1]) == data


def test_sample_index_is_an_int_and_pickles():
    key = SampleIndex(5, seed=9, epoch=2)
    assert key == 5 and [10, 11, 12, 13, 14, 15][key] == 15
    copy = pickle.loads(pickle.dumps(key))
    assert (int(copy), copy.seed, copy.epoch) == (5, 9, 2)
    assert repr(copy) == 'SampleIndex(5, seed=9, epoch=2)'
