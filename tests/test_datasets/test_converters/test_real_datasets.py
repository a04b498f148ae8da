"""Convert the three small real datasets in ``<repo>/../shared/data``.

Each dataset is converted once per session into a temporary folder (never
into the repository); counts are checked against the SOURCE.md files.
"""
import os.path as osp
import pickle

import numpy as np
import pytest

from mmskel2vec.datasets.converters import (convert_msr_action3d,
                                            convert_nucla, convert_utd_mhad)
from mmskel2vec.datasets.converters.nucla import (NUCLA_SINGLE_FRAME_FILES,
                                                  load_nucla_sequence)
from mmskel2vec.datasets.layouts import get_layout
from mmskel2vec.datasets.transforms import normalize  # noqa: F401 register

from repo_paths import REPO_ROOT as REPO
from repo_paths import SHARED_DATA as SHARED

DATASETS = {
    'nucla': (convert_nucla, 'nw_ucla', 'nucla_xview_3d.py'),
    'utd_mhad': (convert_utd_mhad, 'utd_mhad', 'utd_mhad_xsub_3d.py'),
    'msr_action3d': (convert_msr_action3d, 'msr_action3d',
                     'msr_action3d_xsub_3d.py'),
}


def require(name):
    path = osp.join(SHARED, DATASETS[name][1])
    if not osp.isdir(path):
        pytest.skip(f'{path} is absent: the shared copies of the real '
                    'datasets are not available on this machine')
    return path


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    """Convert lazily, once per dataset and module."""
    cache = {}
    folder = tmp_path_factory.mktemp('converted')

    def get(name):
        if name not in cache:
            src = require(name)
            out = str(folder / f'{name}_3d.pkl')
            report = DATASETS[name][0](src, out)
            with open(out, 'rb') as f:
                cache[name] = (report, pickle.load(f), out)
        return cache[name]

    return get


def check_common(data, num_classes, num_joints=20):
    annos = data['annotations']
    labels = {a['label'] for a in annos}
    assert labels == set(range(num_classes))
    names = [a['frame_dir'] for a in annos]
    assert names == sorted(names) and len(set(names)) == len(names)
    for a in annos:
        kp = a['keypoint']
        assert kp.dtype == np.float32
        assert kp.shape[0] == 1 and kp.shape[2:] == (num_joints, 3)
        assert a['total_frames'] == kp.shape[1] >= 2
        assert np.isfinite(kp).all()
        assert np.any(kp != 0, axis=(2, 3)).all()  # no all-zero frame
    splits = data['split']
    train, val = (set(v) for _, v in sorted(splits.items()))
    assert not train & val and train | val == set(names)
    return {a['frame_dir']: a for a in annos}


def check_joint_order(data, layout_name):
    """Head above hip centre, and bones of plausible length (metres)."""
    layout = get_layout(layout_name)
    head, hip = layout.index('head'), layout.index('hip_center')
    first = np.stack([a['keypoint'][0, 0] for a in data['annotations']])
    assert np.median(first[:, head, 1] - first[:, hip, 1]) > 0.4
    for child, parent in layout.inward:
        length = np.linalg.norm(first[:, child] - first[:, parent], axis=-1)
        bone = (layout.joint_names[child], layout.joint_names[parent])
        assert np.median(length) < 0.6, bone


def test_nucla(converted):
    report, data, _ = converted('nucla')
    annos = check_common(data, 10)
    assert len(annos) == 1484 - 2
    assert len(data['split']['xview_train']) == 1020 - 1
    assert len(data['split']['xview_val']) == 464 - 1
    assert all(n.endswith(('v01', 'v02'))
               for n in data['split']['xview_train'])
    assert all(n.endswith('v03') for n in data['split']['xview_val'])
    assert report.split_classes == {'xview_train': 10, 'xview_val': 10}
    assert sorted(n for n, _ in report.skipped) == sorted(
        NUCLA_SINGLE_FRAME_FILES)
    assert annos['a08_s01_e00_v01']['label'] == 6  # a08 -> label 7 -> 6
    assert annos['a12_s10_e04_v03']['label'] == 9
    assert data['class_names'][0] == 'pick up with one hand'
    assert report.num_inputs == 1484
    check_joint_order(data, 'nucla')


def test_nucla_single_frame_files_are_readable():
    root = require('nucla')
    for name in NUCLA_SINGLE_FRAME_FILES:
        kp = load_nucla_sequence(osp.join(root, 'all_sqe', f'{name}.json'))
        assert kp.shape == (1, 1, 20, 3)


def test_utd_mhad(converted):
    report, data, _ = converted('utd_mhad')
    annos = check_common(data, 27)
    assert len(annos) == 861
    train, val = data['split']['xsub_train'], data['split']['xsub_val']
    assert (len(train), len(val)) == (431, 430)
    assert {int(n.split('_')[1][1:]) for n in train} == {1, 3, 5, 7}
    assert {int(n.split('_')[1][1:]) for n in val} == {2, 4, 6, 8}
    assert not {'a8_s1_t4', 'a23_s6_t4', 'a27_s8_t4'} & set(annos)
    assert annos['a27_s1_t1']['label'] == 26
    frames = [a['total_frames'] for a in annos.values()]
    assert (min(frames), max(frames)) == (41, 125)
    assert report.skipped == []
    check_joint_order(data, 'utd_mhad')


