"""Every shipped annotation-file dataset base loads through the safe loader.

Each ``configs/_base_/datasets/*.py`` that reads an annotation ``.pkl`` is
built (every data loader it defines) on a hostile pickle, whose object
reduces to ``os.system``, and on a truncated one: the first must be refused
without running its command, the second must fail with an error naming the
file.
"""
import glob
import os
import os.path as osp
import pickle

import pytest
from mmengine.config import Config

from mmaction.registry import DATASETS
from mmskel2vec.datasets.annotation_file import AnnotationFileError
from repo_paths import REPO_ROOT

BASES = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '_base_', 'datasets',
                                  '*.py')))
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader',
           'knn_dataloader')


class _Exploit:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def annotation_datasets(cfg):
    """Dataset configs of the base's loaders that read ``ann_file``."""
    found = []
    for key in LOADERS:
        loader = cfg.get(key)
        if loader and 'ann_file' in loader['dataset']:
            found.append((key, loader['dataset']))
    return found


@pytest.mark.parametrize('base', BASES, ids=osp.basename)
def test_hostile_and_truncated_annotation_files_are_refused(base, tmp_path):
    cfg = Config.fromfile(base)
    datasets = annotation_datasets(cfg)
    if not datasets:
        # generated data, or the shared part of the 20-joint bases (its
        # children name the annotation files)
        assert (cfg.dataset_type == 'SyntheticSkeletonDataset'
                or osp.basename(base) == 'single_person_20_joints_3d.py'), base
        return
    marker = tmp_path / 'pwned'
    hostile = tmp_path / 'hostile.pkl'
    hostile.write_bytes(pickle.dumps(dict(
        split={split: ['x'] for split in ('xsub_train', 'xsub_val',
                                          'xview_train', 'xview_val',
                                          'xset_train', 'xset_val')},
        annotations=[_Exploit(marker)])))
    good = pickle.dumps(dict(split=dict(xsub_train=[]), annotations=[
        dict(frame_dir=f's{i}', label=0, total_frames=4,
             keypoint=[[[0.0, 0.0, 0.0]] * 4]) for i in range(50)]))
    truncated = tmp_path / 'truncated.pkl'
    truncated.write_bytes(good[:len(good) // 2])
    for key, dataset in datasets:
        for path, expected in ((hostile, 'is not allowed'),
                               (truncated, f'{truncated}: truncated')):
            with pytest.raises(AnnotationFileError, match=expected):
                DATASETS.build(dict(dataset, ann_file=str(path)))
        assert not marker.exists(), f'{base} {key} ran the hostile pickle'


def annotation_readers(node):
    """Every dict under ``node`` that names an ``ann_file``."""
    if isinstance(node, dict):
        if 'ann_file' in node:
            yield node
        for value in node.values():
            yield from annotation_readers(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from annotation_readers(value)


CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', 'skeleton2vec', '**',
                                    '*.py'),
                           recursive=True))


def test_every_shipped_config_reads_annotations_safely():
    assert len(CONFIGS) > 40
    for path in CONFIGS:
        cfg = Config.fromfile(path)
        for key in LOADERS + ('custom_hooks', ):
            for reader in annotation_readers(cfg.get(key)):
                assert reader['type'] == 'CheckedPoseDataset', \
                    f'{osp.basename(path)}: {key} reads {reader["ann_file"]}' \
                    f' with {reader["type"]}'


SMALL_DATA = ('msr_action3d_xsub_3d', 'utd_mhad_xsub_3d', 'nucla_xview_3d')


@pytest.mark.parametrize('name', SMALL_DATA)
def test_twenty_joint_bases_mask_half_the_joints_per_row(name):
    # the measured small-data setting (docs/benchmarks.md, "Mask ratio on
    # 20-joint data"); the pretraining pipeline carries it
    cfg = Config.fromfile(osp.join(osp.dirname(BASES[0]), name + '.py'))
    assert cfg.masking == dict(tube_len=1, mask_ratio=0.5, prior='additive',
                               beta=0.1, count='mask')
    (mask, ) = [t for t in cfg.pretrain_pipeline
                if t['type'] == 'MotionAwareTubeMasking']
    assert mask == dict(type='MotionAwareTubeMasking', t_patch=cfg.t_patch,
                        **cfg.masking)
