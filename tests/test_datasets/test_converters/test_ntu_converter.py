"""NTU RGB+D converter on small .skeleton files written in the raw format."""
import importlib.util
import os.path as osp
import pickle

import numpy as np
import pytest

from mmskel2vec.datasets.converters import (NTU60_MISSING_SKELETONS,
                                            NTU120_MISSING_SKELETONS,
                                            ConversionError, convert_ntu)
from mmskel2vec.datasets.converters.ntu import (NTU120_XSUB_TRAIN_SUBJECTS,
                                                read_skeleton_file,
                                                select_bodies)

from repo_paths import REPO_ROOT as REPO


def joint_lines(joints):
    return [
        f'{x:.6f} {y:.6f} {z:.6f} 250.1 200.2 900.3 500.4 0.1 0.2 0.3 0.4 2'
        for x, y, z in joints
    ]


def skeleton_text(frames):
    """Raw .skeleton text; ``frames[t]`` is a list of (body_id, (25,3))."""
    lines = [str(len(frames))]
    for bodies in frames:
        lines.append(str(len(bodies)))
        for body_id, joints in bodies:
            lines.append(f'{body_id} 0 1 1 1 1 0 -0.1 0.2 2')
            lines.append('25')
            lines.extend(joint_lines(joints))
    return '\n'.join(lines) + '\n'


def pose(rng, offset=0.0, motion=0.0, t=0):
    base = np.linspace(0, 1, 75).reshape(25, 3) + offset
    return base + motion * np.sin(0.5 * t) + 0.001 * rng.standard_normal(
        (25, 3))


def write(folder, name, frames):
    path = osp.join(folder, f'{name}.skeleton')
    with open(path, 'w') as f:
        f.write(skeleton_text(frames))
    return path


def single(rng, num_frames=12, motion=0.3, body='72057594037931101'):
    return [[(body, pose(rng, motion=motion, t=t))]
            for t in range(num_frames)]


# Sample with three tracked bodies: A moves most, B less and is absent in
# frames 3-4, C hardly moves; frames 0 and 11 have no body at all.
def three_bodies(rng):
    frames = []
    for t in range(12):
        bodies = []
        if 1 <= t <= 10:
            bodies.append(('111', pose(rng, offset=0.0, motion=0.5, t=t)))
            if t not in (3, 4):
                bodies.append(('222', pose(rng, offset=2.0, motion=0.2,
                                           t=t)))
            bodies.append(('333', pose(rng, offset=-2.0, motion=0.0, t=t)))
        frames.append(bodies)
    return frames


GOOD_60 = {
    'S001C001P001R001A001': dict(label=0, xsub='train', xview='val'),
    'S001C002P003R001A050': dict(label=49, xsub='val', xview='train'),
    'S002C003P002R002A010': dict(label=9, xsub='train', xview='train'),
    'S003C001P006R002A060': dict(label=59, xsub='val', xview='val'),
}
MISSING_NAME = 'S001C002P005R002A008'  # on both published lists


