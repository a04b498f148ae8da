"""LabelFractionDataset: stratified, reproducible labelled subsets."""
import json
from collections import Counter

import pytest

from mmaction.registry import DATASETS
from mmskel2vec.datasets.wrappers import stratified_subset


def test_stratified_per_class_with_at_least_one():
    labels = [0] * 100 + [1] * 30 + [2] * 4
    chosen = stratified_subset(labels, 0.1, seed=3)
    counts = Counter(labels[i] for i in chosen)
    assert counts == {0: 10, 1: 3, 2: 1}
    assert chosen == sorted(chosen) and len(set(chosen)) == len(chosen)


def test_reproducible_and_seed_dependent():
    labels = [i % 7 for i in range(700)]
    assert stratified_subset(labels, 0.05, 1) == stratified_subset(
        labels, 0.05, 1)
    assert stratified_subset(labels, 0.05, 1) != stratified_subset(
        labels, 0.05, 2)
    # a class's draw does not depend on the other classes
    only_zero = [i for i in range(0, 700, 7)]
    sub = stratified_subset([0] * 100, 0.05, 1)
    assert [only_zero[i] for i in sub] == [
        i for i in stratified_subset(labels, 0.05, 1) if labels[i] == 0]


def test_bad_fraction():
    with pytest.raises(ValueError, match='fraction'):
        stratified_subset([0, 1], 0.0)


def test_wraps_a_dataset_and_records_the_choice(tmp_path):
    dataset = DATASETS.build(dict(
        type='LabelFractionDataset', fraction=0.1, seed=0,
        dataset=dict(type='SyntheticSkeletonDataset', num_samples=48,
                     pipeline=[])))
    assert len(dataset) == 8  # 6 per class -> round(0.6) = 1 each
    labels = [dataset.get_data_info(i)['label'] for i in range(8)]
    assert sorted(labels) == list(range(8))
    assert dataset[0]['label'] == labels[0]
    assert dataset.metainfo['classes'][0] == 'wave_right_hand'
    record = dataset.subset_record()
    assert record['num_selected'] == 8 and record['num_samples'] == 48
    assert record['per_class']['3'] == dict(selected=1, total=6)
    names = [dataset.get_data_info(i)['frame_dir'] for i in range(8)]
    assert record['frame_dirs'] == names
    path = dataset.dump_record(str(tmp_path / 'sub' / 'subset.json'))
    assert json.load(open(path))['sha1'] == record['sha1']
    again = DATASETS.build(dict(
        type='LabelFractionDataset', fraction=0.1, seed=0,
        dataset=dict(type='SyntheticSkeletonDataset', num_samples=48,
                     pipeline=[])))
    assert again.subset_record() == record


def test_repeat_to_full_makes_an_epoch_as_long_as_all_labels():
    dataset = DATASETS.build(dict(
        type='LabelFractionDataset', fraction=0.1, seed=0,
        repeat_to_full=True,
        dataset=dict(type='SyntheticSkeletonDataset', num_samples=50,
                     pipeline=[])))
    assert len(dataset) == 50  # 8 kept samples, repeated and cut at 50
    names = [dataset.get_data_info(i)['frame_dir'] for i in range(50)]
    assert len(set(names)) == 8
    assert names[:8] == names[8:16] and names[48:] == names[:2]
    assert Counter(names).most_common()[-1][1] == 6  # 50 = 6 * 8 + 2
    assert dataset[49]['frame_dir'] == names[1]
    assert dataset[-1]['frame_dir'] == names[1]  # negative, as lists do
    assert dataset.subset_record()['repeat_to_full'] is True
    with pytest.raises(IndexError):
        dataset[50]