def test_msr_action3d(converted):
    report, data, path = converted('msr_action3d')
    annos = check_common(data, 20)
    assert len(annos) == 557
    train, val = data['split']['xsub_train'], data['split']['xsub_val']
    assert len(train) + len(val) == 557
    assert all(int(n[5:7]) % 2 == 1 for n in train)
    assert all(int(n[5:7]) % 2 == 0 for n in val)
    assert len(report.skipped) == 10
    assert all('files_used_in_cvpr12_paper.txt' in r
               for _, r in report.skipped)
    # trailing all-zero frames trimmed: a20_s02_e01 has 56 lines-frames,
    # the last 32 of them zero
    assert annos['a20_s02_e01']['total_frames'] == 56 - 32
    check_joint_order(data, 'msr_action3d')
    # re-running gives the same bytes
    again = path + '.again.pkl'
    convert_msr_action3d(require('msr_action3d'), again)
    assert open(path, 'rb').read() == open(again, 'rb').read()


def test_msr_action3d_all_files():
    report = convert_msr_action3d(require('msr_action3d'), None,
                                  use_all_files=True)
    assert report.num_samples == 566
    assert report.skipped == [('a13_s09_e02',
                               'known to hold only all-zero frames')]


@pytest.mark.parametrize('name', sorted(DATASETS))
def test_dataset_config_pipelines(converted, name):
    """The base configs load the converted file through PoseDataset."""
    from mmaction.registry import DATASETS as MMA_DATASETS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    _, data, path = converted(name)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets', DATASETS[name][2]))
    for key, pipeline in (('train_dataloader', cfg.pretrain_pipeline),
                          ('val_dataloader', cfg.val_pipeline)):
        ds_cfg = cfg[key].dataset.copy()
        ds_cfg.update(ann_file=path, pipeline=pipeline)
        dataset = MMA_DATASETS.build(ds_cfg)
        assert len(dataset) == len(data['split'][ds_cfg.split])
        sample = dataset[0]
        inputs = sample['inputs']
        assert tuple(inputs.shape[-3:]) == (cfg.clip_len, 20, 3)
        if key == 'train_dataloader':
            assert 'mask' in sample['data_samples']


TRAIN_CONFIG = '''_base_ = [
    '{repo}/configs/_base_/models/skeleton2vec_stt-8x256.py',
    '{repo}/configs/_base_/datasets/{dataset_cfg}',
    '{repo}/configs/_base_/schedules/adamw_cosine_400e.py',
    '{repo}/configs/_base_/default_runtime.py',
]
custom_imports = dict(
    imports=['mmskel2vec', 'mmskel2vec.datasets.transforms.normalize'],
    allow_failed_imports=False)
model = dict(
    backbone=dict(num_joints=20, clip_len=64, t_patch=4, embed_dims=32,
                  depth=2, num_heads=2),
    head=dict(in_channels=32, embed_dims=32, depth=1, num_heads=2,
              num_joints=20, num_tokens_t=16),
    target_generator=dict(top_k=2))
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{ann_file}', indices=12,
                 pipeline={{{{_base_.pretrain_pipeline}}}}))
val_dataloader = None
test_dataloader = None
train_cfg = dict(max_epochs=1)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=1))
custom_hooks = [
    {{{{_base_.iter_seed_hook}}}}, {{{{_base_.weight_sync_hook}}}},
    {{{{_base_.freed_memory_hook}}}}, {{{{_base_.ema_hook}}}}
]
'''


def test_pretraining_runs_on_converted_datasets(converted, tmp_path):
    """tools/train.py: 3 iterations of a demo-size Skeleton2vec pretraining
    on each converted dataset, through its base dataset config."""
    import glob
    import os
    import subprocess
    import sys
    train_py = osp.join(REPO, 'tools', 'train.py')
    demos = glob.glob(osp.join(REPO, 'configs', 'skeleton2vec',
                               '*synthetic*.py'))
    if not osp.isfile(train_py) or not demos:
        pytest.skip('tools/train.py or the synthetic demo config is absent')
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    procs = {}
    for name in sorted(DATASETS):
        _, _, ann_file = converted(name)
        cfg = tmp_path / f'pretrain_{name}.py'
        cfg.write_text(TRAIN_CONFIG.format(
            repo=REPO, dataset_cfg=DATASETS[name][2], ann_file=ann_file))
        work_dir = tmp_path / f'work_{name}'
        procs[name] = (work_dir, subprocess.Popen(
            [sys.executable, train_py, str(cfg), '--work-dir',
             str(work_dir)], cwd=REPO, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True))
    for name, (work_dir, proc) in procs.items():
        log, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, f'{name}:\n{log[-3000:]}'
        assert 'Epoch(train) [1][3/3]' in log and 'loss:' in log, name
        assert osp.isfile(osp.join(work_dir, 'epoch_1.pth')), name
