"""Shared converter pieces: validation, deterministic writing, reporting."""
import io
import os
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest

from mmskel2vec.datasets.converters import (ConversionError, ConversionReport,
                                            InputProblem, dump_annotation_file,
                                            finish_conversion, make_annotation,
                                            validate_keypoint)
from mmskel2vec.datasets.converters.common import (PICKLE_PROTOCOL,
                                                   ProgressBar,
                                                   map_with_progress)

from repo_paths import REPO_ROOT as REPO

SCRIPTS = ('convert_ntu', 'convert_pku_mmd', 'convert_nucla',
           'convert_utd_mhad', 'convert_msr_action3d')


@pytest.mark.parametrize('keypoint, message', [
    (np.zeros((1, 0, 20, 3)), 'no frames'),
    (np.zeros((1, 5, 20, 3)), 'all coordinates are zero'),
    (np.full((1, 5, 20, 3), np.nan), 'NaN'),
    (np.ones((1, 5, 20, 2)), 'shape'),
    (np.ones((1, 5, 19, 3)), '19 joints, expected 20'),
    (np.ones((1, 1, 20, 3)), 'only 1 frame'),
])
def test_validate_keypoint_rejects(keypoint, message):
    with pytest.raises(InputProblem, match=message):
        validate_keypoint(keypoint, num_joints=20, min_frames=2)


def test_make_annotation_types():
    anno = make_annotation('x', np.int64(3), np.ones((1, 4, 20, 3)))
    assert list(anno) == ['frame_dir', 'label', 'keypoint', 'total_frames']
    assert type(anno['label']) is int and anno['total_frames'] == 4
    assert anno['keypoint'].dtype == np.float32


def test_dump_is_deterministic_and_sorted(tmp_path):
    annos = [make_annotation(n, i, np.full((1, 2, 20, 3), i + 1.0))
             for i, n in enumerate(['b', 'a', 'c'])]
    splits = {'z_val': ['c', 'a'], 'a_train': ['b']}
    path1, path2 = str(tmp_path / 'x' / 'one.pkl'), str(tmp_path / 'two.pkl')
    dump_annotation_file(path1, annos, splits, extra={'class_names': ['q']})
    dump_annotation_file(path2, list(reversed(annos)),
                         {'a_train': ['b'], 'z_val': ['a', 'c']},
                         extra={'class_names': ['q']})
    raw = open(path1, 'rb').read()
    assert raw == open(path2, 'rb').read()
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path1).st_mode & 0o777 == 0o666 & ~umask
    assert raw[:2] == bytes([0x80, PICKLE_PROTOCOL])
    data = pickle.loads(raw)
    assert list(data) == ['split', 'annotations', 'class_names']
    assert list(data['split']) == ['a_train', 'z_val']
    assert data['split']['z_val'] == ['a', 'c']
    assert [a['frame_dir'] for a in data['annotations']] == ['a', 'b', 'c']
    with pytest.raises(KeyError):
        dump_annotation_file(path1, annos, splits, extra={'split': 1})


def test_dump_is_atomic(tmp_path, monkeypatch):
    path = str(tmp_path / 'out.pkl')
    annos = [make_annotation('a', 0, np.ones((1, 2, 20, 3)))]
    dump_annotation_file(path, annos, {'s': ['a']})
    before = open(path, 'rb').read()

    def broken_replace(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(os, 'replace', broken_replace)
    with pytest.raises(OSError, match='disk full'):
        dump_annotation_file(path, annos * 1, {'s': ['a'], 't': ['a']})
    assert open(path, 'rb').read() == before
    assert os.listdir(tmp_path) == ['out.pkl']  # temp file removed


def test_finish_conversion_policy(tmp_path):
    annos = [make_annotation('a', 0, np.ones((1, 3, 20, 3))),
             make_annotation('b', 1, np.ones((1, 5, 20, 3)))]
    report = ConversionReport('Toy')
    report.add_problem('/data/c.txt', 'truncated file')
    with pytest.raises(ConversionError, match=r'/data/c.txt: truncated'):
        finish_conversion(report, annos, {'s': ['a']}, None)
    report = ConversionReport('Toy')
    report.add_problem('/data/c.txt', 'truncated file')
    out = str(tmp_path / 'toy.pkl')
    finish_conversion(report, annos, {'train': ['a', 'gone'], 'val': ['b']},
                      out, skip_bad=True)
    assert report.skipped == [('c.txt', 'bad input (--skip-bad): truncated '
                               'file')]
    assert report.split_sizes == {'train': 1, 'val': 1}
    assert report.frame_stats == (3, 4.0, 5)
    text = report.format()
    assert 'frames per sample: min 3, median 4, max 5' in text
    assert '1 x bad input (--skip-bad): truncated file (c.txt)' in text
    with pytest.raises(ConversionError, match='no usable sample'):
        finish_conversion(ConversionReport('Empty'), [], {}, None)


def _square(x):
    if x == 3:
        raise InputProblem('three')
    return x * x


def test_map_with_progress_keeps_order_and_problems():
    for nproc in (1, 2):
        res = map_with_progress(_square, list(range(6)), nproc=nproc,
                                progress=False)
        assert [r for i, r in enumerate(res) if i != 3] == [0, 1, 4, 16, 25]
        assert isinstance(res[3], InputProblem)


def test_progress_bar_is_quiet_off_terminal():
    stream = io.StringIO()
    bar = ProgressBar(1000, stream=stream)
    for _ in range(1000):
        bar.update()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11 and '1000/1000 (100%)' in lines[-1]


def test_scripts_help_from_any_folder(tmp_path):
    """Each script runs from a checkout without installing mmskel2vec."""
    code = ('import runpy, sys\n'
            'for name in sys.argv[1:]:\n'
            '    sys.argv = [name, "--help"]\n'
            '    try:\n'
            '        runpy.run_path(name, run_name="__main__")\n'
            '    except SystemExit as exc:\n'
            '        assert exc.code == 0, (name, exc.code)\n')
    paths = [osp.join(REPO, 'tools', 'data', f'{s}.py') for s in SCRIPTS]
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    proc = subprocess.run([sys.executable, '-c', code, *paths],
                          cwd=str(tmp_path), capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for flag in ('--skip-bad', '--out', '--nproc', '--version', '--phase',
                 '--keep-single-frame', '--all-files'):
        assert flag in proc.stdout