@pytest.fixture
def ntu_dir(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / 'nturgb+d_skeletons'
    folder.mkdir()
    for name in GOOD_60:
        frames = (three_bodies(rng) if name == 'S001C002P003R001A050' else
                  single(rng))
        write(str(folder), name, frames)
    # On the missing list: the real files have frames without bodies.
    write(str(folder), MISSING_NAME, [[] for _ in range(5)])
    # NTU-120 only (setup 18): ignored by --version 60.
    write(str(folder), 'S018C001P045R001A061', single(rng))
    write(str(folder), 'S019C002P044R002A120', single(rng))
    (folder / 'README.txt').write_text('not a skeleton file')
    return str(folder)


BAD = {
    'S004C001P007R001A002': 'file ends early',
    'S004C001P008R001A003': 'NaN',
    'S004C002P009R001A004': 'no frames',
    'S004C002P010R001A061': 'unknown action id A061',
    'S004C003P011R001A005': 'no body is tracked',
    'S004C003P012R001A006': '24 joints',
}


def add_bad_files(folder):
    rng = np.random.default_rng(1)
    names = sorted(BAD)
    text = skeleton_text(single(rng))
    lines = text.splitlines()
    with open(osp.join(folder, f'{names[0]}.skeleton'), 'w') as f:
        f.write('\n'.join(lines[:len(lines) * 2 // 3]))  # cut off the end
    lines[5] = 'nan ' + ' '.join(lines[5].split()[1:])
    with open(osp.join(folder, f'{names[1]}.skeleton'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(osp.join(folder, f'{names[2]}.skeleton'), 'w') as f:
        f.write('0\n')
    write(folder, names[3], single(rng))
    write(folder, names[4], [[] for _ in range(4)])
    lines = text.splitlines()
    lines[3] = '24'
    with open(osp.join(folder, f'{names[5]}.skeleton'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def load(path):
    with open(path, 'rb') as f:
        return pickle.load(f)


def test_missing_lists_have_published_sizes():
    assert len(NTU60_MISSING_SKELETONS) == 302
    assert len(NTU120_MISSING_SKELETONS) == 535
    assert NTU60_MISSING_SKELETONS < NTU120_MISSING_SKELETONS
    assert MISSING_NAME in NTU60_MISSING_SKELETONS
    assert all(int(n[1:4]) <= 17 for n in NTU60_MISSING_SKELETONS)
    assert len(NTU120_XSUB_TRAIN_SUBJECTS) == 53
    # consistent with the published NTU-60 split sizes before/after removal
    # (xsub train 40,320 -> 40,091; xview train 37,920 -> 37,646)
    train_subjects = set(NTU120_XSUB_TRAIN_SUBJECTS[:20])
    assert sum(int(n[9:12]) in train_subjects
               for n in NTU60_MISSING_SKELETONS) == 40320 - 40091
    assert sum(int(n[5:8]) in (2, 3)
               for n in NTU60_MISSING_SKELETONS) == 37920 - 37646


def test_read_skeleton_file_values(tmp_path):
    rng = np.random.default_rng(2)
    frames = single(rng, num_frames=3)
    path = write(str(tmp_path), 'S001C001P001R001A001', frames)
    num_frames, parsed = read_skeleton_file(path)
    assert num_frames == 3
    assert parsed[1][0][0] == '72057594037931101'
    np.testing.assert_allclose(parsed[1][0][1], frames[1][0][1], atol=1e-6)


def test_ntu60_conversion(ntu_dir, tmp_path):
    out = str(tmp_path / 'out' / 'ntu60_3d.pkl')
    report = convert_ntu(ntu_dir, out, version=60)
    data = load(out)
    assert set(data) == {'split', 'annotations'}
    annos = {a['frame_dir']: a for a in data['annotations']}
    assert sorted(annos) == sorted(GOOD_60)
    assert [a['frame_dir'] for a in data['annotations']] == sorted(GOOD_60)
    for name, info in GOOD_60.items():
        anno = annos[name]
        assert list(anno) == ['frame_dir', 'label', 'keypoint',
                              'total_frames']
        assert anno['label'] == info['label']
        assert type(anno['label']) is int
        kp = anno['keypoint']
        assert kp.dtype == np.float32 and kp.ndim == 4
        assert kp.shape[2:] == (25, 3)
        assert anno['total_frames'] == kp.shape[1]
        for prefix in ('xsub', 'xview'):
            assert name in data['split'][f'{prefix}_{info[prefix]}']
    assert sorted(data['split']) == ['xsub_train', 'xsub_val', 'xview_train',
                                     'xview_val']
    assert annos['S001C001P001R001A001']['keypoint'].shape == (1, 12, 25, 3)
    # the missing-list sample is skipped and said so; NTU-120 files ignored
    assert report.skipped == [(MISSING_NAME, 'on the published list of '
                               'samples with missing skeletons')]
    assert any('2 files of setups S018-S032' in n for n in report.notes)
    assert report.num_samples == 4 and report.num_classes == 4
    assert report.split_sizes == {'xsub_train': 2, 'xsub_val': 2,
                                  'xview_train': 2, 'xview_val': 2}
    text = report.format()
    assert 'xview_train' in text and 'skipped: 1' in text
    assert 'missing skeletons' in text


def test_body_selection_keeps_two_most_active(ntu_dir, tmp_path):
    rng = np.random.default_rng(0)
    for name in GOOD_60:  # regenerate the same random stream
        frames = (three_bodies(rng) if name == 'S001C002P003R001A050' else
                  single(rng))
        if name == 'S001C002P003R001A050':
            break
    out = str(tmp_path / 'ntu60.pkl')
    convert_ntu(ntu_dir, out, version=60)
    anno = {a['frame_dir']: a for a in load(out)['annotations']}[
        'S001C002P003R001A050']
    kp = anno['keypoint']
    # frames 0 and 11 had no body and are dropped; 10 frames, 2 bodies
    assert kp.shape == (2, 10, 25, 3)
    body_a = np.stack([dict(f)['111'] for f in frames[1:11]])
    np.testing.assert_allclose(kp[0], body_a, atol=1e-5)
    # body B (second most active) is zero where it was not tracked
    assert not kp[1, 2].any() and not kp[1, 3].any()
    np.testing.assert_allclose(kp[1, 0], dict(frames[1])['222'], atol=1e-5)
    # the static body C is dropped
    assert not np.allclose(kp[1, 0], dict(frames[1])['333'], atol=1e-3)


def test_select_bodies_orders_by_activity():
    still = np.zeros((25, 3)) + 1.0
    frames = [[('a', still), ('b', still + t)] for t in range(5)]
    kp = select_bodies(frames)
    assert kp.shape == (2, 5, 25, 3)
    np.testing.assert_allclose(kp[0, 4], still + 4)  # 'b' moves: first
    assert select_bodies([[], []]).shape[0] == 0


def test_rerun_is_byte_identical(ntu_dir, tmp_path):
    out1, out2 = str(tmp_path / 'a.pkl'), str(tmp_path / 'b.pkl')
    convert_ntu(ntu_dir, out1, version=60)
    convert_ntu(ntu_dir, out2, version=60, nproc=2)
    first = open(out1, 'rb').read()
    assert first == open(out2, 'rb').read()
    convert_ntu(ntu_dir, out1, version=60)  # overwrite in place
    assert open(out1, 'rb').read() == first
    assert sorted(p.name for p in tmp_path.iterdir()
                  if p.name.endswith('.tmp')) == []


def test_ntu120_splits(ntu_dir, tmp_path):
    out = str(tmp_path / 'ntu120.pkl')
    report = convert_ntu(ntu_dir, out, version=120)
    data = load(out)
    names = {a['frame_dir'] for a in data['annotations']}
    assert names == set(GOOD_60) | {'S018C001P045R001A061',
                                    'S019C002P044R002A120'}
    split = data['split']
    assert sorted(split) == ['xset_train', 'xset_val', 'xsub_train',
                             'xsub_val']
    # xset: even setup ids train
    assert 'S018C001P045R001A061' in split['xset_train']
    assert 'S019C002P044R002A120' in split['xset_val']
    assert 'S002C003P002R002A010' in split['xset_train']
    # xsub: subject 45 is a training subject, 44 is not
    assert 'S018C001P045R001A061' in split['xsub_train']
    assert 'S019C002P044R002A120' in split['xsub_val']
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert labels['S019C002P044R002A120'] == 119
    assert report.skipped[0][0] == MISSING_NAME


def test_bad_input_fails_loudly(ntu_dir, tmp_path):
    add_bad_files(ntu_dir)
    out = str(tmp_path / 'ntu60.pkl')
    with pytest.raises(ConversionError) as info:
        convert_ntu(ntu_dir, out, version=60)
    message = str(info.value)
    for name, problem in BAD.items():
        line = next(x for x in message.splitlines() if name in x)
        assert problem in line, line
    assert MISSING_NAME not in message
    assert not osp.exists(out)


def test_skip_bad_counts_skips(ntu_dir, tmp_path):
    add_bad_files(ntu_dir)
    out = str(tmp_path / 'ntu60.pkl')
    report = convert_ntu(ntu_dir, out, version=60, skip_bad=True)
    assert report.num_samples == len(GOOD_60)
    skipped = dict(report.skipped)
    assert set(skipped) == set(f'{n}.skeleton' for n in BAD) | {MISSING_NAME}
    for name, problem in BAD.items():
        assert problem in skipped[f'{name}.skeleton']
        assert skipped[f'{name}.skeleton'].startswith('bad input')
    assert f'skipped: {len(BAD) + 1}' in report.format()


def _load_script(name):
    spec = importlib.util.spec_from_file_location(
        name, osp.join(REPO, 'tools', 'data', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_exit_codes(ntu_dir, tmp_path, capsys):
    script = _load_script('convert_ntu')
    out = str(tmp_path / 'cli.pkl')
    args = ['--version', '60', '--skeleton-dir', ntu_dir, '--out', out,
            '--no-progress']
    assert script.main(args) == 0
    printed = capsys.readouterr().out
    assert 'NTU RGB+D 60' in printed and 'xsub_train' in printed
    assert 'frames per sample' in printed
    add_bad_files(ntu_dir)
    assert script.main(args) == 1
    err = capsys.readouterr().err
    assert 'S004C001P008R001A003.skeleton' in err and '--skip-bad' in err
    assert script.main(args + ['--skip-bad']) == 0
    assert script.main(['--version', '60', '--skeleton-dir',
                        str(tmp_path / 'nowhere'), '--out', out]) == 2
