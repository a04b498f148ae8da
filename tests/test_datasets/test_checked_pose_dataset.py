"""Bad input (docs/reliability.md, "Bad input"): one test per table row.

Every row gets an error naming the file, the sample (``frame_dir``) and the
problem with ``on_invalid='raise'``, and a counted skip with
``on_invalid='skip'``.
"""
import os
import pickle

import numpy as np
import pytest

from mmskel2vec.datasets import CheckedPoseDataset
from mmskel2vec.datasets.annotation_file import (AnnotationFileError,
                                                 load_annotation_file)
from mmskel2vec.datasets.converters.common import (dump_annotation_file,
                                                   make_annotation)

PIPELINE = [
    dict(type='PreNormalize3D'),
    dict(type='RandomTemporalCropResize', clip_len=16, p_interval=(0.5, 1)),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='MotionAwareTubeMasking', t_patch=4, tube_len=2,
         mask_ratio=0.5),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]
CHECKS = dict(num_joints=25, num_coords=3, num_classes=8)


def skeleton(frames=20, joints=25, coords=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(1, frames, joints, coords)).astype(np.float32)


def good(index):
    return make_annotation(f'good_{index}', index % 8, skeleton(seed=index))


def write(path, annotations, split_names=None):
    names = [a['frame_dir'] for a in annotations
             if isinstance(a, dict) and 'frame_dir' in a]
    payload = dict(
        split=dict(train=split_names if split_names is not None else names),
        annotations=annotations)
    with open(path, 'wb') as f:
        pickle.dump(payload, f, protocol=4)
    return str(path)


def nan_coords(ann):
    ann['keypoint'][0, 3, 5, 1] = np.nan
    return ann


def inf_coords(ann):
    ann['keypoint'][0, 7, 0, 0] = np.inf
    return ann


def all_zero(ann):
    ann['keypoint'][:] = 0
    return ann


def no_frames(ann):
    ann['keypoint'] = ann['keypoint'][:, :0]
    ann['total_frames'] = 0
    return ann


def few_frames(ann):
    ann['keypoint'] = ann['keypoint'][:, :3]
    ann['total_frames'] = 3
    return ann


def twenty_joints(ann):
    ann['keypoint'] = ann['keypoint'][:, :, :20]
    return ann


def two_coords(ann):
    ann['keypoint'] = ann['keypoint'][..., :2]
    return ann


def label_too_big(ann):
    ann['label'] = 8
    return ann


def label_negative(ann):
    ann['label'] = -1
    return ann


def no_keypoint(ann):
    del ann['keypoint']
    return ann


def no_label(ann):
    del ann['label']
    return ann


def frames_mismatch(ann):
    ann['total_frames'] = 99
    return ann


ROWS = [
    # (table row, mutation, problem code, words of the message, options)
    ('non-finite coordinates (NaN)', nan_coords, 'non_finite',
     '1 frame(s) hold non-finite', {}),
    ('non-finite coordinates (inf)', inf_coords, 'non_finite',
     'non-finite (NaN/inf)', {}),
    ('all-zero sequence', all_zero, 'all_zero', 'all coordinates are zero',
     {}),
    ('zero frames', no_frames, 'no_frames', 'has no frames', {}),
    ('fewer frames than one tube', few_frames, 'too_few_frames',
     '3 frame(s), fewer than the 8 required', dict(min_frames=8)),
    ('joint count', twenty_joints, 'joint_count',
     '20 joints, the config expects 25', {}),
    ('coordinate count', two_coords, 'coord_count',
     '2 coordinates per joint, the config expects 3', {}),
    ('label above class range', label_too_big, 'bad_label',
     'label 8 is outside the class range [0, 8)', {}),
    ('negative label', label_negative, 'bad_label',
     'label -1 is outside the class range', {}),
    ('missing keypoint', no_keypoint, 'missing_keys',
     "missing key(s) ['keypoint']", {}),
    ('missing label', no_label, 'missing_keys', "missing key(s) ['label']",
     {}),
    ('total_frames mismatch', frames_mismatch, 'frame_count',
     'total_frames=99 but the keypoint has 20 frames', {}),
]


@pytest.mark.parametrize('row, mutate, code, words, options', ROWS,
                         ids=[r[0] for r in ROWS])
def test_bad_sample_raises_naming_it(tmp_path, row, mutate, code, words,
                                     options):
    bad = mutate(make_annotation('bad_sample', 1, skeleton()))
    path = write(tmp_path / 'ann.pkl', [good(0), bad, good(1)])
    with pytest.raises(ValueError) as info:
        CheckedPoseDataset(path, PIPELINE, split='train', **CHECKS,
                           **options)
    message = str(info.value)
    assert path in message and "split 'train'" in message
    assert 'bad_sample: ' in message and words in message
    assert 'good_0' not in message and "on_invalid='skip'" in message


@pytest.mark.parametrize('row, mutate, code, words, options', ROWS,
                         ids=[r[0] for r in ROWS])
def test_bad_sample_skipped_and_counted(tmp_path, row, mutate, code, words,
                                        options):
    bad = mutate(make_annotation('bad_sample', 1, skeleton()))
    path = write(tmp_path / 'ann.pkl', [good(0), bad, good(1)])
    dataset = CheckedPoseDataset(path, PIPELINE, split='train',
                                 on_invalid='skip', **CHECKS, **options)
    assert len(dataset) == 2
    assert dataset.skipped == {code: ['bad_sample']}
    assert dataset[0]['data_samples'].frame_dir == 'good_0'


