"""Tests for the embedded synthetic skeleton dataset."""
import time
from collections import Counter

import numpy as np
import pytest

import mmaction.datasets  # noqa: F401  (registers the skeleton transforms)
from mmaction.registry import DATASETS
from mmengine.registry import init_default_scope

from mmskel2vec.datasets.synthetic_dataset import (
    NOISE_STD, NTU_JOINT_PARENTS, SYNTHETIC_CLASSES, SyntheticSkeletonDataset,
    SyntheticVariation, generate_synthetic_skeletons)

NUM_CLASSES = len(SYNTHETIC_CLASSES)
TWO_PERSON_LABEL = SYNTHETIC_CLASSES.index('handshake')
BONES = [(j, p) for j, p in enumerate(NTU_JOINT_PARENTS) if p >= 0]


def _split(split: str, num_samples: int = 256) -> SyntheticSkeletonDataset:
    return SyntheticSkeletonDataset(
        pipeline=[], num_samples=num_samples, split=split, seed=0)


def _annotations(dataset: SyntheticSkeletonDataset) -> list:
    return [dataset.get_data_info(i) for i in range(len(dataset))]


@pytest.fixture(scope='module')
def train_annos() -> list:
    return _annotations(_split('train'))


@pytest.fixture(scope='module')
def val_annos() -> list:
    return _annotations(_split('val'))


def _assert_same(annos_a: list, annos_b: list) -> None:
    assert len(annos_a) == len(annos_b)
    for a, b in zip(annos_a, annos_b):
        assert a['frame_dir'] == b['frame_dir']
        assert a['label'] == b['label']
        assert a['total_frames'] == b['total_frames']
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])


def test_same_seed_gives_identical_samples():
    _assert_same(
        generate_synthetic_skeletons(16, seed=5),
        generate_synthetic_skeletons(16, seed=5))


def test_samples_do_not_depend_on_num_samples():
    _assert_same(
        generate_synthetic_skeletons(8, seed=5),
        generate_synthetic_skeletons(20, seed=5)[:8])


def test_different_seed_gives_different_samples():
    first = generate_synthetic_skeletons(8, seed=5)
    second = generate_synthetic_skeletons(8, seed=6)
    for a, b in zip(first, second):
        assert a['keypoint'].shape != b['keypoint'].shape or not np.allclose(
            a['keypoint'], b['keypoint'])


def test_annotation_format(train_annos):
    names = [anno['frame_dir'] for anno in train_annos]
    assert len(set(names)) == len(names)
    for anno in train_annos:
        keypoint = anno['keypoint']
        num_persons = 2 if anno['label'] == TWO_PERSON_LABEL else 1
        assert isinstance(anno['label'], int)
        assert isinstance(anno['frame_dir'], str)
        assert keypoint.dtype == np.float32
        assert keypoint.shape == (num_persons, anno['total_frames'], 25, 3)
        assert 48 <= anno['total_frames'] <= 120
        assert np.isfinite(keypoint).all()


def test_frame_range_option():
    annos = generate_synthetic_skeletons(12, min_frames=10, max_frames=12)
    assert {anno['total_frames'] for anno in annos} <= {10, 11, 12}


def test_camera_space_layout(train_annos):
    for anno in train_annos:
        keypoint = anno['keypoint']
        depth = keypoint[..., 2]
        assert 1.5 < depth.min() and depth.max() < 5.0
        height = keypoint[..., 1].mean(axis=(0, 1))
        # y is up: the head is above the spine base, which is above the feet.
        assert height[3] > height[0] + 0.4
        assert height[0] > height[15] + 0.5


def test_labels_are_balanced(train_annos):
    counts = Counter(anno['label'] for anno in train_annos)
    assert sorted(counts) == list(range(NUM_CLASSES))
    assert max(counts.values()) - min(counts.values()) <= 1


