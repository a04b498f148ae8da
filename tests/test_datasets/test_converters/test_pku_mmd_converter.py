"""PKU-MMD converter on small skeleton/label/split files in the raw format."""
import os.path as osp
import pickle

import numpy as np
import pytest

from mmskel2vec.datasets.converters import (ConversionError, convert_pku_mmd,
                                            parse_split_file)


def frame_line(p1=None, p2=None):
    values = np.zeros(150)
    if p1 is not None:
        values[:75] = np.asarray(p1).reshape(-1)
    if p2 is not None:
        values[75:] = np.asarray(p2).reshape(-1)
    # leading space and 6 decimals as in the distributed files
    return ' ' + ' '.join(f'{v:.6f}' for v in values)


def person(t, offset=0.0):
    return np.linspace(0.1, 1.0, 75).reshape(25, 3) + offset + 0.01 * t


def write_video(root, video, lines, labels):
    with open(osp.join(root, 'skeleton', f'{video}.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(osp.join(root, 'label', f'{video}.txt'), 'w') as f:
        f.write(''.join(f'{",".join(map(str, x))}\n' for x in labels))


def write_split(path, train, val):
    with open(path, 'w') as f:
        f.write('Training videos: \n' + ', '.join(train) + ',\n')
        f.write('Validataion videos: \n' + ', '.join(val) + '\n')


@pytest.fixture
def pku1(tmp_path):
    root = tmp_path / 'pku'
    for sub in ('skeleton', 'label', 'split'):
        (root / sub).mkdir(parents=True)
    root = str(root)
    # 0002-L: 100 frames; person 2 present in frames 41-60 (1-based);
    # frames 91-92 have no person.
    lines = []
    for t in range(100):
        p2 = person(t, 5.0) if 40 <= t < 60 else None
        p1 = None if t in (90, 91) else person(t)
        lines.append(frame_line(p1, p2))
    write_video(root, '0002-L', lines,
                [(5, 1, 30, 1), (12, 36, 70, 2), (51, 81, 105, 1)])
    # 0002-M: only the second person slot is filled.
    write_video(root, '0002-M', [frame_line(None, person(t))
                                 for t in range(40)], [(1, 1, 40, 1)])
    # 0003-R: a validation video
    write_video(root, '0003-R', [frame_line(person(t)) for t in range(30)],
                [(2, 1, 10, 1), (3, 11, 30, 2)])
    write_split(osp.join(root, 'split', 'cross-subject.txt'),
                ['0002-L', '0002-M'], ['0003-R'])
    write_split(osp.join(root, 'split', 'cross-view.txt'),
                ['0002-M', '0003-R'], ['0002-L', '0009-L'])
    return root


def convert(root, out, **kwargs):
    return convert_pku_mmd(osp.join(root, 'skeleton'),
                           osp.join(root, 'label'), out,
                           split_dir=osp.join(root, 'split'), **kwargs)


def load(path):
    with open(path, 'rb') as f:
        return pickle.load(f)


def test_parse_split_file(tmp_path):
    path = str(tmp_path / 'cross-subject.txt')
    write_split(path, ['0002-L', '0002-M'], ['0003-R'])
    assert parse_split_file(path) == (['0002-L', '0002-M'], ['0003-R'])
    with open(path, 'w') as f:
        f.write('Training videos: 0002-L, 0003-R\nValidation videos: 0003-R')
    with pytest.raises(ValueError, match='in both'):
        parse_split_file(path)
    with open(path, 'w') as f:
        f.write('0002-L, 0003-R\n')
    with pytest.raises(ValueError, match='header'):
        parse_split_file(path)


def test_phase1_conversion(pku1, tmp_path):
    out = str(tmp_path / 'pku1_3d.pkl')
    report = convert(pku1, out, phase=1)
    data = load(out)
    annos = {a['frame_dir']: a for a in data['annotations']}
    assert sorted(annos) == ['0002-L_1', '0002-L_2', '0002-L_3', '0002-M_1',
                             '0003-R_1', '0003-R_2']
    first = annos['0002-L_1']
    assert first['label'] == 4
    assert first['keypoint'].shape == (1, 30, 25, 3)
    np.testing.assert_allclose(first['keypoint'][0, 0], person(0), atol=1e-5)
    np.testing.assert_allclose(first['keypoint'][0, 29], person(29),
                               atol=1e-5)
    # interval 36-70 holds both persons; person 2 only in frames 41-60
    second = annos['0002-L_2']
    assert second['label'] == 11
    assert second['keypoint'].shape == (2, 35, 25, 3)
    assert not second['keypoint'][1, :5].any()
    np.testing.assert_allclose(second['keypoint'][1, 5], person(40, 5.0),
                               atol=1e-5)
    # 81-105 is clipped to the 100 frames and loses the 2 empty frames
    third = annos['0002-L_3']
    assert third['label'] == 50 and third['keypoint'].shape == (1, 18, 25, 3)
    # the second slot is moved to the first
    assert annos['0002-M_1']['keypoint'].shape == (1, 40, 25, 3)
    assert annos['0002-M_1']['keypoint'].any()

    split = data['split']
    assert split['xsub_train'] == ['0002-L_1', '0002-L_2', '0002-L_3',
                                   '0002-M_1']
    assert split['xsub_val'] == ['0003-R_1', '0003-R_2']
    assert split['xview_train'] == ['0002-M_1', '0003-R_1', '0003-R_2']
    assert split['xview_val'] == ['0002-L_1', '0002-L_2', '0002-L_3']
    notes = '\n'.join(report.notes)
    assert '1 intervals reached past the end' in notes
    assert '2 frames without any person' in notes
    assert '1 intervals had only the second person' in notes
    assert "xview: 1 listed videos have no label file (e.g. ['0009-L'])" \
        in notes
    assert report.num_inputs == 3 and report.num_samples == 6


def test_rerun_is_byte_identical(pku1, tmp_path):
    out1, out2 = str(tmp_path / 'a.pkl'), str(tmp_path / 'b.pkl')
    convert(pku1, out1, phase=1)
    convert(pku1, out2, phase=1, nproc=2)
    assert open(out1, 'rb').read() == open(out2, 'rb').read()


def add_bad_videos(root):
    good = [frame_line(person(t)) for t in range(20)]
    # unknown action id 52 (phase I has 51)
    write_video(root, '0004-L', good, [(52, 1, 10, 1), (7, 11, 20, 1)])
    # truncated: the last line is cut
    write_video(root, '0004-M', good[:-1] + [good[-1][:200]], [(1, 1, 5, 1)])
    # NaN in a frame
    nan = good[:]
    nan[3] = ' '.join(['nan'] + nan[3].split()[1:])
    write_video(root, '0004-R', nan, [(1, 1, 10, 1)])
    # all-zero interval and an interval after the end of the file
    zeros = good[:10] + [frame_line() for _ in range(10)]
    write_video(root, '0005-L', zeros, [(1, 11, 20, 1), (1, 30, 40, 1)])
    # malformed label line
    write_video(root, '0005-M', good, [('a', 'b')])


def test_bad_input_fails_loudly(pku1, tmp_path):
    add_bad_videos(pku1)
    out = str(tmp_path / 'pku.pkl')
    with pytest.raises(ConversionError) as info:
        convert(pku1, out, phase=1)
    msg = str(info.value)
    assert 'sample 0004-L_1' in msg and 'unknown action id 52' in msg
    assert '0004-M.txt: line 20 has' in msg and 'truncated' in msg
    assert 'sample 0004-R_1' in msg and 'NaN' in msg
    assert 'sample 0005-L_1' in msg and 'all coordinates are zero' in msg
    assert 'sample 0005-L_2' in msg and 'starts after the last' in msg
    assert '0005-M.txt: line 1' in msg
    assert not osp.exists(out)


def test_skip_bad(pku1, tmp_path):
    add_bad_videos(pku1)
    out = str(tmp_path / 'pku.pkl')
    report = convert(pku1, out, phase=1, skip_bad=True)
    names = {a['frame_dir'] for a in load(out)['annotations']}
    assert '0004-L_2' in names and '0004-L_1' not in names
    assert len(report.skipped) == 6
    assert all(r.startswith('bad input') for _, r in report.skipped)
    # videos in neither split list are reported
    assert any('in neither list' in n for n in report.notes)


def test_phase2_labels_and_split_names(tmp_path):
    root = tmp_path / 'pku2'
    for sub in ('skeleton', 'label', 'split'):
        (root / sub).mkdir(parents=True)
    root = str(root)
    lines = [frame_line(person(t)) for t in range(30)]
    write_video(root, 'A01N01-L', lines, [(41, 1, 10, 1), (1, 11, 30, 1)])
    write_video(root, 'A01N02-M', lines, [(42, 1, 10, 1)])
    write_split(osp.join(root, 'split', 'cross_subject_v2.txt'),
                ['A01N01-L'], ['A01N02-M'])
    write_split(osp.join(root, 'split', 'cross_view_v2.txt'),
                ['A01N02-M'], ['A01N01-L'])
    with pytest.raises(ConversionError, match=r'unknown action id 42 '
                       r'\(expected 1..41\)'):
        convert(root, None, phase=2)
    out = str(tmp_path / 'pku2.pkl')
    report = convert(root, out, phase=2, skip_bad=True)
    data = load(out)
    assert {a['frame_dir']: a['label'] for a in data['annotations']} == {
        'A01N01-L_1': 40, 'A01N01-L_2': 0}
    assert report.dataset == 'PKU-MMD phase II'
    assert data['split']['xsub_train'] == ['A01N01-L_1', 'A01N01-L_2']
    assert data['split']['xview_val'] == ['A01N01-L_1', 'A01N01-L_2']