def test_annotation_without_frame_dir_is_named_by_position(tmp_path):
    nameless = good(5)
    del nameless['frame_dir']
    path = write(tmp_path / 'ann.pkl', [good(0), nameless],
                 split_names=['good_0'])
    with pytest.raises(ValueError, match=r"annotation #1: missing key\(s\) "
                       r"\['frame_dir'\]"):
        CheckedPoseDataset(path, PIPELINE, split='train', **CHECKS)


def test_many_bad_samples_are_summarized(tmp_path):
    bad = [all_zero(make_annotation(f'zero_{i}', 0, skeleton()))
           for i in range(12)]
    path = write(tmp_path / 'ann.pkl', [good(0)] + bad)
    with pytest.raises(ValueError, match='12 of 13 annotation.*and 2 more'):
        CheckedPoseDataset(path, PIPELINE, split='train', **CHECKS)
    dataset = CheckedPoseDataset(path, PIPELINE, split='train',
                                 on_invalid='skip', **CHECKS)
    assert len(dataset.skipped['all_zero']) == 12 and len(dataset) == 1


def test_all_invalid_is_an_error_even_when_skipping(tmp_path):
    path = write(tmp_path / 'ann.pkl', [all_zero(good(0))])
    with pytest.raises(ValueError, match='nothing left to train on'):
        CheckedPoseDataset(path, PIPELINE, split='train', on_invalid='skip')


def test_short_sequence_is_stretched_by_default(tmp_path):
    # Documented behaviour: without min_frames a sequence shorter than one
    # tube is accepted and RandomTemporalCropResize stretches it.
    path = write(tmp_path / 'ann.pkl', [few_frames(good(0))])
    dataset = CheckedPoseDataset(path, PIPELINE, split='train', **CHECKS)
    sample = dataset[0]
    assert tuple(sample['inputs'].shape) == (1, 1, 16, 25, 3)
    assert sample['data_samples'].mask.shape == (1, 1, 4, 25)


def test_other_split_is_not_checked(tmp_path):
    path = str(tmp_path / 'ann.pkl')
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(train=['good_0'], val=['bad']),
                         annotations=[good(0), make_annotation(
                             'bad', 0, np.zeros((1, 4, 25, 3)))]), f)
    assert len(CheckedPoseDataset(path, PIPELINE, split='train')) == 1
    with pytest.raises(ValueError, match='bad: all coordinates are zero'):
        CheckedPoseDataset(path, PIPELINE, split='val')
    with pytest.raises(AnnotationFileError, match=r"no split 'test' "
                       r"\(available: \['train', 'val'\]\)"):
        CheckedPoseDataset(path, PIPELINE, split='test')


def test_converter_output_loads(tmp_path):
    path = str(tmp_path / 'converted.pkl')
    anns = [good(i) for i in range(4)]
    dump_annotation_file(path, anns, dict(train=['good_0', 'good_1'],
                                          val=['good_2', 'good_3']),
                         extra=dict(class_names=['a'] * 8))
    dataset = CheckedPoseDataset(path, PIPELINE, split='val', **CHECKS)
    assert [dataset.get_data_info(i)['frame_dir'] for i in range(2)] == [
        'good_2', 'good_3'
    ]


def test_corrupted_pkl_names_the_file(tmp_path):
    path = tmp_path / 'corrupted.pkl'
    path.write_bytes(b'\x80\x04this is not a pickle at all' * 10)
    with pytest.raises(AnnotationFileError,
                       match=f'{path}: corrupted annotation file'):
        CheckedPoseDataset(str(path), PIPELINE, split='train')


def test_truncated_pkl_names_the_file(tmp_path):
    full = write(tmp_path / 'full.pkl', [good(i) for i in range(3)])
    data = open(full, 'rb').read()
    path = tmp_path / 'truncated.pkl'
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(AnnotationFileError,
                       match=f'{path}: truncated annotation file'):
        CheckedPoseDataset(str(path), PIPELINE, split='train')


def test_missing_file_and_wrong_structure(tmp_path):
    with pytest.raises(AnnotationFileError, match='not found'):
        CheckedPoseDataset(str(tmp_path / 'nope.pkl'), PIPELINE)
    path = tmp_path / 'list.pkl'
    path.write_bytes(pickle.dumps([good(0)]))
    assert len(CheckedPoseDataset(str(path), PIPELINE)) == 1
    with pytest.raises(AnnotationFileError, match='expected a dict'):
        CheckedPoseDataset(str(path), PIPELINE, split='train')


class _Exploit:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def test_malicious_pkl_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pkl'
    path.write_bytes(pickle.dumps(
        dict(split=dict(train=[]), annotations=[_Exploit(marker)])))
    with pytest.raises(AnnotationFileError, match='is not allowed'):
        CheckedPoseDataset(str(path), PIPELINE, split='train')
    with pytest.raises(AnnotationFileError, match='is not allowed'):
        load_annotation_file(str(path))
    assert not marker.exists()


def test_layout_goes_with_every_sample_and_sets_the_joint_count(tmp_path):
    path = str(tmp_path / 'ann.pkl')
    write(path, [twenty_joints(good(i)) for i in range(3)])
    dataset = CheckedPoseDataset(path, pipeline=[], layout='utd_mhad')
    assert dataset.num_joints == 20
    assert [dataset[i]['layout'] for i in range(3)] == ['utd_mhad'] * 3
    assert 'layout' not in CheckedPoseDataset(path, pipeline=[])[0]
    with pytest.raises(ValueError, match='20 joints, the config expects 25'):
        CheckedPoseDataset(path, pipeline=[], layout='nturgb+d')
    with pytest.raises(ValueError, match="num_joints=25 but layout 'nucla'"):
        CheckedPoseDataset(path, pipeline=[], layout='nucla', num_joints=25)
    with pytest.raises(ValueError, match=f"{path}: unknown skeleton layout"):
        CheckedPoseDataset(path, pipeline=[], layout='kinect_v3')