def test_num_classes_option():
    annos = generate_synthetic_skeletons(10, num_classes=3)
    assert {anno['label'] for anno in annos} == {0, 1, 2}
    for bad in (0, NUM_CLASSES + 1):
        with pytest.raises(ValueError):
            generate_synthetic_skeletons(4, num_classes=bad)


def test_bone_lengths_are_constant_over_time(train_annos):
    joints, parents = np.array(BONES).T
    for anno in train_annos[:64]:
        keypoint = anno['keypoint'].astype(np.float64)
        lengths = np.linalg.norm(
            keypoint[:, :, joints] - keypoint[:, :, parents], axis=-1)
        assert lengths.mean(axis=1).min() > 0.03
        # The only source of variation is the per-joint Gaussian noise.
        assert lengths.std(axis=1).max() < 4 * NOISE_STD


def _forward_direction(person: np.ndarray) -> np.ndarray:
    """Horizontal facing direction of one person (T, V, 3) -> (3, )."""
    left = (person[:, 12] - person[:, 16]).mean(axis=0)
    forward = np.cross(left, [0.0, 1.0, 0.0])
    return forward / np.linalg.norm(forward)


def test_two_person_class_faces_each_other(train_annos):
    pairs = [a for a in train_annos if a['label'] == TWO_PERSON_LABEL]
    assert pairs
    for anno in pairs:
        first, second = anno['keypoint']
        offset = (second[:, 0] - first[:, 0]).mean(axis=0)
        assert 0.6 < np.linalg.norm(offset) < 1.5
        assert _forward_direction(first) @ offset > 0
        assert _forward_direction(second) @ offset < 0


def test_train_and_val_are_disjoint(train_annos, val_annos):
    train_keys = {anno['keypoint'].tobytes() for anno in train_annos}
    val_keys = {anno['keypoint'].tobytes() for anno in val_annos}
    assert not train_keys & val_keys
    train_names = {anno['frame_dir'] for anno in train_annos}
    assert not train_names & {anno['frame_dir'] for anno in val_annos}


def test_generation_is_fast():
    start = time.perf_counter()
    generate_synthetic_skeletons(512)
    elapsed = time.perf_counter() - start
    print(f'generated 512 samples in {elapsed:.3f} s')
    assert elapsed < 2.0


def _mean_joint_speed(anno: dict) -> np.ndarray:
    """Per-joint mean displacement between frames, averaged over persons."""
    steps = np.diff(anno['keypoint'].astype(np.float64), axis=1)
    return np.linalg.norm(steps, axis=-1).mean(axis=(0, 1))


def _features(annos: list) -> tuple:
    features = np.stack([_mean_joint_speed(anno) for anno in annos])
    return features, np.array([anno['label'] for anno in annos])


def test_classes_are_distinguishable_by_motion(train_annos, val_annos):
    train_x, train_y = _features(train_annos)
    val_x, val_y = _features(val_annos)
    centroids = np.stack(
        [train_x[train_y == c].mean(axis=0) for c in range(NUM_CLASSES)])
    dists = ((val_x[:, None] - centroids[None]) ** 2).sum(axis=-1)
    accuracy = (dists.argmin(axis=1) == val_y).mean()
    print(f'nearest-centroid val accuracy: {accuracy:.3f} '
          f'(chance {1 / NUM_CLASSES:.3f})')
    assert accuracy > 3.0 / NUM_CLASSES


def _keypoints(**variation) -> list:
    return [anno['keypoint'].astype(np.float64) for anno in
            generate_synthetic_skeletons(16, seed=5, variation=variation)]


def test_variation_noise_std_scales_the_coordinate_noise():
    """The noise is the last draw: only it differs between noise levels."""
    clean, noisy = _keypoints(noise_std=0.0), _keypoints(noise_std=0.05)
    noise = np.concatenate([(b - a).ravel() for a, b in zip(clean, noisy)])
    assert abs(noise.mean()) < 0.002
    assert noise.std() == pytest.approx(0.05, rel=0.05)


def test_variation_body_scale_sets_the_bone_lengths():
    small = _keypoints(noise_std=0.0, body_scale=(1.0, 1.0))
    large = _keypoints(noise_std=0.0, body_scale=[1.3, 1.3])
    for a, b in zip(small, large):
        for joint, parent in BONES:
            bone_a = a[:, :, joint] - a[:, :, parent]
            bone_b = b[:, :, joint] - b[:, :, parent]
            np.testing.assert_allclose(
                np.linalg.norm(bone_b, axis=-1),
                1.3 * np.linalg.norm(bone_a, axis=-1), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('field,factor,low,high', [
    ('speed', 2.0, 1.3, 2.0), ('amplitude', 0.5, 0.5, 0.9)])
def test_variation_speed_and_amplitude_scale_the_motion(
        field, factor, low, high):
    """Twice the frequency speeds every clip up, half the amplitude slows
    every clip down (not by the whole factor: raising the arm into the
    waving pose does not depend on either)."""
    def speed(value):
        annos = generate_synthetic_skeletons(
            16, seed=2, num_classes=1, variation={
                'noise_std': 0.0, 'posture_std': 0.0, 'speed': (1.0, 1.0),
                'amplitude': (1.0, 1.0), field: (value, value)})
        return np.array([_mean_joint_speed(anno).sum() for anno in annos])
    ratio = speed(factor) / speed(1.0)
    assert low < ratio.min() and ratio.max() < high, ratio


def test_dataset_passes_its_variation_to_the_generator():
    variation = dict(noise_std=0.02, speed=[0.6, 1.6])
    dataset = SyntheticSkeletonDataset(pipeline=[], num_samples=6, seed=1,
                                       variation=variation)
    assert dataset.variation == SyntheticVariation(noise_std=0.02,
                                                   speed=(0.6, 1.6))
    other = SyntheticSkeletonDataset(pipeline=[], num_samples=6, seed=1)
    assert not np.array_equal(dataset.get_data_info(0)['keypoint'],
                              other.get_data_info(0)['keypoint'])


@pytest.mark.parametrize('variation,message', [
    (dict(noise=0.1), "unknown variation keys ['noise']"),
    (dict(speed=(2.0, 1.0)), 'speed must be a range'),
    (dict(body_scale=(0.0, 1.0)), 'body_scale must be a range'),
    (dict(noise_std=-1.0), 'noise_std and posture_std must be >= 0'),
])
def test_bad_variation_raises(variation, message):
    with pytest.raises(ValueError, match=message.replace('[', r'\[')):
        generate_synthetic_skeletons(1, variation=variation)


def test_dataset_metainfo_and_fields():
    dataset = SyntheticSkeletonDataset(
        pipeline=[], num_samples=12, split='val', num_classes=4,
        test_mode=True)
    assert len(dataset) == 12
    assert dataset.test_mode
    assert dataset.metainfo['classes'] == SYNTHETIC_CLASSES[:4]
    info = dataset.get_data_info(0)
    assert info['modality'] == 'Pose'
    assert info['start_index'] == 0
    assert info['frame_dir'].startswith('val_')
    assert {dataset.get_data_info(i)['label'] for i in range(12)} == set(
        range(4))


def test_invalid_split_raises():
    with pytest.raises(ValueError):
        SyntheticSkeletonDataset(pipeline=[], num_samples=4, split='test')


def test_build_from_registry_with_gcn_pipeline():
    init_default_scope('mmaction')
    dataset = DATASETS.build(
        dict(
            type='SyntheticSkeletonDataset',
            pipeline=[
                dict(type='UniformSampleFrames', clip_len=32),
                dict(type='PoseDecode'),
                dict(type='FormatGCNInput', num_person=2),
                dict(type='PackActionInputs')
            ],
            num_samples=32))
    assert isinstance(dataset, SyntheticSkeletonDataset)
    assert len(dataset) == 32
    for idx in (0, TWO_PERSON_LABEL):
        sample = dataset[idx]
        assert tuple(sample['inputs'].shape) == (1, 2, 32, 25, 3)
        assert int(sample['data_samples'].gt_label) == idx
